"""Preferences' Tools page (issue 17, TWS-6.11, TWS-1.8): the About panel, the diagnostics
bundle and reconnecting now; ``page.py`` is the page, ``about.py`` its lines."""
