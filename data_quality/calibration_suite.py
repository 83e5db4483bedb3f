"""Calibration expectations (SPEC 8): are the triggers, the gate and whitespace tuned?

Each check reads a calibration mart (``models/marts/quality``) or
``marts.whitespace_coverage`` against the bounds in ``seeds.calibration_bounds``
- read when the check runs, never written here. The verdict is dbt's: each
mart places its values below, inside or above each band (macro
``band_position``; ``<column>_warn_band``, ``<column>_error_band``), dbt
quarantines a trigger on those columns, and the checks here report them - they
never compare a value with a bound themselves (the bounds are read for the
message only).

Severity. A calibration breach never stops the night (SPEC 8): only data
integrity does (the raw and mart suites). A trigger's ``'All'`` row outside the
error band (firing rate) or below the minimum (precision) *quarantines* the
trigger: severity ``quarantine`` - the night publishes, the trigger's firings
stay in trigger_firings marked ``is_quarantined`` and its alerts are held in the
outbox until it is recalibrated (dbt's calibration_trigger_firing_rates.is_quarantined,
from the same verdict columns). Outside the warn band it is a
warning. Segment rows are warn-only, because a segment's sample is small (an
Enterprise book of 100 accounts moves 1 point of firing rate per account) and
the 'All' row already carries the decision; for the same reason a trigger's
'All' row quarantines only when the backtest had at least ``sample_size``
eligible accounts (the mart's ``is_blocking``; 500 by default). The gate and
whitespace have nothing to quarantine: every band of theirs warns.

Every failing row gets its own remedy, built from that row: which threshold to
change, from what to what (the backtest's suggested threshold), which gate
criterion to relax first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from data_quality.checks import Bound, Bounds, Expectation, QualityCheck, RowRemedy, Severity

FIRING_RATE = "trigger_firing_rate"
PRECISION = "trigger_precision"
GATE_PASS_RATE = "readiness_gate_pass_rate"
GATE_RECALL = "readiness_gate_recall"
WHITESPACE_COVERAGE = "whitespace_coverage"

CALIBRATION_MART_ASSET = ("marts", "calibration_trigger_firing_rates")
GATE_MART_ASSET = ("marts", "calibration_readiness_gate")
WHITESPACE_ASSET = ("marts", "whitespace_coverage")


BAND_POSITION = "band_position"
"""The key under which a row remedy finds the verdict that failed: below or above."""


def _at_position(row_remedy: RowRemedy, verdicts: str) -> RowRemedy:
    """The row remedy, told where the value lies (dbt's verdict in column ``verdicts``)."""

    def remedy(row: Mapping[str, Any], bounds: Bounds) -> str:
        return row_remedy({**row, BAND_POSITION: row[verdicts]}, bounds)

    return remedy


def _inside_band(
    column: str, verdicts: str, metric: str, band: str, severity: Severity, remedy: str, row_remedy
):
    """The verdict dbt computed (``verdicts``: below, inside or above the band) is inside;
    a row reports ``column`` (the value) and the band's bounds from the seed."""
    return Expectation(
        "ExpectColumnValuesToBeInSet",
        {"column": verdicts, "value_set": ["inside"]},
        severity,  # type: ignore[arg-type]
        remedy,
        row_remedy=_at_position(row_remedy, verdicts),
        band=(Bound(metric, f"{band}_min"), Bound(metric, f"{band}_max")),
        observed_column=column,
    )


QUARANTINE_NOTICE = "quarantined - its alerts are held until it is recalibrated: "


def quarantining(row_remedy: RowRemedy) -> RowRemedy:
    """The remedy of a breach that quarantines a trigger: says so, then what to change."""

    def remedy(row: Mapping[str, Any], bounds: Bounds) -> str:
        return QUARANTINE_NOTICE + row_remedy(row, bounds)

    return remedy


def banded(
    metric: str, column: str, remedy: str, row_remedy, quarantines: bool = False
) -> tuple[Expectation, ...]:
    """The severity policy of every calibration metric (module docstring), as expectations.

    ``<column>`` holds every row, ``<column>_blocking`` only the 'All' row of a large
    enough book and ``<column>_segment`` the others (the frame nulls the rest; GE skips
    nulls). The blocking row outside the error band quarantines a trigger
    (``quarantines``) and warns for the gate and whitespace. A band whose two bounds are
    blank in the seed is skipped. Each is checked on dbt's verdicts:
    ``<column>_warn_band`` and ``<column>_error_band_blocking`` / ``_segment``.
    """
    breach: Severity = "quarantine" if quarantines else "warn"
    breach_remedy = quarantining(row_remedy) if quarantines else row_remedy
    return (
        _inside_band(column, f"{column}_warn_band", metric, "warn", "warn", remedy, row_remedy),
        _inside_band(
            f"{column}_blocking",
            f"{column}_error_band_blocking",
            metric,
            "error",
            breach,
            remedy,
            breach_remedy,
        ),
        _inside_band(
            f"{column}_segment",
            f"{column}_error_band_segment",
            metric,
            "error",
            "warn",
            remedy,
            row_remedy,
        ),
    )


def _split(
    column: str,
    expression: str | None = None,
    blocking: str = "segment = 'All'",
    as_number: bool = True,
) -> str:
    """``column``, ``column_blocking`` and ``column_segment`` (see :func:`banded`): the rows
    for which ``blocking`` holds, and the others (warn-only); a number as a double."""
    value = expression or column
    if as_number:
        value = f"cast({value} as double)"
    return (
        f"{value} as {column},\n"
        f"case when {blocking} then {value} end as {column}_blocking,\n"
        f"case when not ({blocking}) then {value} end as {column}_segment"
    )


# --- remedies, worded for the row that failed ---------------------------------------------


def number(value: Any) -> str:
    """A threshold as a person writes it: 0.8, 60, 5.2536."""
    if value is None:
        return "?"
    return f"{round(float(value), 4):g}"


def _scope(segment: str) -> str:
    """' SMB' for a segment, '' for 'All': "of 773 eligible accounts", "of 93 eligible SMB ..."."""
    return "" if segment == "All" else f" {segment}"


def _past(verb: str, current: Any) -> str:
    """Where a raised or lowered threshold goes: "above 60" or "below 60"."""
    return f"{'above' if verb == 'raise' else 'below'} {number(current)}"


def _suggested_move(verb: str, row: Mapping[str, Any]) -> str:
    """The move to the suggested threshold, e.g. "raise threshold of X from 2 to 3 (...)"."""
    rate = row.get("suggested_firing_rate")
    at_rate = f", at which it would have fired for {rate:.1%}" if rate is not None else ""
    return (
        f"{verb} threshold of {row['trigger_id']} from {number(row['threshold_value'])} "
        f"to {number(row['suggested_threshold_value'])} "
        f"(the backtest's suggested threshold{at_rate})"
    )


def _other(verb: str) -> str:
    return "lower" if verb == "raise" else "raise"


def _suggestion_moves(verb: str, row: Mapping[str, Any]) -> bool:
    """Is the suggested threshold a move in this direction ("raise" or "lower")?"""
    current, suggested = row["threshold_value"], row["suggested_threshold_value"]
    if suggested is None:
        return False
    return (
        float(suggested) > float(current) if verb == "raise" else float(suggested) < float(current)
    )


def firing_rate_remedy(row: Mapping[str, Any], bounds: Bounds) -> str:
    trigger, segment = row["trigger_id"], row["segment"]
    rate, eligible, current = row["firing_rate"], row["eligible_accounts"], row["threshold_value"]
    looser, tighter = (
        ("lower", "raise") if row["signal_direction"] == "at_least" else ("raise", "lower")
    )
    fact = (
        f"{trigger} fired for {row['firing_accounts']} of {eligible} eligible{_scope(segment)} "
        f"accounts ({rate:.1%}) in {row['window_start']}…{row['window_end']}; "
        f"bounds {bounds.describe()}"
    )
    if row["firing_accounts"] == 0:
        return (
            f"check event tracking: {fact}. If the signal is tracked, {looser} threshold of "
            f"{trigger} {_past(looser, current)}"
        )
    verb = tighter if row[BAND_POSITION] == "above" else looser
    moves = _suggestion_moves(verb, row)
    if not moves and _suggestion_moves(_other(verb), row):
        # The sweep found the nearer rate the other way: a banded condition such as
        # contract_milestone (30 days from N days out) is not monotonic in its threshold.
        move = _suggested_move(_other(verb), row)
        moves = True
    elif moves:
        move = _suggested_move(verb, row)
    else:
        move = (
            f"{verb} threshold of {trigger} {_past(verb, current)} "
            "(no threshold of the backtest's sweep fires nearer the target)"
        )
    if verb == tighter:
        return f"{move}, or add a health gate: {fact}"
    if moves:
        return f"{move}: {fact}"
    return f"{move}, or check event tracking: {fact}"


def precision_remedy(row: Mapping[str, Any], bounds: Bounds) -> str:
    trigger, segment = row["trigger_id"], row["segment"]
    tighter = "raise" if row["signal_direction"] == "at_least" else "lower"
    move = (
        _suggested_move(tighter, row)
        if _suggestion_moves(tighter, row)
        else f"{tighter} threshold of {trigger} {_past(tighter, row['threshold_value'])}"
    )
    return (
        f"{move} or add a health gate, and check event tracking: only "
        f"{row['expanded_firings']} of {row['firings']} firings of {trigger}"
        f"{f' on {segment} accounts' if segment != 'All' else ''} ({row['precision']:.0%}) "
        "were followed by an expansion "
        f"(bound {bounds.describe()})"
    )


def gate_pass_rate_remedy(row: Mapping[str, Any], bounds: Bounds) -> str:
    segment, rate = row["segment"], row["gate_pass_rate"]
    where = "every segment's" if segment == "All" else f"the {segment}"
    fact = (
        f"{row['gate_passed_accounts']} of {row['active_accounts']} active{_scope(segment)} "
        f"accounts ({rate:.0%}) pass the readiness gate (bounds {bounds.describe()})"
    )
    if row[BAND_POSITION] == "above":
        return f"tighten {where} gate criteria in readiness_gate_criteria: {fact}"
    criterion = row.get("most_failed_criterion")
    first = (
        f", starting with {criterion} (failed by {row['most_failed_criterion_accounts']} of them)"
        if criterion
        else ""
    )
    return f"relax {where} gate criteria in readiness_gate_criteria{first}: {fact}"


def _recall_change(row: Mapping[str, Any]) -> str | None:
    """What the gate's recall suggestion says to change, worded for a segment's row."""
    basis, setting = row.get("recall_suggestion_basis"), row.get("recall_criterion_setting")
    recall = row.get("recall_at_suggested_value")
    there = f"{recall:.0%}" if recall is not None else "?"
    if (
        basis in ("criterion_sweep", "other_criteria_also_block")
        and row.get("recall_suggested_threshold_value") is not None
    ):
        change = (
            f"set {setting} of {row['segment']} in readiness_gate_criteria from "
            f"{number(row['recall_criterion_threshold_value'])} to "
            f"{number(row['recall_suggested_threshold_value'])} (recall there: {there})"
        )
        if basis == "other_criteria_also_block":
            change += ", and relax the other criteria that also stopped them"
        return change
    if basis == "not_a_threshold":
        return (
            f"review the {row['recall_most_failed_criterion']} criterion of {row['segment']} "
            f"(recall without it: {there})"
        )
    return None


def gate_recall_remedy(row: Mapping[str, Any], bounds: Bounds) -> str:
    segment, criterion = row["segment"], row.get("recall_most_failed_criterion")
    stopped = (
        f"{criterion} stopped {row['recall_most_failed_criterion_accounts']} of them the day before"
        if criterion
        else None
    )
    change = _recall_change(row)
    if change is None:
        change = "relax the gate criteria that failed" + (
            f", starting with {criterion}" if criterion else ""
        )
    fact = (
        f"of the {row['expanded_accounts_sampled']} most recently expanded{_scope(segment)} "
        f"accounts only {row['passed_before_expansion_accounts']} ({row['gate_recall']:.0%}) "
        "passed the gate the day before expanding"
    )
    return f"{change}: {fact}{f'; {stopped}' if stopped else ''} (bound {bounds.describe()})"


def whitespace_coverage_remedy(row: Mapping[str, Any], bounds: Bounds) -> str:
    return (
        "check product fit (industry_product_fit) and interest signals (ticket and CRM tags), "
        f"and check event tracking: only {row['accounts_with_opportunity']} of "
        f"{row['healthy_accounts']} healthy{_scope(row['segment'])} accounts "
        f"({row['coverage']:.0%}) show a cross-sell opportunity (bound {bounds.describe()})"
    )


# --- the checks ------------------------------------------------------------------------------

_TRIGGER_FRAME = f"""
    select
        trigger_id || ' · ' || segment || ' · ' || cast(window_start as varchar) as subject,
        trigger_id,
        segment,
        window_start,
        window_end,
        eligible_accounts,
        firing_accounts,
        firings,
        expanded_firings,
        {_split("firing_rate", blocking="is_blocking")},
        {_split("precision", '"precision"', blocking="is_blocking")},
        firing_rate_warn_band,
        {_split("firing_rate_error_band", blocking="is_blocking", as_number=False)},
        precision_warn_band,
        {_split("precision_error_band", blocking="is_blocking", as_number=False)},
        signal_direction,
        cast(threshold_value as double) as threshold_value,
        cast(suggested_threshold_value as double) as suggested_threshold_value,
        cast(suggested_firing_rate as double) as suggested_firing_rate
    from marts.calibration_trigger_firing_rates
    order by segment = 'All' desc, trigger_id, segment, window_start
"""

TRIGGER_FIRING_RATE = QualityCheck(
    name="calibration_trigger_firing_rate",
    asset=CALIBRATION_MART_ASSET,
    description=(
        "Each trigger's firing rate per backtest quarter against calibration_bounds "
        "(trigger_firing_rate): outside the error band on the 'All' row quarantines the trigger "
        "(on a book of at least sample_size eligible accounts: its alerts are held, the night "
        "publishes), outside the warn band a warning; segment rows warn only."
    ),
    frame_sql=_TRIGGER_FRAME,
    subject_column="subject",
    requires=("marts.calibration_trigger_firing_rates",),
    expectations=banded(
        FIRING_RATE,
        "firing_rate",
        "Below the band the trigger is too restrictive (lower its threshold); above it too "
        "permissive (raise it or add a health gate).",
        firing_rate_remedy,
        quarantines=True,
    ),
)

TRIGGER_PRECISION = QualityCheck(
    name="calibration_trigger_precision",
    asset=CALIBRATION_MART_ASSET,
    description=(
        "Share of each trigger's firings followed by an expansion within the horizon, against "
        "calibration_bounds (trigger_precision); below the minimum on the 'All' row quarantines "
        "the trigger, segment rows warn."
    ),
    frame_sql=_TRIGGER_FRAME,
    subject_column="subject",
    requires=("marts.calibration_trigger_firing_rates",),
    expectations=banded(
        PRECISION,
        "precision",
        "Raise the threshold or add a health gate; check event tracking.",
        precision_remedy,
        quarantines=True,
    ),
)

_GATE_FRAME = f"""
    select
        segment as subject,
        segment,
        active_accounts,
        gate_passed_accounts,
        {_split("gate_pass_rate")},
        gate_pass_rate_warn_band,
        {_split("gate_pass_rate_error_band", as_number=False)},
        most_failed_criterion,
        most_failed_criterion_accounts,
        expanded_accounts_sampled,
        passed_before_expansion_accounts,
        {_split("gate_recall")},
        gate_recall_warn_band,
        {_split("gate_recall_error_band", as_number=False)},
        recall_most_failed_criterion,
        recall_most_failed_criterion_accounts,
        recall_criterion_setting,
        cast(recall_criterion_threshold_value as double) as recall_criterion_threshold_value,
        cast(recall_suggested_threshold_value as double) as recall_suggested_threshold_value,
        cast(recall_at_suggested_value as double) as recall_at_suggested_value,
        recall_suggestion_basis
    from marts.calibration_readiness_gate
    order by segment = 'All' desc, segment
"""

READINESS_GATE_PASS_RATE = QualityCheck(
    name="calibration_readiness_gate_pass_rate",
    asset=GATE_MART_ASSET,
    description=(
        "Share of active accounts passing the readiness gate on the as-of date, against "
        "calibration_bounds (readiness_gate_pass_rate)."
    ),
    frame_sql=_GATE_FRAME,
    subject_column="subject",
    requires=("marts.calibration_readiness_gate",),
    expectations=banded(
        GATE_PASS_RATE,
        "gate_pass_rate",
        "Too few passing: relax the gate criteria; too many: tighten them.",
        gate_pass_rate_remedy,
    ),
)

READINESS_GATE_RECALL = QualityCheck(
    name="calibration_readiness_gate_recall",
    asset=GATE_MART_ASSET,
    description=(
        "Of the most recently expanded accounts, the share that passed the gate the day before "
        "expanding, against calibration_bounds (readiness_gate_recall)."
    ),
    frame_sql=_GATE_FRAME,
    subject_column="subject",
    requires=("marts.calibration_readiness_gate",),
    expectations=banded(
        GATE_RECALL,
        "gate_recall",
        "Relax the criteria that failed for the accounts that expanded anyway.",
        gate_recall_remedy,
    ),
)

WHITESPACE = QualityCheck(
    name="calibration_whitespace_coverage",
    asset=WHITESPACE_ASSET,
    description=(
        "Share of healthy accounts with at least one cross-sell opportunity, against "
        "calibration_bounds (whitespace_coverage)."
    ),
    frame_sql=f"""
        select
            segment as subject,
            segment,
            healthy_accounts,
            accounts_with_opportunity,
            {_split("coverage")},
            coverage_warn_band,
            {_split("coverage_error_band", as_number=False)}
        from marts.whitespace_coverage
        order by segment = 'All' desc, segment
    """,
    subject_column="subject",
    requires=("marts.whitespace_coverage",),
    expectations=banded(
        WHITESPACE_COVERAGE,
        "coverage",
        "Check product fit and interest signals.",
        whitespace_coverage_remedy,
    ),
)

CALIBRATION_CHECKS: tuple[QualityCheck, ...] = (
    TRIGGER_FIRING_RATE,
    TRIGGER_PRECISION,
    READINESS_GATE_PASS_RATE,
    READINESS_GATE_RECALL,
    WHITESPACE,
)
