"""The clause of each figure in a sentence, and the change and period that belong to it.

Between two figures the first separator (or a bracket opened before the second) ends one
clause and starts the next; a figure's own change and period are the nearest ones inside its
clause.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kzaz_facts.extract.context import Anchor, Clause
from kzaz_facts.normalise import AmountMatch, ChangeMatch
from kzaz_facts.periods import PeriodMatch


def split_clauses(
    text: str,
    separator: re.Pattern[str],
    anchors: Sequence[Anchor],
    start: int,
    end: int,
    periods: Sequence[PeriodMatch] = (),
) -> list[Clause]:
    """Between two figures, the first separator ends one clause and starts the next:
    "$221 million, and in 2019 - $191 million"; so does a bracket opened before the second
    ("$12.7 million in 2018-2019 ($5.1 million ..."). With no separator a period right
    after the first figure stays with it ("$500 million in 2023 from $400 million")."""
    clauses = [Clause(start, end) for _ in anchors]
    for i in range(len(anchors) - 1):
        right, left = boundary(text, separator, anchors[i].end, anchors[i + 1].start, periods)
        clauses[i].right = right
        clauses[i + 1].left = left
    return clauses


def boundary(
    text: str,
    separator: re.Pattern[str],
    gap_start: int,
    gap_end: int,
    periods: Sequence[PeriodMatch],
) -> tuple[int, int]:
    """Where the clause of the figure before the gap ends and that of the one after starts."""
    split = separator.search(text, gap_start, gap_end)
    bracket = _unclosed_bracket(text, gap_start, gap_end)
    if bracket is not None and (split is None or bracket < split.start()):
        return bracket, bracket + 1
    if split is not None:
        return split.start(), split.end()
    boundary = gap_start
    for period in periods:
        inside = gap_start <= period.start and period.end <= gap_end
        if inside and period.start - gap_start <= gap_end - period.end:
            boundary = period.end
    return boundary, boundary


def own_change(
    amount: AmountMatch, clause: Clause, changes: list[ChangeMatch]
) -> ChangeMatch | None:
    """The change right after the figure in its clause, else the last one before it."""
    after = [c for c in changes if amount.end <= c.start and c.end <= clause.right]
    if after:
        return after[0]
    before = [c for c in changes if clause.left <= c.start and c.end <= amount.start]
    return before[-1] if before else None


def own_period(anchor: Anchor, clause: Clause, periods: list[PeriodMatch]) -> PeriodMatch | None:
    """The period nearest to the figure (or lone change) within its clause."""
    best: PeriodMatch | None = None
    best_distance = 0
    for period in periods:
        if clause.left <= period.start and period.end <= anchor.start:
            distance = anchor.start - period.end
        elif anchor.end <= period.start and period.end <= clause.right:
            distance = period.start - anchor.end
        else:
            continue
        if best is None or distance < best_distance:
            best, best_distance = period, distance
    return best


def _unclosed_bracket(text: str, start: int, end: int) -> int | None:
    """The last opening bracket of ``text[start:end]`` that is not closed there.

    >>> _unclosed_bracket("$5 million in 2018 ($2 million", 10, 20)
    19
    >>> _unclosed_bracket("$5 million (up 5%) in", 10, 21) is None
    True
    """
    depth = 0
    for position in range(end - 1, start - 1, -1):
        char = text[position]
        if char in ")]":
            depth += 1
        elif char in "([":
            if depth == 0:
                return position
            depth -= 1
    return None
