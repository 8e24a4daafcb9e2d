"""Settings: the sections of config.toml and prefs.toml, their validation and storage."""
