"""``EntryList``: a :class:`RowList` whose entries may take more than one line.

The Contacts screen needs it twice (TWS §6.6): a contact of a home-screen list drawn
"classic" takes two lines (initials and name, then the company, TWS-6.6-6), and an infocard
opened "internal" unfolds under its row (TWS-6.6-2). A row whose key contains
:data:`MORE` (``"<row key>\\n<n>"``, see :func:`more_key`) is a further line of the row above
it: one text across the whole width (not cut into columns, nor counted in their widths), which
the cursor never stops on — up/down, page, home/end and clicks land on its row — and which is
drawn in the cursor's colours when its row is selected (else in its row's tone), so the entry
reads as one block.
Everything else is :class:`RowList`'s.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tws_tui.console.widgets.row_list import RowList, _fit
from tws_tui.console.widgets.supervision_colours import tone_style

MORE = "\n"  # never in a real row key


def more_key(row_key: str, line: int) -> str:
    """The key of the ``line``-th further line of the row ``row_key``."""
    return f"{row_key}{MORE}{line}"


def owner_key(key: str) -> str:
    """The row a key belongs to (itself for a row)."""
    return key.split(MORE, 1)[0]


class EntryList(RowList):
    def _sizes_columns(self, key: str) -> bool:
        """A further line (one text across the width) widens no column."""
        return MORE not in key

    def _is_more(self, index: int) -> bool:
        return 0 <= index < len(self._source) and MORE in self._source.key(index)

    def _go(self, index: int) -> None:
        """Onto a row, never a further line: past them going down, back to their row else."""
        count = len(self._source)
        if not count:
            return
        index = max(0, min(index, count - 1))
        if self._is_more(index):
            below = index
            while self._is_more(below):
                below += 1
            if index > self.cursor and below < count:
                index = below
            else:
                while index > 0 and self._is_more(index):
                    index -= 1
        self.cursor = index

    def watch_cursor(self, old: int, new: int) -> None:
        super().watch_cursor(old, new)
        last = new
        while self._is_more(last + 1):
            last += 1
        visible = max(1, self.size.height - 1)
        if last > new and last >= self.scroll_offset.y + visible:
            self.scroll_to(y=min(new, last - visible + 1), animate=False)

    def draw_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y - 1
        if y == 0 or not self._is_more(index):
            return super().draw_line(y)
        width = self.size.width
        owner = index
        while owner > 0 and self._is_more(owner):
            owner -= 1
        if owner == self.cursor:
            style = self.get_component_rich_style("rowlist--cursor")
        elif tone := self._source.tone(index) or self._source.tone(owner):
            style = tone_style(tone) or self.get_component_rich_style(f"rowlist--{tone}")
        else:
            style = Style()
        own = self._base_style if self._base_style is not None else self.rich_style
        base = own + style
        text = "".join(self._source.cells(index))
        return Strip([Segment(_fit(text, width), base)])  # columns fit the width: no scroll
