"""``ThreadView``: a scrolling text drawn with the line API (the chat's thread).

Holds one Rich renderable (a conversation's messages: a ``Text``, or a ``Group`` with slips'
indented tables) and shows it wrapped to its width, the lines on screen only. Replacing the
content renders it once, sets the scrollable height without a layout of the screen and repaints
the view alone: a ``Static`` in a ``VerticalScroll`` measured its content (one rendering), then
asked for a layout of the whole screen (its height changed) and drew it again (a second
rendering) with every other widget of the screen. The lines are drawn again when the width or
the widget's style changes (a theme, a resize). Its scrollbar is always there, so that opening
a short conversation after a long one does not lay out the screen to hide it. Its text is never
markup: what it is given is drawn as given.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tws_tui.console.textual_private import update_scrollbars


class ThreadView(ScrollView):
    DEFAULT_CSS = """
    ThreadView {
        height: 1fr; overflow-x: hidden; overflow-y: scroll; scrollbar-size-vertical: 1;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._content: RenderableType = Text()
        self._lines: list[Strip] = []
        #: The widget's style during one repaint (see render_lines).
        self._batch_style: Style | None = None
        #: The view's size and style the lines were drawn at.
        self._drawn_for: tuple[Size, Style] | None = None

    @property
    def content(self) -> RenderableType:
        """What the view shows, as given to :meth:`update`."""
        return self._content

    @property
    def line_count(self) -> int:
        """How many lines the content takes at the view's width."""
        self._draw()
        return len(self._lines)

    def update(self, content: RenderableType) -> None:
        """Show ``content`` (drawn now, repainted at the next frame; the scroll position is
        kept within the new height)."""
        self._content = content
        self._drawn_for = None
        self._draw()
        self.refresh()

    def wrap_width(self) -> int:
        """The width the content is wrapped to: the view's width inside its padding, less
        its vertical scrollbar's (always shown: a thread that outgrows the view, or another
        conversation opened, neither changes the wrapping nor lays out the screen)."""
        bar = self.styles.scrollbar_size_vertical
        return max(1, self.size.width - bar)

    def _render_at(self, width: int, style: Style) -> list[Strip]:
        console = self.app.console
        options = console.options.update(width=width, height=None, highlight=False)
        lines = console.render_lines(self._content, options, style=style, pad=True)
        return [Strip(line, width) for line in lines]

    def _draw(self) -> None:
        """The content in lines at the current width and style, unless drawn so already."""
        if not self.size.width:  # not laid out yet: drawn when it is (on_resize)
            self._lines, self._drawn_for = [], None
            return
        style = self.rich_style
        if self._drawn_for == (self.size, style):
            return
        width = self.wrap_width()
        lines = self._render_at(width, style)
        self._lines, self._drawn_for = lines, (self.size, style)
        self._set_virtual_size(Size(width, len(lines)))

    def _set_virtual_size(self, size: Size) -> None:
        """The scrollable size, set without Textual's layout of the whole screen (the view's
        own size never depends on it: ``1fr``); the scrollbar sized."""
        if size == self.virtual_size:
            return
        self.set_reactive(ThreadView.virtual_size, size)
        update_scrollbars(self, size)

    def on_resize(self, event: events.Resize) -> None:
        self._draw()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn_for = None  # drawn in the former colours

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines of one repaint: drawn (if need be) and styled once for all of them
        (Textual's ``rich_style`` walks the ancestors' backgrounds at each call)."""
        self._draw()
        self._batch_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._batch_style = None

    def render_line(self, y: int) -> Strip:
        style = self._batch_style
        if style is None:
            self._draw()
            style = self.rich_style
        width = self.scrollable_content_region.width
        index = round(self.scroll_offset.y) + y
        if 0 <= index < len(self._lines):
            line = self._lines[index]
            return line if line.cell_length == width else line.crop_extend(0, width, style)
        return Strip.blank(width, style)
