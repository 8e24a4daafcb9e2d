"""``sync_rows``: update a DataTable in place from keyed rows (the dolphie pattern).

Changed cells are updated and vanished rows removed inside one ``batch_update``; new rows are
added. When the row order itself changes, rows are re-added in the new order and the cursor
is put back on the row it was on, so the operator never loses the line they selected.
Cells are ``rich.text.Text`` so that a caller's name is never read as markup.
Columns are re-created only when their labels change (e.g. after a language switch).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.widgets import DataTable


def sync_rows(
    table: DataTable[Text],
    columns: Sequence[str],
    rows: Mapping[str, Sequence[str]],
) -> None:
    with table.app.batch_update():
        labels = tuple(str(c.label) for c in table.columns.values())
        if labels != tuple(columns):
            table.clear(columns=True)
            for index, label in enumerate(columns):
                table.add_column(Text(label), key=f"c{index}")
        current = [row.key.value for row in table.ordered_rows if row.key.value is not None]
        present = set(current)
        kept = [key for key in current if key in rows]
        if kept + [key for key in rows if key not in present] != list(rows):
            selected = _selected_key(table)
            table.clear()
            for key, values in rows.items():
                table.add_row(*map(Text, values), key=key)
            if selected is not None and selected in rows:
                table.move_cursor(row=table.get_row_index(selected))
            return
        for old in current:
            if old is not None and old not in rows:
                table.remove_row(old)
        for key, values in rows.items():
            if key in table.rows:
                for index, value in enumerate(values):
                    if table.get_cell(key, f"c{index}").plain != value:
                        table.update_cell(key, f"c{index}", Text(value), update_width=True)
            else:
                table.add_row(*map(Text, values), key=key)


def _selected_key(table: DataTable[Text]) -> str | None:
    if not table.row_count:
        return None
    try:
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    except Exception:  # cursor outside the table
        return None
