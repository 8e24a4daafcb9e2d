"""Small dialogs shared by every screen: choices, confirmations, help, presence, alerter."""
