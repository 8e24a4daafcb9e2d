"""Widgets shared by every screen: status bar, ringing banner, translated footer."""
