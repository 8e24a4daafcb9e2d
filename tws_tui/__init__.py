"""tws-tui: a terminal attendant console for business telephony.

Only the version lives here: importing the package must stay cheap and Textual-free.
"""

__version__ = "0.1.0"
