"""Everything that imports Textual: the app, its controllers, screens and widgets."""
