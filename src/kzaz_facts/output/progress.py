"""The progress bar on stderr, by bytes of input processed or by documents done.

With a byte meter (``meter.ByteMeter``) the bar is read from the meter at every refresh, so it
moves as the chunks of a long document are done, in this process or in a worker, while the
main thread waits for the document; the documents done are counted beside it. The bar's
refresh thread is started with the stop signals held, so that it never takes a SIGINT or a
SIGTERM meant for the main thread (``signals.py``).

Imported only when a bar is drawn (on a terminal): JSON output never pays for rich.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from rich.console import Console, RenderableType
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)

from kzaz_facts.signals import signals_held

if TYPE_CHECKING:
    from kzaz_facts.meter import ByteMeter
    from kzaz_facts.output.streams import Item


class MeteredProgress(Progress):
    """A progress display whose tasks take their completed bytes from a meter when drawn."""

    def __init__(self, meter: ByteMeter, *columns: str | ProgressColumn, **options: Any) -> None:
        self.meter = meter  # first: building the display already draws it
        super().__init__(*columns, **options)

    def get_renderables(self) -> Iterable[RenderableType]:
        done = self.meter.done
        for task_id in self.task_ids:
            self.update(task_id, completed=done)
        yield from super().get_renderables()


def progress_bar(documents: int, meter: ByteMeter | None = None) -> Progress:
    """A bar on stderr, cleared when it stops: by bytes when a ``meter`` counts them (with
    the documents done beside it), else by documents."""
    console = Console(stderr=True)
    if meter is None:
        columns = (BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        return Progress(*columns, console=console, transient=True)
    counted = TextColumn(f"{{task.fields[documents]}}/{documents} documents")
    metered = (BarColumn(), DownloadColumn(), counted, TimeRemainingColumn())
    return MeteredProgress(meter, *metered, console=console, transient=True)


def with_progress(
    results: Iterable[Item], documents: int, meter: ByteMeter | None = None, size: int = 0
) -> Iterator[Item]:
    """``results`` passed through while a progress bar on stderr follows them: by the bytes
    ``meter`` counts out of ``size`` when given, else by the ``documents`` done."""
    progress = progress_bar(documents, meter)
    with signals_held():  # the refresh thread starts, and stays, with them blocked
        progress.start()
    try:
        bar = progress.add_task("documents", total=size if meter else documents, documents=0)
        for done, result in enumerate(results, start=1):
            yield result
            if meter is None:
                progress.advance(bar)
            else:
                progress.update(bar, completed=meter.done, documents=done)
    finally:
        # The worker pool first, then the bar's own thread: at interpreter exit the
        # pool's threads would find their pipes closed.
        close = getattr(results, "close", None)
        if close is not None:
            close()
        progress.stop()
