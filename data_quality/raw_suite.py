"""Raw-data expectations: what must hold of the landing zone once it is loaded."""

from __future__ import annotations

from data_quality.checks import Expectation, QualityCheck
from expansion.contract import SOURCES, Source

REJECT_SHARE_WARN = 0.01
REJECT_SHARE_ERROR = 0.05


def _latest_date_sql(source: Source) -> str:
    if source.date_column is None:
        return "cast(null as date)"
    return f"max(cast({source.date_column} as date))"


def load_outcome_check(source: Source) -> QualityCheck:
    """Rows rejected, files refused and rows dated in the future, for one source."""
    return QualityCheck(
        name=f"raw_{source.name}_load_outcome",
        asset=("raw", source.name),
        description=(
            f"Share of {source.name} rows rejected by the contract "
            f"(warn above {REJECT_SHARE_WARN:.0%}, error above {REJECT_SHARE_ERROR:.0%}) "
            "files refused whole, and rows dated after today."
        ),
        frame_sql=f"""
            with loaded as (
                select count(*) as rows_loaded, {_latest_date_sql(source)} as latest_date
                from {source.raw_table}
            ),
            rejected as (
                select count(distinct (source_file, source_row_number)) as rows_rejected
                from raw._rejects
                where source = ?
            ),
            refused as (
                select count(*) as files_refused
                from raw._load_ledger
                where source = ? and status = 'refused'
            )
            select
                rows_loaded,
                rows_rejected,
                coalesce(rows_rejected / nullif(rows_loaded + rows_rejected, 0), 0.0)
                    as reject_share,
                files_refused,
                coalesce(latest_date - current_date, 0) as days_ahead_of_today
            from loaded, rejected, refused
        """,
        params=(source.name, source.name),
        expectations=(
            Expectation(
                "ExpectColumnValuesToBeBetween",
                {"column": "reject_share", "max_value": REJECT_SHARE_WARN},
                "warn",
                f"More than {REJECT_SHARE_WARN:.0%} of {source.name} rows broke the contract: "
                "read raw._rejects by rule and fix the export at its source.",
            ),
            Expectation(
                "ExpectColumnValuesToBeBetween",
                {"column": "reject_share", "max_value": REJECT_SHARE_ERROR},
                "error",
                f"More than {REJECT_SHARE_ERROR:.0%} of {source.name} rows were rejected: "
                "the export is broken; nothing downstream can be trusted until it is fixed.",
            ),
            Expectation(
                "ExpectColumnValuesToBeBetween",
                {"column": "files_refused", "max_value": 0},
                "warn",
                f"A {source.name} file was refused whole (missing column or unreadable): "
                "see raw._load_ledger for the message, correct the file and drop it again.",
            ),
            Expectation(
                "ExpectColumnValuesToBeBetween",
                {"column": "days_ahead_of_today", "max_value": 0},
                "error",
                f"{source.name} has rows dated in the future: a clock or time-zone bug in the "
                "export. Point-in-time results would read the future; fix the export.",
            ),
        ),
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
            calendar.usage_date,
            coalesce(per_day.accounts_reporting, 0) as accounts_reporting,
            coalesce(per_day.accounts_reporting, 0) / usual.median_accounts
                as share_of_usual_accounts
        from calendar
        cross join usual
        left join per_day on per_day.usage_date = calendar.usage_date
        order by calendar.usage_date
    """,
    expectations=(
        Expectation(
            "ExpectColumnValuesToBeBetween",
            {"column": "accounts_reporting", "min_value": 1},
            "error",
            "A day has no usage rows at all: its usage_daily file is missing or was refused. "
            "Drop the day's file again; health and triggers would read the gap as zero usage.",
        ),
        Expectation(
            "ExpectColumnValuesToBeBetween",
            {"column": "share_of_usual_accounts", "min_value": 0.5},
            "warn",
            "Fewer than half the usual accounts reported usage on some days: "
            "check event tracking before trusting usage-based triggers for those days.",
        ),
    ),
)

SUBSCRIPTION_INTEGRITY = QualityCheck(
    name="raw_subscriptions_integrity",
    asset=("raw", "subscriptions"),
    description="Lines end after they start, and every currency has an fx rate.",
    frame_sql="""
        select
            count(*) filter (where end_date is not null and end_date <= start_date)
                as lines_ending_before_start,
            count(*) filter (
                where currency <> 'USD'
                and currency not in (select currency from raw.fx_rates)
            ) as lines_without_fx_rate
        from raw.subscriptions
    """,
    expectations=(
        Expectation(
            "ExpectColumnValuesToBeBetween",
            {"column": "lines_ending_before_start", "max_value": 0},
            "error",
            "Subscription lines end on or before their start date: ARR would be misstated. "
            "Fix the billing export (end_date is exclusive).",
        ),
        Expectation(
            "ExpectColumnValuesToBeBetween",
            {"column": "lines_without_fx_rate", "max_value": 0},
            "error",
            "Lines are billed in a currency without fx_rates: add rates for that currency.",
        ),
    ),
)


RAW_CHECKS: tuple[QualityCheck, ...] = (
    *(load_outcome_check(s) for s in SOURCES),
    USAGE_CONTINUITY,
    SUBSCRIPTION_INTEGRITY,
)
