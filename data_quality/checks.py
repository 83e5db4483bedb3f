"""What a quality check is: a frame to inspect and the expectations it must meet."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

FAILURE_LINES_METADATA = "failure_lines"
"""Asset check metadata: one plain line per failing row (written by
``orchestration.defs.quality``, read by the refresh summary in ``expansion.runner``)."""

Severity = Literal["warn", "quarantine", "error"]
"""warn: shown, the night goes on. quarantine: a calibration breach of a trigger - shown, the
night publishes, the trigger's alerts are held (dbt marks it: calibration_trigger_firing_rates
.is_quarantined). error: a data-integrity failure - nothing is published, no alert goes out."""
SEVERITY_ORDER: tuple[Severity, ...] = ("error", "quarantine", "warn")
"""Worst first."""

RowRemedy = Callable[[Mapping[str, Any], "Bounds"], str]
"""Builds the remedy for one failing frame row from that row and the bounds it broke."""


@dataclass(frozen=True)
class Bound:
    """A bound read at run time from the bounds seed (``seeds.calibration_bounds``).

    Used as an expectation kwarg value (``{"min_value": Bound("trigger_firing_rate",
    "error_min")}``) or a frame parameter (``params=(Bound("segment_nrr",
    "sample_size"),)``) so that thresholds stay data that RevOps edits, never Python.
    """

    metric: str
    column: str


class RunValue(Enum):
    """A frame parameter known only when the check runs (resolved by ``run_check``)."""

    AS_OF_DATE = "as_of_date"
    """The night's as-of date when the run pins one (``--as-of``), else null."""
    TODAY = "today"
    """Today's date (UTC) when the check runs."""


@dataclass(frozen=True)
class Bounds:
    """The bounds an expectation was evaluated with (None = no bound that side)."""

    min_value: float | None = None
    max_value: float | None = None

    def describe(self, as_percent: bool = True) -> str:
        def show(value: float) -> str:
            return f"{value:.0%}" if as_percent else f"{value:g}"

        if self.min_value is not None and self.max_value is not None:
            return f"{show(self.min_value)} to {show(self.max_value)}"
        if self.min_value is not None:
            return f"≥ {show(self.min_value)}"
        if self.max_value is not None:
            return f"≤ {show(self.max_value)}"
        return "no bound"


@dataclass(frozen=True)
class Expectation:
    """One Great Expectations expectation, kept as data until it is evaluated."""

    type: str
    """A class in ``great_expectations.expectations``, e.g. ``ExpectColumnValuesToBeBetween``."""
    kwargs: dict[str, Any]
    severity: Severity
    remedy: str
    """The general remedy; :attr:`row_remedy` words it for one failing row when given."""
    row_remedy: RowRemedy | None = None
    bounds_as_percent: bool = True
    """How the bounds read in a message: "5% to 15%" (fractions) or "0 to 3" (other figures)."""
    band: tuple[Any, Any] | None = None
    """For an expectation on a verdict dbt computed (a ``*_band`` column: below, inside or
    above), the band it was computed against, as (min, max) :class:`Bound` s: read for the
    message and the history, never compared here; both blank in the seed skips it."""
    observed_column: str | None = None
    """The column a row reports as observed when :attr:`column` holds a verdict (the value
    the verdict is about); None: :attr:`column` itself."""

    @property
    def column(self) -> str | None:
        return self.kwargs.get("column")

    @property
    def reported_column(self) -> str | None:
        """The column a result names: the observed value's."""
        return self.observed_column or self.column


@dataclass(frozen=True)
class QualityCheck:
    name: str
    asset: tuple[str, ...]
    """Key path of the asset the check guards, e.g. ``("raw", "usage_daily")``."""
    description: str
    frame_sql: str
    """A query over the warehouse returning the (small, pre-aggregated) frame to validate."""
    expectations: tuple[Expectation, ...]
    params: tuple[Any, ...] = field(default=())
    """Values bound to the frame's ``?`` placeholders; a :class:`Bound` or a
    :class:`RunValue` is resolved when the check runs."""
    subject_column: str | None = None
    """A column naming what each frame row is about (unique per row): GE then reports
    which rows failed, and each failing row gets its own remedy."""
    requires: tuple[str, ...] = field(default=())
    """Relations (``schema.table``) the frame reads; the check is skipped where one is absent."""


@dataclass(frozen=True)
class RowOutcome:
    """One frame row under one expectation: what was observed and, if it failed, what to do."""

    subject: str
    passed: bool
    observed: Any
    remedy: str | None
    row: Mapping[str, Any]
    """The whole frame row (thresholds, segment, trigger, ... for the results history)."""


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str
    column: str | None
    success: bool
    severity: Severity
    observed: dict[str, Any]
    remedy: str
    bounds: Bounds = field(default_factory=Bounds)
    rows: tuple[RowOutcome, ...] = field(default=())
    """Per-row results, for a check with a subject column."""
    skipped: bool = False
    """True when the bounds seed sets no bound for this expectation (it then passes)."""

    @property
    def summary(self) -> str:
        column = f" on {self.column}" if self.column else ""
        state = "passed" if self.success else f"FAILED ({self.severity})"
        return f"{self.expectation}{column}: {state}"

    @property
    def failed_rows(self) -> tuple[RowOutcome, ...]:
        return tuple(r for r in self.rows if not r.passed)

    @property
    def remedies(self) -> tuple[str, ...]:
        """What to do: one remedy per failing row when known, else the general one."""
        if self.success:
            return ()
        rows = self.failed_rows
        return tuple(r.remedy or self.remedy for r in rows) if rows else (self.remedy,)


@dataclass(frozen=True)
class CheckReport:
    check: QualityCheck
    rows_inspected: int
    outcomes: tuple[ExpectationOutcome, ...]
    missing: tuple[str, ...] = field(default=())
    """Required relations that were absent: the check was not evaluated."""

    @property
    def failures(self) -> tuple[ExpectationOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.success)

    @property
    def severity(self) -> Severity | None:
        """The worst severity among failed expectations; None when all passed."""
        severities = {o.severity for o in self.failures}
        return next((s for s in SEVERITY_ORDER if s in severities), None)
