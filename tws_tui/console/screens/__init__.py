"""The console's screens: one per mode (contacts, call, queues, chat, history, prefs) and modals."""
