"""Landing tables, one builder per contract source, from the simulated company."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from expansion.contract import SEGMENTS, SOURCES_BY_NAME
from expansion.generator.catalogue import FEATURES, PRODUCTS
from expansion.generator.company import (
    CURRENCIES,
    FIRST_NAMES,
    INDUSTRIES,
    LAST_NAMES,
    REGIONS,
    Accounts,
)
from expansion.generator.dates import SECONDS_PER_DAY
from expansion.generator.engagement import Events
from expansion.generator.finance import COST_TYPES
from expansion.generator.people import DEPARTMENTS, PERSONAS, Contacts, Users, second_domain
from expansion.generator.subscriptions import SubscriptionLines
from expansion.generator.tables import contract_table, prefixed_ids

BLANK_SEGMENT_SHARE = 0.03
FISCAL_YEAR_STARTS = np.array([1, 4, 7, 10, -1])
FISCAL_YEAR_START_WEIGHTS = (0.55, 0.15, 0.12, 0.08, 0.10)
ACCOUNTS_PER_CSM = (400, 60, 12)
ACCOUNTS_PER_AE = (600, 120, 25)


def account_ids(accounts: Accounts) -> pa.Array:
    return pa.array(accounts.account_id, pa.string())


def accounts_table(accounts: Accounts, end_day: int, rng: np.random.Generator) -> pa.Table:
    n = accounts.n
    segment = np.array(SEGMENTS, dtype=object)[accounts.segment]
    segment[rng.random(n) < BLANK_SEGMENT_SHARE] = None
    updated = np.maximum(accounts.onboarded, end_day - rng.integers(0, 90, n))
    return contract_table(
        SOURCES_BY_NAME["accounts"],
        {
            "account_id": account_ids(accounts),
            "account_name": accounts.account_name,
            "industry": np.array(INDUSTRIES, dtype=object)[accounts.industry],
            "segment": segment,
            "region": np.array(REGIONS, dtype=object)[accounts.region],
            "csm_owner": _owners(accounts, ACCOUNTS_PER_CSM, rng),
            "ae_owner": _owners(accounts, ACCOUNTS_PER_AE, rng),
            "onboarded_at": accounts.onboarded,
            "fiscal_year_start_month": FISCAL_YEAR_STARTS[
                rng.choice(len(FISCAL_YEAR_STARTS), size=n, p=FISCAL_YEAR_START_WEIGHTS)
            ],
            "primary_domain": accounts.primary_domain,
            "updated_at": updated * SECONDS_PER_DAY + rng.integers(0, SECONDS_PER_DAY, n),
            "is_expansion_outreach_opted_out": np.zeros(n, dtype=bool),
        },
    )


def _owners(
    accounts: Accounts, accounts_per_owner: tuple[int, ...], rng: np.random.Generator
) -> np.ndarray:
    """A named owner per account from a per-segment team sized to its book of business."""
    owner = np.empty(accounts.n, dtype=object)
    for s, per_owner in enumerate(accounts_per_owner):
        idx = np.flatnonzero(accounts.segment == s)
        team = max(1, len(idx) // per_owner)
        names = [
            f"{FIRST_NAMES[(7 * k + s) % len(FIRST_NAMES)]} "
            f"{LAST_NAMES[(11 * k + 3 * s) % len(LAST_NAMES)]}"
            for k in range(team)
        ]
        owner[idx] = np.array(names, dtype=object)[rng.integers(team, size=len(idx))]
    return owner


def contacts_table(contacts: Contacts, accounts: Accounts) -> pa.Table:
    domain = accounts.primary_domain[contacts.account]
    return contract_table(
        SOURCES_BY_NAME["contacts"],
        {
            "contact_id": prefixed_ids("con_", contacts.contact + 1, 7),
            "account_id": account_ids(accounts).take(pa.array(contacts.account)),
            "full_name": contacts.full_name,
            "email": np.char.lower(contacts.email_local.astype(str)).astype(object) + "@" + domain,
            "title": contacts.title,
            "persona": np.array(PERSONAS, dtype=object)[contacts.persona],
            "is_champion": contacts.is_champion,
            "is_exec_sponsor": contacts.is_exec_sponsor,
            "valid_from": contacts.valid_from,
            "valid_to": contacts.valid_to,
        },
    )


def products_table() -> pa.Table:
    return _reference_table("products", [vars(p) for p in PRODUCTS])


def features_table() -> pa.Table:
    return _reference_table("features", [vars(f) for f in FEATURES])


def _reference_table(name: str, records: list[dict]) -> pa.Table:
    """A small static table from records whose ``None`` means null."""
    contract = SOURCES_BY_NAME[name]
    null_code = {"decimal": np.nan, "integer": -1}
    columns = {}
    for column in contract.columns:
        values = [record[column.name] for record in records]
        if column.type in null_code:
            values = [null_code[column.type] if v is None else v for v in values]
        columns[column.name] = np.array(values, dtype=object if column.type == "string" else None)
    return contract_table(contract, columns)


PRODUCT_IDS = pa.array([p.product_id for p in PRODUCTS], pa.string())
FEATURE_IDS = pa.array([f.feature_id for f in FEATURES], pa.string())


def subscriptions_table(lines: SubscriptionLines, accounts: Accounts) -> pa.Table:
    return contract_table(
        SOURCES_BY_NAME["subscriptions"],
        {
            "line_id": prefixed_ids("ln_", np.arange(1, len(lines.account) + 1), 7),
            "account_id": account_ids(accounts).take(pa.array(lines.account)),
            "product_id": PRODUCT_IDS.take(pa.array(lines.product)),
            "quantity": lines.quantity,
            "arr": lines.arr,
            "currency": np.array(CURRENCIES, dtype=object)[accounts.currency[lines.account]],
            "start_date": lines.start,
            "end_date": lines.end,
            "term_months": lines.term_months,
        },
    )


def user_ids(users: Users) -> pa.Array:
    return prefixed_ids("usr_", np.arange(1, len(users.account) + 1), 8)


def users_table(users: Users, accounts: Accounts) -> pa.Table:
    account = pa.array(users.account)
    primary = pa.array(accounts.primary_domain, pa.string()).take(account)
    second = pa.array([second_domain(d) for d in accounts.primary_domain], pa.string())
    domain = pc.if_else(pa.array(users.has_second_domain), second.take(account), primary)
    return contract_table(
        SOURCES_BY_NAME["users"],
        {
            "user_id": user_ids(users),
            "account_id": account_ids(accounts).take(account),
            "email_domain": domain,
            "department": pa.array(DEPARTMENTS, pa.string()).take(pa.array(users.department)),
            "created_at": users.created_day * SECONDS_PER_DAY + users.created_second,
        },
    )


def tickets_table(tickets: Events, accounts: Accounts) -> pa.Table:
    c = tickets.columns
    return contract_table(
        SOURCES_BY_NAME["support_tickets"],
        {
            "ticket_id": prefixed_ids("tkt_", np.arange(1, len(c["account"]) + 1), 7),
            "account_id": account_ids(accounts).take(pa.array(c["account"])),
            "created_at": c["created_at"],
            "resolved_at": c["resolved_at"],
            "priority": c["priority"],
            "tags": c["tags"],
            "csat": c["csat"],
        },
    )


def nps_table(nps: Events, accounts: Accounts, first_id: int = 1) -> pa.Table:
    c = nps.columns
    return contract_table(
        SOURCES_BY_NAME["nps_responses"],
        {
            "response_id": prefixed_ids("nps_", first_id + np.arange(len(c["account"])), 7),
            "account_id": account_ids(accounts).take(pa.array(c["account"])),
            "contact_id": prefixed_ids("con_", c["contact"] + 1, 7),
            "responded_at": c["responded_at"],
            "score": c["score"],
        },
    )


def crm_table(crm: Events, accounts: Accounts, first_id: int = 1) -> pa.Table:
    c = crm.columns
    return contract_table(
        SOURCES_BY_NAME["crm_activities"],
        {
            "activity_id": prefixed_ids("act_", first_id + np.arange(len(c["account"])), 8),
            "account_id": account_ids(accounts).take(pa.array(c["account"])),
            "occurred_at": c["occurred_at"],
            "activity_type": c["activity_type"],
            "tags": c["tags"],
            "notes": c["notes"],
        },
    )


def firmographics_table(rows: dict[str, np.ndarray], accounts: Accounts) -> pa.Table:
    return contract_table(
        SOURCES_BY_NAME["firmographics"],
        {
            "account_id": account_ids(accounts).take(pa.array(rows["account"])),
            **{k: v for k, v in rows.items() if k != "account"},
        },
    )


def opportunities_table(rows: dict[str, np.ndarray], accounts: Accounts) -> pa.Table:
    order = np.argsort(rows["created_at"], kind="stable")
    rows = {k: np.asarray(v)[order] for k, v in rows.items()}
    product = rows.pop("product")
    return contract_table(
        SOURCES_BY_NAME["opportunities"],
        {
            "opportunity_id": prefixed_ids("opp_", np.arange(1, len(order) + 1), 7),
            "account_id": account_ids(accounts).take(pa.array(rows.pop("account"))),
            "product_id": PRODUCT_IDS.take(pa.array(product)),
            **rows,
        },
    )


def cs_costs_table(month_start: np.ndarray, costs: np.ndarray) -> pa.Table:
    """``costs[month, segment, cost_type]`` as rows."""
    month, segment, cost_type = np.indices(costs.shape).reshape(3, -1)
    return contract_table(
        SOURCES_BY_NAME["cs_costs"],
        {
            "month": month_start[month],
            "segment": np.array(SEGMENTS, dtype=object)[segment],
            "cost_type": np.array(COST_TYPES, dtype=object)[cost_type],
            "amount": costs.ravel(),
        },
    )


def fx_rates_table(first_day: int, rates: np.ndarray, days_kept: np.ndarray) -> pa.Table:
    """``rates[day, currency]`` as rows for the days kept (the file's frequency), ordered by
    currency then date."""
    day, currency = np.indices(rates.shape).reshape(2, -1)
    order = np.lexsort((day, currency))
    order = order[days_kept[day[order]]]
    return contract_table(
        SOURCES_BY_NAME["fx_rates"],
        {
            "currency": np.array(CURRENCIES, dtype=object)[currency[order]],
            "rate_date": first_day + day[order],
            "usd_per_unit": rates.ravel()[order],
        },
    )


def usage_table(usage: dict[str, np.ndarray], day: int, ids: pa.Array) -> pa.Table:
    return contract_table(
        SOURCES_BY_NAME["usage_daily"],
        {
            "account_id": ids.take(pa.array(usage["account"])),
            "usage_date": np.full(len(usage["account"]), day),
            **{k: v for k, v in usage.items() if k != "account"},
        },
    )


def feature_usage_table(
    rows: dict[str, np.ndarray], day: int, ids: pa.Array, users: pa.Array
) -> pa.Table:
    return contract_table(
        SOURCES_BY_NAME["feature_usage_daily"],
        {
            "account_id": ids.take(pa.array(rows["account"])),
            "usage_date": np.full(len(rows["account"]), day),
            "user_id": users.take(pa.array(rows["user"])),
            "feature_id": FEATURE_IDS.take(pa.array(rows["feature"])),
            "events": rows["events"],
        },
    )
