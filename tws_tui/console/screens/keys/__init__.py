"""The supervision keys (Webpilot §13): the key grid editor and its form."""
