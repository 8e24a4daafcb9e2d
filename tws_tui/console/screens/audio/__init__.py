"""Preferences' Audio page (issue 17, TWS-6.7: devices and volumes, ``page.py``) and the Sound
library (TWS-6.8: a sound per event, previews, ``sounds.py``)."""
