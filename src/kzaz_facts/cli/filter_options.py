"""``--type``, ``--parties``, ``--scope`` and ``--label`` values -> the sets the library
filters by (a bad value is a usage error, exit 2); the line saying the filters left nothing.
"""

from __future__ import annotations

from pathlib import Path

import typer

from kzaz_facts.cli.guards import EXIT_USAGE, errors_reported


def fact_types(values: list[str] | None) -> set[str] | None:
    """``--type`` values in any case (``Trade-Turnover``), checked against the fact types."""
    from kzaz_facts import filters
    from kzaz_facts.records import FACT_TYPES

    if not values:
        return None
    with errors_reported(EXIT_USAGE):
        return filters.choose_all("--type", values, filters.vocabulary(FACT_TYPES))


def party_pair(value: str | None, data: Path | None) -> set[str] | None:
    """``--parties A,B`` as two canonical names from the gazetteer (aliases, demonyms, codes)."""
    from kzaz_facts import filters
    from kzaz_facts.resources import resolve_data_dir

    if value is None:
        return None
    with errors_reported(EXIT_USAGE):
        return filters.parse_parties(value, filters.party_vocabulary(resolve_data_dir(data)))


def scopes(values: list[str] | None, data: Path | None) -> set[str] | None:
    """``--scope`` values checked against the trade scopes of the data directory."""
    from kzaz_facts import filters
    from kzaz_facts.resources import resolve_data_dir

    if not values:
        return None
    with errors_reported(EXIT_USAGE):
        known = filters.vocabulary(filters.scope_names(resolve_data_dir(data)))
        return filters.choose_all("--scope", values, known)


def labels(values: list[str] | None) -> set[str] | None:
    """``--label`` values in any case, checked against the entity labels."""
    from kzaz_facts import filters

    if not values:
        return None
    with errors_reported(EXIT_USAGE):
        return filters.choose_all("--label", values, filters.vocabulary(filters.ENTITY_LABELS))


def filters_text(**given: object) -> str:
    """The filters that were given, as the user would write them.

    >>> filters_text(type={"agreement"}, parties=None, scope=["energy", "agriculture"])
    '--type agreement --scope agriculture,energy'
    """
    parts = []
    for name, value in given.items():
        if value:
            shown = ",".join(sorted(value)) if isinstance(value, set | list) else str(value)
            parts.append(f"--{name.replace('_', '-')} {shown}")
    return " ".join(parts)


def say_empty(what: str, filters_text: str) -> None:
    """The one stderr line saying the filters left nothing (the exit code stays 0)."""
    if filters_text:
        typer.echo(f"kzaz: no {what} left after {filters_text}", err=True)
