"""The landing-zone input contract (SPEC section 2), as data.

One :class:`Source` per landing folder. The generator writes exactly these
columns in this order; ingestion refuses a file that lacks a required column
and sends rows that break a column rule to the rejects table. Extra columns in
a file are ignored.

Column types are the contract's logical types; ingestion maps them to SQL:

``string``    free text
``integer``   whole number
``decimal``   number with a fractional part (money, gigabytes)
``date``      ``YYYY-MM-DD``
``timestamp`` ``YYYY-MM-DD HH:MM:SS`` (a bare date is accepted as midnight)
``boolean``   ``true`` / ``false``
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

LogicalType = Literal["string", "integer", "decimal", "date", "timestamp", "boolean"]

SEGMENTS = ("SMB", "Mid-Market", "Enterprise")

SQL_TYPES: dict[str, str] = {
    "string": "varchar",
    "integer": "bigint",
    "decimal": "decimal(18,4)",
    "date": "date",
    "timestamp": "timestamp",
    "boolean": "boolean",
}
"""How each logical type is stored in the raw zone (its Parquet files)."""

LINEAGE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("_source_file", "varchar"),
    ("_source_row_number", "bigint"),
    ("_loaded_at", "timestamp"),
)
"""Columns ingestion adds to every raw row: the landing file (relative to the
landing directory), the 1-based data row within it, and when it was loaded."""


@dataclass(frozen=True)
class Column:
    name: str
    type: LogicalType = "string"
    required: bool = True
    """The column must be present in every file (its values may still be null)."""
    nullable: bool = True
    non_negative: bool = False
    accepted_values: tuple[str, ...] | None = None
    value_range: tuple[int, int] | None = None
    """Inclusive bounds for an integer column."""


@dataclass(frozen=True)
class Source:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    description: str
    date_column: str | None = None
    """The column that dates a row, for point-in-time reads and daily files."""
    daily: bool = False
    """Landed as one file per day (``<source>/YYYY-MM-DD.csv``); else one snapshot file."""
    references_account: bool = True
    """Every row's ``account_id`` must name an account in ``accounts``."""
    optional: bool = False
    """The whole source may be absent from a landing zone."""
    column_names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "column_names", tuple(c.name for c in self.columns))

    @property
    def raw_table(self) -> str:
        """How SQL names the source's rows: ``raw.<source>`` (a view over its folder of the
        raw zone, see :func:`expansion.ingest.attach_raw_zone`)."""
        return f"raw.{self.name}"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def required_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)


def _key(name: str, type_: LogicalType = "string") -> Column:
    return Column(name, type_, nullable=False)


def _count(name: str) -> Column:
    return Column(name, "integer", non_negative=True)


SOURCES: tuple[Source, ...] = (
    Source(
        "accounts",
        (
            _key("account_id"),
            Column("account_name"),
            Column("industry"),
            Column("segment", accepted_values=SEGMENTS),
            Column("region"),
            Column("csm_owner"),
            Column("ae_owner"),
            Column("onboarded_at", "date", nullable=False),
            Column("fiscal_year_start_month", "integer", required=False, value_range=(1, 12)),
            Column("primary_domain"),
            Column("updated_at", "timestamp"),
        ),
        key=("account_id",),
        description="CRM accounts; a blank segment is derived from ARR bands.",
        references_account=False,
    ),
    Source(
        "contacts",
        (
            _key("contact_id"),
            _key("account_id"),
            Column("full_name"),
            Column("email"),
            Column("title"),
            Column("persona", accepted_values=("operator", "manager", "buyer")),
            Column("is_champion", "boolean"),
            Column("is_exec_sponsor", "boolean"),
            _key("valid_from", "date"),
            Column("valid_to", "date"),
        ),
        key=("contact_id", "valid_from"),
        description="Contact history; a title change or departure is a new row.",
        date_column="valid_from",
    ),
    Source(
        "products",
        (
            _key("product_id"),
            Column("product_name"),
            Column("product_family", accepted_values=("core", "module", "addon", "service")),
            Column("tier_rank", "integer", non_negative=True),
            Column("unit", accepted_values=("seat", "usage", "flat")),
            Column("list_price_arr", "decimal", non_negative=True),
            _count("limit_events_monthly"),
            _count("limit_integrations"),
            _count("limit_environments"),
            Column("limit_storage_gb", "decimal", non_negative=True),
        ),
        key=("product_id",),
        description="Product catalogue with plan limits (null limit = unlimited).",
        references_account=False,
    ),
    Source(
        "features",
        (
            _key("feature_id"),
            Column("feature_name"),
            Column("is_core", "boolean"),
            Column("unlocking_product_id"),
            Column("use_case"),
        ),
        key=("feature_id",),
        description="Features and the product that ungates each (null = every plan).",
        references_account=False,
    ),
    Source(
        "subscriptions",
        (
            _key("line_id"),
            _key("account_id"),
            _key("product_id"),
            _count("quantity"),
            Column("arr", "decimal", non_negative=True),
            Column("currency"),
            Column("start_date", "date", nullable=False),
            Column("end_date", "date"),
            Column("term_months", "integer", non_negative=True),
        ),
        key=("line_id",),
        description="Subscription lines; end_date is exclusive, null = open.",
        date_column="start_date",
    ),
    Source(
        "users",
        (
            _key("user_id"),
            _key("account_id"),
            Column("email_domain"),
            Column("department"),
            Column("created_at", "timestamp", nullable=False),
        ),
        key=("user_id",),
        description="Product users.",
        date_column="created_at",
    ),
    Source(
        "usage_daily",
        (
            _key("account_id"),
            _key("usage_date", "date"),
            _count("active_users"),
            _count("events"),
            _count("api_calls"),
            Column("storage_gb", "decimal", non_negative=True),
            _count("integrations_connected"),
            _count("environments"),
        ),
        key=("account_id", "usage_date"),
        description="Daily product usage per account.",
        date_column="usage_date",
        daily=True,
    ),
    Source(
        "feature_usage_daily",
        (
            _key("account_id"),
            _key("usage_date", "date"),
            _key("user_id"),
            _key("feature_id"),
            _count("events"),
        ),
        key=("account_id", "usage_date", "user_id", "feature_id"),
        description="Daily feature usage per user; sparse (only rows with events > 0).",
        date_column="usage_date",
        daily=True,
    ),
    Source(
        "support_tickets",
        (
            _key("ticket_id"),
            _key("account_id"),
            Column("created_at", "timestamp", nullable=False),
            Column("resolved_at", "timestamp"),
            Column("priority"),
            Column("tags"),
            Column("csat", "integer", required=False, value_range=(1, 5)),
        ),
        key=("ticket_id",),
        description="Support tickets; tags are ';'-separated, resolved_at null = open.",
        date_column="created_at",
    ),
    Source(
        "nps_responses",
        (
            _key("response_id"),
            _key("account_id"),
            Column("contact_id"),
            Column("responded_at", "timestamp", nullable=False),
            Column("score", "integer", nullable=False, value_range=(0, 10)),
        ),
        key=("response_id",),
        description="NPS survey responses.",
        date_column="responded_at",
        daily=True,
    ),
    Source(
        "crm_activities",
        (
            _key("activity_id"),
            _key("account_id"),
            Column("occurred_at", "timestamp", nullable=False),
            Column("activity_type", accepted_values=("qbr", "call", "meeting", "email")),
            Column("tags"),
            Column("notes"),
        ),
        key=("activity_id",),
        description="CRM activities; tags such as positive_outcome, unmet_need:<product_id>.",
        date_column="occurred_at",
        daily=True,
    ),
    Source(
        "firmographics",
        (
            _key("account_id"),
            _key("as_of_date", "date"),
            _count("employee_count"),
            _count("open_roles"),
            Column("last_funding_date", "date"),
        ),
        key=("account_id", "as_of_date"),
        description="Firmographic snapshots per account.",
        date_column="as_of_date",
    ),
    Source(
        "opportunities",
        (
            _key("opportunity_id"),
            _key("account_id"),
            Column("motion"),
            Column("product_id"),
            Column("source_trigger_id"),
            Column("created_at", "timestamp", nullable=False),
            Column("qualified_at", "timestamp"),
            Column("proposal_at", "timestamp"),
            Column("negotiation_at", "timestamp"),
            Column("closed_at", "timestamp"),
            Column("outcome", accepted_values=("open", "won", "lost")),
            Column("amount_arr", "decimal", non_negative=True),
            Column("loss_reason"),
        ),
        key=("opportunity_id",),
        description="Expansion pipeline (CSQLs) with stage timestamps.",
        date_column="created_at",
    ),
    Source(
        "cs_costs",
        (
            _key("month", "date"),
            _key("segment"),
            _key("cost_type"),
            Column("amount", "decimal", non_negative=True),
        ),
        key=("month", "segment", "cost_type"),
        description="Monthly cost of the expansion motion, for expansion CAC.",
        date_column="month",
        references_account=False,
    ),
    Source(
        "fx_rates",
        (
            _key("currency"),
            _key("rate_date", "date"),
            Column("usd_per_unit", "decimal", nullable=False, non_negative=True),
        ),
        key=("currency", "rate_date"),
        description="Currency conversion rates to USD.",
        date_column="rate_date",
        references_account=False,
        optional=True,
    ),
)

SOURCES_BY_NAME: dict[str, Source] = {s.name: s for s in SOURCES}


def source_named(name: str) -> Source:
    """The contract of one landing source, by folder name."""
    try:
        return SOURCES_BY_NAME[name]
    except KeyError:
        known = ", ".join(sorted(SOURCES_BY_NAME))
        raise KeyError(f"unknown source {name!r}; the contract has: {known}") from None
