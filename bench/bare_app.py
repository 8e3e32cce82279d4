"""The baseline of ``bench/tui_bench.py``'s first frame: a bare Textual app with one
``Static``, started the same way as reactieveld (``python FILE``, in a pseudo-terminal of
the same size). Its first meaningful frame is the one that shows this text."""

from textual.app import App, ComposeResult
from textual.widgets import Static

TEXT = "bare Textual app: one Static"


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(TEXT)


if __name__ == "__main__":
    Bare().run()
