"""An optional rich progress bar that the generator advances once per step."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


@contextmanager
def progress_bar(enabled: bool, total: int) -> Iterator[Callable[[], None]]:
    """Yield a function that advances the bar by one step (a no-op when disabled)."""
    if not enabled:
        yield lambda: None
        return
    columns = (TextColumn("generating"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, transient=False) as progress:
        task = progress.add_task("generate", total=total)
        yield lambda: progress.advance(task)
