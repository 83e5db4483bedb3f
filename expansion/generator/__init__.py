"""Synthetic company generator: a landing zone (SPEC section 2) with planted cause and effect.

``generate(GeneratorConfig(...))`` simulates a SaaS company — accounts, contract
history, people, support, CRM, usage — and writes every source of the input
contract, plus the planted truth in a separate folder. One seed gives
byte-identical files. See ``docs/generator.md``.
"""

from __future__ import annotations

import datetime
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pyarrow.csv as pacsv

from expansion.contract import SOURCES, SOURCES_BY_NAME
from expansion.generator import landing_tables
from expansion.generator.company import Accounts, draw_accounts
from expansion.generator.dates import day_number, month_starts, to_date
from expansion.generator.engagement import (
    COMPLIANCE_TAGS,
    draw_crm_activities,
    draw_firmographics,
    draw_nps,
    draw_tickets,
)
from expansion.generator.feeds import (
    DarkSpells,
    FxFeed,
    dark_spells_table,
    draw_dark_spells,
    fx_days_kept,
    keep_rows,
    untag_before,
)
from expansion.generator.finance import fx_rate_paths, monthly_expansion_costs
from expansion.generator.intents import Intents, draw_intents
from expansion.generator.people import Contacts, Users, draw_contacts, draw_users
from expansion.generator.pipeline import draw_opportunities
from expansion.generator.progress import progress_bar
from expansion.generator.subscriptions import (
    RenewalOutcomes,
    SubscriptionLines,
    simulate_contracts,
)
from expansion.generator.throughput import run_benchmark
from expansion.generator.timeline import CoreCoverage, Decline, first_declines
from expansion.generator.truth import account_profile_table, defects_table, intent_table
from expansion.generator.usage import UsageRenderer
from expansion.generator.writer import CSV_OPTIONS, LandingWriter

__all__ = ["GenerationReport", "GeneratorConfig", "generate", "run_benchmark"]

FUTURE_DAYS = 180
"""How far past end_day the simulation runs, so that signals can precede later outcomes."""
STREAMS = (
    "company",
    "intents",
    "contracts",
    "people",
    "engagement",
    "usage",
    "landing",
    "defects",
    "feeds",
)
"""Child generators spawned from the one seed, one per stage, so that changing how
one stage draws (or turning defects off) does not reshuffle the others. A child
depends only on its position, so a stream appended here changes no earlier one."""


@dataclass(frozen=True)
class GeneratorConfig:
    """What to generate; the defaults are the demo company."""

    accounts: int = 1000
    days: int = 400
    seed: int = 42
    end_date: datetime.date = datetime.date(2026, 11, 21)
    out: Path = Path("data/landing")
    truth_out: Path | None = None
    """Default: the sibling folder ``<out.name>_truth`` next to ``out``."""
    file_format: Literal["csv", "parquet"] = "csv"
    defect_rate: float = 0.002
    show_progress: bool = False
    dark_account_share: float = 0.0
    """Share of accounts whose usage feed goes dark for days or weeks (no usage rows)."""
    fx_feed: FxFeed = "daily"
    """Rates every day, on business days only, or on the first of each month."""
    starter_environment_intents: bool = False
    """Starter usage-ceiling intents press on its one environment (1 of 1, no usage signal)
    instead of moving to events."""
    compliance_tags_from: datetime.date | None = None
    """The support team tags compliance requests (saml, scim, audit_log, dedicated_env)
    from this day only: earlier tickets carry none."""

    @property
    def truth_dir(self) -> Path:
        return self.truth_out or self.out.parent / f"{self.out.name}_truth"


@dataclass(frozen=True)
class GenerationReport:
    out: Path
    truth_out: Path
    rows: dict[str, int]
    bytes: dict[str, int]
    files: int
    defects: int
    seconds: float

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def total_bytes(self) -> int:
        return sum(self.bytes.values())

    def __str__(self) -> str:
        width = max(map(len, self.rows))
        lines = [
            f"  {name:<{width}}  {self.rows[name]:>12,} rows  {self.bytes[name]:>14,} bytes"
            for name in self.rows
        ]
        return "\n".join(
            [
                f"wrote {self.total_rows:,} rows in {self.files:,} files "
                f"({self.total_bytes / 1e6:,.1f} MB) to {self.out} in {self.seconds:.1f} s",
                *lines,
                f"planted {self.defects:,} defects; truth in {self.truth_out}",
            ]
        )


@dataclass(frozen=True)
class Company:
    """The simulated company, before anything is written."""

    accounts: Accounts
    intents: Intents
    lines: SubscriptionLines
    outcomes: RenewalOutcomes
    coverage: CoreCoverage
    decline: Decline
    contacts: Contacts
    users: Users
    fx_first_day: int
    fx: np.ndarray
    """``usd_per_unit[day - fx_first_day, currency]``."""
    expansion_usd: np.ndarray
    """ARR each intent added, in USD on the day it was added."""
    dark_spells: DarkSpells
    window_start: int
    end_day: int


def simulate_company(config: GeneratorConfig, rng: dict[str, np.random.Generator]) -> Company:
    """Draw the accounts and their latent traits, run the contract history, add the people."""
    end_day = day_number(config.end_date)
    window_start = end_day - config.days + 1
    horizon = end_day + FUTURE_DAYS
    accounts = draw_accounts(config.accounts, end_day, rng["company"])
    intents = draw_intents(accounts, horizon, rng["intents"], config.starter_environment_intents)
    lines, outcomes = simulate_contracts(accounts, intents, end_day, horizon, rng["contracts"])
    coverage = CoreCoverage.from_lines(lines)
    # Intents of accounts that were not customers at the time show no signal anywhere.
    intents = intents.subset(
        (intents.signal_start <= end_day)
        & coverage.is_customer(intents.account, intents.signal_start)
    )
    decline = first_declines(accounts.n, outcomes, window_start, rng["people"])
    fx_first_day = int(min(lines.start.min(initial=window_start), window_start))
    fx = fx_rate_paths(fx_first_day, end_day, rng["engagement"])
    rate_day = np.clip(intents.expanded_on, fx_first_day, end_day) - fx_first_day
    return Company(
        accounts=accounts,
        intents=intents,
        lines=lines,
        outcomes=outcomes,
        coverage=coverage,
        decline=decline,
        contacts=draw_contacts(accounts, intents, decline, window_start, end_day, rng["people"]),
        users=draw_users(accounts, lines, intents, end_day, rng["people"]),
        fx_first_day=fx_first_day,
        fx=fx,
        expansion_usd=intents.delta_arr_local * fx[rate_day, accounts.currency[intents.account]],
        dark_spells=draw_dark_spells(
            accounts.n, config.dark_account_share, window_start, end_day, rng["feeds"]
        ),
        window_start=window_start,
        end_day=end_day,
    )


def generate(config: GeneratorConfig) -> GenerationReport:
    """Simulate the company and write the landing zone and the truth folder."""
    if config.accounts < 1 or config.days < 1:
        raise ValueError("accounts and days must be positive")
    if not 0 <= config.defect_rate < 1:
        raise ValueError("defect_rate must be in [0, 1)")
    if not 0 <= config.dark_account_share <= 1:
        raise ValueError("dark_account_share must be in [0, 1]")
    started = time.perf_counter()
    rng = dict(zip(STREAMS, np.random.default_rng(config.seed).spawn(len(STREAMS)), strict=True))
    company = simulate_company(config, rng)

    _clear_previous_output(config.out, config.truth_dir)
    writer = LandingWriter(config.out, config.file_format, config.defect_rate, rng["defects"])
    with progress_bar(config.show_progress, total=config.days + 1) as advance:
        _write_snapshots(writer, company, rng, config.fx_feed, config.compliance_tags_from)
        advance()
        _write_daily(writer, company, rng, advance)
    _write_truth(config.truth_dir, company, writer)
    return GenerationReport(
        out=config.out,
        truth_out=config.truth_dir,
        rows=dict(writer.rows),
        bytes=dict(writer.bytes),
        files=writer.files,
        defects=len(writer.defects),
        seconds=round(time.perf_counter() - started, 2),
    )


TRUTH_FILES = ("expansion_intent.csv", "account_profile.csv", "defects.csv", "dark_spells.csv")


def _clear_previous_output(out: Path, truth: Path) -> None:
    """Remove the landing folders and truth files a previous run left, and nothing else."""
    for source in SOURCES:
        folder = out / source.name
        if folder.is_dir():
            shutil.rmtree(folder)
    for name in TRUTH_FILES:
        (truth / name).unlink(missing_ok=True)


def _write_truth(truth: Path, company: Company, writer: LandingWriter) -> None:
    truth.mkdir(parents=True, exist_ok=True)
    c = company
    tables_by_file = {
        "expansion_intent.csv": intent_table(c.intents, c.accounts, c.expansion_usd, c.end_day),
        "account_profile.csv": account_profile_table(c.accounts, c.decline, c.outcomes, c.end_day),
        "defects.csv": defects_table(writer.defects),
        "dark_spells.csv": dark_spells_table(c.dark_spells, c.accounts.account_id),
    }
    for name, table in tables_by_file.items():
        pacsv.write_csv(table, truth / name, CSV_OPTIONS)


def _write_snapshots(
    writer: LandingWriter,
    company: Company,
    rng: dict[str, np.random.Generator],
    fx_feed: FxFeed = "daily",
    compliance_tags_from: datetime.date | None = None,
) -> None:
    """Every non-daily source, as known on the end day."""
    c = company
    source = SOURCES_BY_NAME
    engagement = rng["engagement"]
    writer.write(source["products"], landing_tables.products_table())
    writer.write(source["features"], landing_tables.features_table())
    writer.write(
        source["accounts"], landing_tables.accounts_table(c.accounts, c.end_day, rng["landing"])
    )
    writer.write(source["contacts"], landing_tables.contacts_table(c.contacts, c.accounts))
    writer.write(source["subscriptions"], landing_tables.subscriptions_table(c.lines, c.accounts))
    writer.write(source["users"], landing_tables.users_table(c.users, c.accounts))
    tickets = draw_tickets(
        c.accounts, c.intents, c.decline, c.coverage, c.window_start, c.end_day, engagement
    )
    if compliance_tags_from is not None:
        tickets = untag_before(tickets, COMPLIANCE_TAGS, day_number(compliance_tags_from))
    writer.write(source["support_tickets"], landing_tables.tickets_table(tickets, c.accounts))
    firmographics = draw_firmographics(c.accounts, c.intents, c.window_start, c.end_day, engagement)
    writer.write(
        source["firmographics"], landing_tables.firmographics_table(firmographics, c.accounts)
    )
    opportunities = draw_opportunities(
        c.accounts, c.intents, c.expansion_usd, c.window_start, c.end_day, engagement
    )
    writer.write(
        source["opportunities"], landing_tables.opportunities_table(opportunities, c.accounts)
    )
    months = month_starts(c.window_start, c.end_day)
    won = (c.intents.expanded_on >= months[0]) & (c.intents.expanded_on <= c.end_day)
    costs = monthly_expansion_costs(
        np.searchsorted(months, c.intents.expanded_on[won], side="right") - 1,
        c.accounts.segment[c.intents.account[won]],
        c.expansion_usd[won],
        len(months),
        engagement,
    )
    writer.write(source["cs_costs"], landing_tables.cs_costs_table(months, costs))
    writer.write(
        source["fx_rates"],
        landing_tables.fx_rates_table(
            c.fx_first_day, c.fx, fx_days_kept(c.fx_first_day + np.arange(len(c.fx)), fx_feed)
        ),
    )


def _write_daily(
    writer: LandingWriter,
    company: Company,
    rng: dict[str, np.random.Generator],
    advance: Callable[[], None],
) -> None:
    """One file per day for each daily source, streaming usage so memory stays flat."""
    c = company
    source = SOURCES_BY_NAME
    engagement = rng["engagement"]
    nps = draw_nps(
        c.accounts,
        c.contacts,
        c.intents,
        c.decline,
        c.coverage,
        c.window_start,
        c.end_day,
        engagement,
    )
    crm = draw_crm_activities(
        c.accounts, c.intents, c.decline, c.coverage, c.window_start, c.end_day, engagement
    )
    renderer = UsageRenderer(
        c.accounts,
        c.lines,
        c.users,
        c.intents,
        c.decline,
        c.window_start,
        c.end_day,
        rng["usage"],
    )
    account_ids = landing_tables.account_ids(c.accounts)
    user_ids = landing_tables.user_ids(c.users)
    for day in range(c.window_start, c.end_day + 1):
        stem = to_date(day).isoformat()
        usage, feature_usage = renderer.render(day)
        dark = c.dark_spells.dark_accounts(day, c.accounts.n)
        usage = keep_rows(usage, ~dark[usage["account"]])
        feature_usage = keep_rows(feature_usage, ~dark[feature_usage["account"]])
        writer.write(
            source["usage_daily"], landing_tables.usage_table(usage, day, account_ids), stem
        )
        writer.write(
            source["feature_usage_daily"],
            landing_tables.feature_usage_table(feature_usage, day, account_ids, user_ids),
            stem,
        )
        for name, events, build in (
            ("nps_responses", nps, landing_tables.nps_table),
            ("crm_activities", crm, landing_tables.crm_table),
        ):
            first, stop = np.searchsorted(events.day, [day, day + 1])
            table = build(events.slice(first, stop), c.accounts, first_id=first + 1)
            writer.write(source[name], table, stem)
        advance()
