"""Preferences' Tools page (issue 17, TWS-6.11, TWS-1.8): ``page.py`` is the page (diagnostics
bundle, reconnect now, delete all my history), ``traces.py`` its traces (trace level, the log
file, exported or its folder copied), ``about_page.py`` the About page and ``about.py`` its
lines."""
