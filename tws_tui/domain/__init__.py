"""UI-free policy of the console: alerting, numbers, phone keys, queue board, caller ids,
formats and the keymap table. Imports no Textual; may use Rich text helpers."""
