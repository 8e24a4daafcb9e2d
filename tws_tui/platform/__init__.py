"""The machine around the console: paths, logs, translations, secrets, SQLite files."""
