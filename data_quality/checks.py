"""What a quality check is: a frame to inspect and the expectations it must meet."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["warn", "error"]


@dataclass(frozen=True)
class Expectation:
    """One Great Expectations expectation, kept as data until it is evaluated."""

    type: str
    """A class in ``great_expectations.expectations``, e.g. ``ExpectColumnValuesToBeBetween``."""
    kwargs: dict[str, Any]
    severity: Severity
    remedy: str


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


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str
    column: str | None
    success: bool
    severity: Severity
    observed: dict[str, Any]
    remedy: str

    @property
    def summary(self) -> str:
        column = f" on {self.column}" if self.column else ""
        state = "passed" if self.success else f"FAILED ({self.severity})"
        return f"{self.expectation}{column}: {state}"


@dataclass(frozen=True)
class CheckReport:
    check: QualityCheck
    rows_inspected: int
    outcomes: tuple[ExpectationOutcome, ...]

    @property
    def failures(self) -> tuple[ExpectationOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.success)

    @property
    def severity(self) -> Severity | None:
        """The worst severity among failed expectations; None when all passed."""
        severities = {o.severity for o in self.failures}
        if "error" in severities:
            return "error"
        return "warn" if severities else None
