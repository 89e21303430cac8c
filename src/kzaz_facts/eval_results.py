"""What an evaluation reports: scores per level and type, misses, false positives, dates."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# -- results -------------------------------------------------------------------------------


class Result(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Score(Result):
    """Counts and the scores made from them; a score with nothing to divide by is ``None``."""

    precision: float | None
    recall: float | None
    f1: float | None
    tp: int
    fp: int
    fn: int
    duplicates: int = 0
    optional_matched: int = 0
    out_of_scope: int = 0

    @classmethod
    def of(
        cls,
        tp: int,
        fp: int,
        fn: int,
        duplicates: int = 0,
        optional_matched: int = 0,
        out_of_scope: int = 0,
    ) -> Score:
        """
        >>> Score.of(3, 1, 2).f1
        0.6667
        >>> Score.of(0, 0, 0).precision is None
        True
        """
        return cls(
            precision=ratio(tp, tp + fp),
            recall=ratio(tp, tp + fn),
            f1=ratio(2 * tp, 2 * tp + fp + fn),
            tp=tp,
            fp=fp,
            fn=fn,
            duplicates=duplicates,
            optional_matched=optional_matched,
            out_of_scope=out_of_scope,
        )


def ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


class Level(Result):
    micro: Score
    per_type: dict[str, Score]


class Miss(Result):
    """A gold record no prediction matched; ``level`` is ``core`` when nothing came close,
    ``full`` when a prediction matched it at core level but got its period, change or date
    wrong (that prediction is ``nearest``)."""

    doc: str
    type: str
    level: Literal["core", "full"]
    quote: str
    gold: dict[str, object]
    problems: list[str] = Field(default_factory=list)
    nearest: dict[str, object] | None = None


class FalsePositive(Result):
    doc: str
    type: str
    level: Literal["core", "full"]
    quote: str
    predicted: dict[str, object]


class EntityScore(Score):
    misses: list[dict[str, str]] = Field(default_factory=list)
    false_positives: list[dict[str, str]] = Field(default_factory=list)


class DateCheck(Result):
    doc: str
    gold: dt.date | None
    predicted: dt.date | None
    source: str


class Dates(Result):
    accuracy: float | None
    correct: int
    total: int
    wrong: list[DateCheck]


class Evaluation(Result):
    core: Level
    full: Level
    entities: dict[str, EntityScore]
    dates: Dates
    misses: list[Miss]
    false_positives: list[FalsePositive]
    # Gold documents the run did not produce, and documents of the run that have no gold.
    missing_documents: list[str] = Field(default_factory=list)
    unannotated_documents: list[str] = Field(default_factory=list)
