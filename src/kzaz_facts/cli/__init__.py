"""The ``kzaz`` command: parse arguments, call the library, render, choose the exit code.

This is the one place where errors become messages on stderr and exit codes:
0 all inputs processed, 1 some input failed (the rest was still processed) or the output
could not be written, 2 usage error; 130, 143 and 129 after SIGINT, SIGTERM and SIGHUP.

One module per job: ``options`` (what the commands share, and how help shows it),
``filter_options`` (``--type``, ``--parties``, ...), ``guards`` (exit codes, the ``-o`` target,
standard output), ``run`` (the library run and what is written), ``stopping`` (signals), and
the commands themselves in ``extract``, ``merged``, ``checks`` and ``exports``. spaCy, the
output writers and rich are imported only by the commands that use them, so ``--version``
and ``--help`` are quick and JSON output never loads rich.
"""

from __future__ import annotations

import gc
from typing import Annotated, Optional

import typer

from kzaz_facts import __version__
from kzaz_facts.cli.checks import CHECK_EXAMPLES, EVAL_EXAMPLES, check, evaluate
from kzaz_facts.cli.exports import EXPORT_EXAMPLES, SCHEMA_EXAMPLES, export, schema
from kzaz_facts.cli.extract import EXTRACT_EXAMPLES, extract
from kzaz_facts.cli.guards import EXIT_INPUT_FAILED, EXIT_OK, EXIT_USAGE
from kzaz_facts.cli.merged import ENTITIES_EXAMPLES, TIMELINE_EXAMPLES, entities, timeline
from kzaz_facts.cli.options import Command, EvalFormat, OutputFormat, SchemaName
from kzaz_facts.cli.run import SKIP_KINDS
from kzaz_facts.cli.stopping import run_stoppable

__all__ = [
    "EXIT_INPUT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "SKIP_KINDS",
    "EvalFormat",
    "OutputFormat",
    "SchemaName",
    "app",
    "main",
]

app = typer.Typer(
    name="kzaz",
    help="Typed, source-grounded facts from news about Kazakhstan–Azerbaijan relations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kzaz {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        Optional[bool],  # noqa: UP045  (typer reads the annotation at run time)
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = None,
) -> None:
    """Extract trade, tourism, cargo, investment and agreement facts from news articles."""


# The commands, in the order `kzaz --help` lists them.
app.command(cls=Command, epilog=EXTRACT_EXAMPLES)(extract)
app.command(cls=Command, epilog=ENTITIES_EXAMPLES)(entities)
app.command(cls=Command, epilog=CHECK_EXAMPLES)(check)
app.command(cls=Command, epilog=TIMELINE_EXAMPLES)(timeline)
app.command(name="eval", cls=Command, epilog=EVAL_EXAMPLES)(evaluate)
app.command(cls=Command, epilog=EXPORT_EXAMPLES)(export)
app.command(cls=Command, epilog=SCHEMA_EXAMPLES)(schema)


def main() -> None:
    """The ``kzaz`` entry point: the app, stopped cleanly by SIGINT, SIGTERM or SIGHUP.

    The garbage collector waits until the pipeline is built (``run.start_up_done``).
    """
    gc.disable()
    run_stoppable(app)
