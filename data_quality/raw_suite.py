"""Raw-data expectations: what must hold of the landing zone once it is loaded.

Every check names what failed: each frame row is one subject (a source, a
usage day, a currency) with a few examples of the offending rows (file, row,
key, date), and every failing row gets a remedy worded from them.

Rows dated after the night. The night's models are point in time: they never
read a row dated after the as-of date. A row dated after both the as-of date
and today (UTC) cannot be right - a clock or time-zone bug in the export - and
is an error. A row dated after a pinned ``--as-of`` but not after today is what
re-computing an earlier night looks like (later files already landed): a
warning, so that the night publishes and says what it left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from data_quality.checks import Bounds, Expectation, QualityCheck, RunValue
from expansion.contract import SOURCES, Source

REJECT_SHARE_WARN = 0.01
REJECT_SHARE_ERROR = 0.05
EXAMPLES = 3
"""Offending rows named per failing subject; the tables hold all of them."""


def _row_key_sql(source: Source) -> str:
    """SQL text naming a row by its key: ``line_id ln_1`` or ``(account_id, usage_date) =
    (acc_1, 2026-03-01)``."""
    values = [f"coalesce(cast({k} as varchar), '')" for k in source.key]
    if len(values) == 1:
        return f"'{source.key[0]} ' || {values[0]}"
    return f"'({', '.join(source.key)}) = (' || " + " || ', ' || ".join(values) + " || ')'"


def _dated_row_sql(source: Source) -> str:
    """The source's rows dated after the night (``reference``), each with its date
    (``row_date``) and a description naming it: file, row, key and date."""
    date_column = source.date_column
    dated = (
        ""
        if date_column in source.key
        else f" || ', {date_column} ' || cast({date_column} as varchar)"
    )
    return f"""
        select
            cast({date_column} as date) as row_date,
            _source_file || ' row ' || cast(_source_row_number as varchar) || ': '
                || {_row_key_sql(source)}{dated} as described
        from {source.raw_table}
        where cast({date_column} as date)
            > (select coalesce(as_of_date, future_after) from reference)
    """


def _rows(count: int, source: str) -> str:
    """``1 subscriptions row is`` / ``9 subscriptions rows are``."""
    return f"{count:,} {source} {'row is' if count == 1 else 'rows are'}"


def _dates_sql(source: Source) -> str:
    """Rows dated after the night (see the module docstring), counted and named."""
    if source.date_column is None:
        return """
            select 0 as rows_after_as_of_date, cast(null as varchar) as after_as_of_examples,
                0 as rows_in_the_future, cast(null as varchar) as future_examples
        """
    return f"""
        with dated as ({_dated_row_sql(source)}),
        judged as (
            select
                described,
                row_date,
                row_date > reference.future_after as is_in_the_future,
                not (row_date > reference.future_after)
                    and row_date > reference.as_of_date as is_after_as_of_date
            from dated
            cross join reference
        ),
        ranked as (
            select
                *,
                row_number() over (
                    partition by is_in_the_future, is_after_as_of_date
                    order by row_date desc, described
                ) as nth
            from judged
            where is_in_the_future or is_after_as_of_date
        )
        select
            count(*) filter (where is_after_as_of_date) as rows_after_as_of_date,
            string_agg(described, '; ' order by nth)
                filter (where is_after_as_of_date and nth <= {EXAMPLES}) as after_as_of_examples,
            count(*) filter (where is_in_the_future) as rows_in_the_future,
            string_agg(described, '; ' order by nth)
                filter (where is_in_the_future and nth <= {EXAMPLES}) as future_examples
        from ranked
    """


def _reject_remedy(row: Mapping[str, Any], _bounds: Bounds) -> str:
    return (
        f"{row['reject_share']:.1%} of {row['source']} rows ({row['rows_rejected']:,} of "
        f"{row['rows_loaded'] + row['rows_rejected']:,}) broke the contract ({row['by_rule']}); "
        f"first: {row['first_reject']}. Read raw._rejects by rule and fix the export at its "
        "source, then drop the corrected files again"
    )


def _refused_remedy(row: Mapping[str, Any], _bounds: Bounds) -> str:
    count = row["files_refused"]
    entries = "entry was" if count == 1 else "entries were"
    return (
        f"{count} {row['source']} {entries} refused whole: {row['refused_examples']}. Correct "
        "each and drop it again under the same name (raw._load_ledger, status 'refused', has "
        "every message)"
    )


def _future_remedy(row: Mapping[str, Any], _bounds: Bounds) -> str:
    reference = "today" if row["as_of_date"] is None else "the night's as-of date and today"
    return (
        f"{_rows(row['rows_in_the_future'], row['source'])} dated after {reference} "
        f"({row['future_after']}), latest first: {row['future_examples']}. A clock or "
        "time-zone bug in the export: fix it and drop the file again (point-in-time results "
        "would read the future)"
    )


def _after_as_of_remedy(row: Mapping[str, Any], _bounds: Bounds) -> str:
    return (
        f"{_rows(row['rows_after_as_of_date'], row['source'])} dated after the night's "
        f"as-of date {row['as_of_date']}, latest first: {row['after_as_of_examples']}. "
        "Tonight's point-in-time models do not read them; expected when re-computing an "
        "earlier night, otherwise check --as-of"
    )


def load_outcome_check(source: Source) -> QualityCheck:
    """Rows rejected, entries refused and rows dated after the night, for one source."""
    return QualityCheck(
        name=f"raw_{source.name}_load_outcome",
        asset=("raw", source.name),
        description=(
            f"Share of {source.name} rows rejected by the contract "
            f"(warn above {REJECT_SHARE_WARN:.0%}, error above {REJECT_SHARE_ERROR:.0%}), "
            "entries refused whole, and rows dated after the night (an error after today, "
            "a warning after a pinned as-of date)."
        ),
        frame_sql=f"""
            with reference as (
                select
                    cast(? as date) as as_of_date,
                    greatest(coalesce(cast(? as date), cast(? as date)), cast(? as date))
                        as future_after
            ),
            loaded as (
                select count(*) as rows_loaded from {source.raw_table}
            ),
            rejects as (
                select
                    source_file,
                    source_row_number,
                    rule,
                    message,
                    count(*) over (partition by rule) as rule_count
                from raw._rejects
                where source = ?
            ),
            rejected as (
                select
                    count(distinct (source_file, source_row_number)) as rows_rejected,
                    arg_min(
                        source_file || ' row ' || cast(source_row_number as varchar) || ', '
                            || rule || ': ' || message,
                        (source_file, source_row_number, rule)
                    ) as first_reject
                from rejects
            ),
            by_rule as (
                select string_agg(rule || ' ' || cast(rule_count as varchar), ', '
                    order by rule_count desc, rule) as by_rule
                from (select distinct rule, rule_count from rejects)
            ),
            refused as (
                select
                    count(*) as files_refused,
                    string_agg(message, '; ' order by source_file)
                        filter (where nth <= {EXAMPLES}) as refused_examples
                from (
                    select message, source_file, row_number() over (order by source_file) as nth
                    from raw._load_ledger
                    where source = ? and status = 'refused'
                )
            ),
            dates as ({_dates_sql(source)})
            select
                '{source.raw_table}' as subject,
                '{source.name}' as source,
                rows_loaded,
                rows_rejected,
                coalesce(rows_rejected / nullif(rows_loaded + rows_rejected, 0), 0.0)
                    as reject_share,
                by_rule,
                first_reject,
                files_refused,
                refused_examples,
                reference.as_of_date,
                reference.future_after,
                rows_after_as_of_date,
                after_as_of_examples,
                rows_in_the_future,
                future_examples
            from loaded, rejected, by_rule, refused, dates, reference
        """,
        params=(
            RunValue.AS_OF_DATE,
            RunValue.AS_OF_DATE,
            RunValue.TODAY,
            RunValue.TODAY,
            source.name,
            source.name,
        ),
        subject_column="subject",
        expectations=(
            Expectation(
                "ExpectColumnValuesToBeBetween",
                {"column": "reject_share", "max_value": REJECT_SHARE_WARN},
                "warn",
                f"More than {REJECT_SHARE_WARN:.0%} of {source.name} rows broke the contract: "
                "read raw._rejects by rule and fix the export at its source.",
                row_remedy=_reject_remedy,
            ),
            Expectation(
                "ExpectColumnValuesToBeBetween",
                {"column": "reject_share", "max_value": REJECT_SHARE_ERROR},
                "error",
                f"More than {REJECT_SHARE_ERROR:.0%} of {source.name} rows were rejected: "
                "the export is broken; nothing downstream can be trusted until it is fixed.",
                row_remedy=_reject_remedy,
            ),
            Expectation(
                "ExpectColumnValuesToBeBetween",
                {"column": "files_refused", "max_value": 0},
                "warn",
                f"A {source.name} entry was refused whole (unreadable, missing a column, "
                "header only, or a missing folder): see raw._load_ledger for the message, "
                "correct it and drop it again.",
                row_remedy=_refused_remedy,
                bounds_as_percent=False,
            ),
            Expectation(
                "ExpectColumnValuesToBeBetween",
                {"column": "rows_in_the_future", "max_value": 0},
                "error",
                f"{source.name} has rows dated in the future: a clock or time-zone bug in the "
                "export. Point-in-time results would read the future; fix the export.",
                row_remedy=_future_remedy,
                bounds_as_percent=False,
            ),
            Expectation(
                "ExpectColumnValuesToBeBetween",
                {"column": "rows_after_as_of_date", "max_value": 0},
                "warn",
                f"{source.name} has rows dated after the night's as-of date; tonight's models "
                "do not read them.",
                row_remedy=_after_as_of_remedy,
                bounds_as_percent=False,
            ),
        ),
    )


def _missing_day_remedy(row: Mapping[str, Any], _bounds: Bounds) -> str:
    return (
        f"no usage rows at all for {row['usage_date']}: its file "
        f"usage_daily/{row['usage_date']}.csv is missing or was refused (raw._load_ledger "
        "says which). Drop the day's file again; health and triggers would read the gap as "
        "zero usage"
    )


def _thin_day_remedy(row: Mapping[str, Any], _bounds: Bounds) -> str:
    return (
        f"only {row['accounts_reporting']:,} accounts reported usage on {row['usage_date']}, "
        f"{row['share_of_usual_accounts']:.0%} of the usual {row['median_accounts']:,.0f}: "
        "check event tracking (or a partial file) before trusting usage-based triggers for "
        "that day"
    )


USAGE_CONTINUITY = QualityCheck(
    name="raw_usage_daily_continuity",
    asset=("raw", "usage_daily"),
    description=(
        "Every day between the first and the last usage day has usage rows, "
        "and no day reports fewer than half the usual number of accounts."
    ),
    frame_sql="""
        with per_day as (
            select usage_date, count(*) as accounts_reporting
            from raw.usage_daily
            group by usage_date
        ),
        calendar as (
            select cast(day as date) as usage_date
            from (select min(usage_date) as first_day, max(usage_date) as last_day from per_day),
                range(first_day, last_day + 1, interval 1 day) as days(day)
        ),
        usual as (
            select median(accounts_reporting) as median_accounts from per_day
        )
        select
            cast(calendar.usage_date as varchar) as subject,
            calendar.usage_date,
            coalesce(per_day.accounts_reporting, 0) as accounts_reporting,
            usual.median_accounts,
            coalesce(per_day.accounts_reporting, 0) / usual.median_accounts
                as share_of_usual_accounts
        from calendar
        cross join usual
        left join per_day on per_day.usage_date = calendar.usage_date
        order by calendar.usage_date
    """,
    subject_column="subject",
    expectations=(
        Expectation(
            "ExpectColumnValuesToBeBetween",
            {"column": "accounts_reporting", "min_value": 1},
            "error",
            "A day has no usage rows at all: its usage_daily file is missing or was refused. "
            "Drop the day's file again; health and triggers would read the gap as zero usage.",
            row_remedy=_missing_day_remedy,
            bounds_as_percent=False,
        ),
        Expectation(
            "ExpectColumnValuesToBeBetween",
            {"column": "share_of_usual_accounts", "min_value": 0.5},
            "warn",
            "Fewer than half the usual accounts reported usage on some days: "
            "check event tracking before trusting usage-based triggers for those days.",
            row_remedy=_thin_day_remedy,
        ),
    ),
)


def _line_sql(extra: str) -> str:
    """One subscription line, named: id, account, dates, file and row."""
    return (
        "line_id || ' (account ' || account_id || ', from ' || cast(start_date as varchar)"
        f"{extra} || '; ' || _source_file || ' row ' || cast(_source_row_number as varchar) || ')'"
    )


def _ending_remedy(row: Mapping[str, Any], _bounds: Bounds) -> str:
    count = row["lines_ending_before_start"]
    return (
        f"{count:,} subscription line{'s end' if count > 1 else ' ends'} on or before "
        f"{'their' if count > 1 else 'its'} start date: {row['examples']}. ARR would be "
        "misstated: fix the billing export (end_date is exclusive) and drop subscriptions again"
    )


def _fx_remedy(row: Mapping[str, Any], _bounds: Bounds) -> str:
    count, currency = row["lines_without_fx_rate"], row["currency"]
    return (
        f"{count:,} subscription line{'s are' if count > 1 else ' is'} billed in {currency}, "
        f"which has no rate in fx_rates: {row['examples']}. Add {currency} rates to the "
        "fx_rates export (usd_per_unit by rate_date, from the earliest start date above), "
        "or correct the lines' currency"
    )


SUBSCRIPTION_INTEGRITY = QualityCheck(
    name="raw_subscriptions_integrity",
    asset=("raw", "subscriptions"),
    description="Lines end after they start, and every currency has an fx rate.",
    frame_sql=f"""
        with ending_before_start as (
            select
                {_line_sql(" || ' to ' || cast(end_date as varchar)")} as described,
                row_number() over (order by _source_file, _source_row_number) as nth
            from raw.subscriptions
            where end_date is not null and end_date <= start_date
        ),
        without_fx_rate as (
            select
                currency,
                {_line_sql("")} as described,
                row_number() over (
                    partition by currency order by _source_file, _source_row_number
                ) as nth
            from raw.subscriptions
            where currency <> 'USD' and currency not in (select currency from raw.fx_rates)
        )
        select
            'lines ending on or before their start' as subject,
            count(*) as lines_ending_before_start,
            cast(null as bigint) as lines_without_fx_rate,
            cast(null as varchar) as currency,
            string_agg(described, '; ' order by nth) filter (where nth <= {EXAMPLES})
                as examples
        from ending_before_start
        union all
        select
            'currency ' || currency,
            null,
            count(*),
            currency,
            string_agg(described, '; ' order by nth) filter (where nth <= {EXAMPLES})
        from without_fx_rate
        group by currency
    """,
    subject_column="subject",
    expectations=(
        Expectation(
            "ExpectColumnValuesToBeBetween",
            {"column": "lines_ending_before_start", "max_value": 0},
            "error",
            "Subscription lines end on or before their start date: ARR would be misstated. "
            "Fix the billing export (end_date is exclusive).",
            row_remedy=_ending_remedy,
            bounds_as_percent=False,
        ),
        Expectation(
            "ExpectColumnValuesToBeBetween",
            {"column": "lines_without_fx_rate", "max_value": 0},
            "error",
            "Lines are billed in a currency without fx_rates: add rates for that currency.",
            row_remedy=_fx_remedy,
            bounds_as_percent=False,
        ),
    ),
)


RAW_CHECKS: tuple[QualityCheck, ...] = (
    *(load_outcome_check(s) for s in SOURCES),
    USAGE_CONTINUITY,
    SUBSCRIPTION_INTEGRITY,
)
