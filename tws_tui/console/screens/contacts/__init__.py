"""The Contacts family: the home screen, the contact manager and their dialogs."""
