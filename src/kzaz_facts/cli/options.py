"""The arguments and options the commands share, declared once, and how help shows them.

Help reads as a person would write it: values are named (PATH, N, NAME,NAME), never typed
(``<list[str]>``). Each ``...Option`` below is a typed annotation a command's parameter
takes; its default stays with the command.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperArgument, TyperCommand, TyperOption


class _ArgumentHelp(TyperArgument):
    """An argument whose help shows its name (PATH), not its Python type (<list[str]>)."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


class _OptionHelp(TyperOption):
    """An option whose help shows its value's name (N, NAME,NAME), and nothing for a flag."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None if self.is_flag else super().display_type_rich(ctx)


class Command(TyperCommand):
    """Every command: help reads as a person would write it, values named, never typed."""

    def get_params(self, ctx: Any) -> Any:
        params = super().get_params(ctx)
        for param in params:
            if isinstance(param, TyperArgument):
                param.__class__ = _ArgumentHelp
            elif isinstance(param, TyperOption):
                param.__class__ = _OptionHelp
        return params


# -- formats --------------------------------------------------------------------------------


class OutputFormat(StrEnum):
    """What ``--format`` of ``extract``, ``entities`` and ``timeline`` accepts."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class EvalFormat(StrEnum):
    """What ``eval --format`` accepts."""

    table = "table"
    json = "json"


class SchemaName(StrEnum):
    """The outputs ``schema --for`` describes."""

    report = "report"
    fact = "fact"
    entities = "entities"
    timeline = "timeline"


# The format an output file's extension implies when --format is not given.
FORMAT_OF_SUFFIX = {
    ".csv": OutputFormat.csv,
    ".jsonl": OutputFormat.jsonl,
    ".json": OutputFormat.json,
}


def default_format(chosen: OutputFormat | None, output: Path | None = None) -> OutputFormat:
    """The format asked for; by default a table on a terminal, JSON into a pipe or a file."""
    if chosen is not None:
        return chosen
    return OutputFormat.table if output is None and sys.stdout.isatty() else OutputFormat.json


def _format_option(metavar: str, help: str) -> Any:
    """``--format`` / ``-f``: the one declaration behind every command's format option."""
    return typer.Option("--format", "-f", metavar=metavar, help=help)


_ROWS = "table|json|jsonl|csv"
# extract: the -o extension may choose the format.
FormatOption = Annotated[
    Optional[OutputFormat],  # noqa: UP045  (typer reads the annotation at run time)
    _format_option(
        _ROWS,
        "Output format. Default: from the -o extension (.csv, .jsonl, .json), "
        "else a table on a terminal, JSON when stdout is piped.",
    ),
]
# entities and timeline: no -o.
RowFormatOption = Annotated[
    Optional[OutputFormat],  # noqa: UP045
    _format_option(
        _ROWS, "table, json, jsonl or csv. Default: a table on a terminal, JSON when piped."
    ),
]
EvalFormatOption = Annotated[
    Optional[EvalFormat],  # noqa: UP045
    _format_option("table|json", "Default: a table on a terminal, JSON when piped."),
]
FlatOption = Annotated[
    bool, typer.Option("--flat", help="JSON Lines of flat rows (the CSV columns).")
]
OutputOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--output", "-o", metavar="FILE", help="Write to this file (atomically) instead of stdout."
    ),
]


# -- inputs and the run -----------------------------------------------------------------------

PathsArgument = Annotated[
    list[str],
    typer.Argument(
        metavar="PATH",
        help="Files or directories (*.txt found recursively); '-' reads standard input.",
    ),
]
DocTimeoutOption = Annotated[
    Optional[float],  # noqa: UP045
    typer.Option(
        "--doc-timeout",
        min=0,
        metavar="SECONDS",
        help="Time one document may take before it becomes a 'timeout' error and the run goes "
        "on; 0: no limit. Default: 60 s plus 180 s per MB of text.",
    ),
]
JobsOption = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        min=0,
        metavar="N",
        help="Worker processes; 0 (the default) uses every core, 1 runs in this process. "
        "The output is the same whatever the number.",
    ),
]
DataOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--data", metavar="DIR", help="Use the patterns and gazetteers of this directory."
    ),
]
MaxBytesOption = Annotated[
    int,
    typer.Option(
        "--max-bytes",
        min=1,
        help="Report larger files as too_large without reading them (default 50 MB).",
    ),
]
FollowLinksOption = Annotated[
    bool,
    typer.Option(
        "--follow-links",
        help="Follow symlinks that lead out of a directory given (not followed by default).",
    ),
]


# -- filters ----------------------------------------------------------------------------------

PartiesHelp = "Any alias, demonym or country code, any case: kazakhstan,AZ or Kazakh,Azerbaijani."
ScopeOption = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--scope",
        metavar="SCOPE",
        help="Keep only trade figures of this scope (total, agriculture, energy, ...); "
        "repeatable.",
    ),
]
