"""What the demo company must show once `expansion demo` has refreshed it.

The generator plants cause and effect (expansion intents that show signals before
the subscription grows; truth in ``<landing>_truth/``); these tests check that the
published marts find them, at the demo's default size.
"""

from __future__ import annotations

import duckdb
import pytest

import expansion.dashboards.site as site_module
from expansion.dashboards.parse import Query
from expansion.dashboards.site import (
    PageRenderer,
    create_source_views,
    read_page_file,
    serving_session,
    site_map,
)
from expansion.settings import PROJECT_ROOT

pytestmark = pytest.mark.e2e

# The trailing-12-month NRR bands the generator is built for (docs/generator.md),
# around the targets of seeds/revenue/segment_nrr_targets.csv (118%, 108%, 97%).
NRR_BANDS = {"Enterprise": (1.10, 1.30), "Mid-Market": (1.02, 1.20), "SMB": (0.90, 1.06)}


@pytest.fixture(scope="module")
def serving(company):
    truth = company.landing.with_name(company.landing.name + "_truth")
    con = duckdb.connect()
    con.execute(f"attach '{company.data_dir / 'serving.duckdb'}' as serving (read_only)")
    con.read_csv(str(truth / "expansion_intent.csv")).create_view("expansion_intent")
    yield con
    con.close()


def test_segment_nrr_lands_in_the_generators_bands(serving):
    nrr = dict(
        serving.execute(
            """
            select segment, nrr
            from serving.marts.segment_nrr
            where month_end_date = (select max(month_end_date) from serving.marts.segment_nrr)
                and segment <> 'All'
            """
        ).fetchall()
    )

    assert sorted(nrr) == sorted(NRR_BANDS)
    for segment, (low, high) in NRR_BANDS.items():
        assert low <= nrr[segment] <= high, (segment, nrr[segment])
    assert nrr["Enterprise"] > nrr["Mid-Market"] > nrr["SMB"]


def test_between_15_and_60_percent_of_active_accounts_pass_the_gate(serving):
    pass_share = serving.execute(
        """
        select avg(case when gate.is_gate_passed then 1.0 else 0.0 end)
        from serving.marts.readiness_gate_daily as gate
        inner join serving.marts.account_profiles as accounts
            on gate.account_id = accounts.account_id
        where accounts.is_active
            and gate.as_of_date = (select max(as_of_date) from serving.marts.readiness_gate_daily)
        """
    ).fetchone()[0]

    assert 0.15 <= pass_share <= 0.60


def test_the_scorecard_ranks_planted_intent_well_above_the_rest(serving):
    """Accounts whose planted intent started showing signals in the last 90 days and has
    not yet turned into an expansion are at least half again as common in the top tenth
    of the scorecard as in the whole of it (about twice, on the demo)."""
    top_share, overall_share = serving.execute(
        """
        with scorecard as (
            select
                account_id,
                as_of_date,
                row_number() over (order by expansion_readiness desc, account_id) as rank,
                count(*) over () as accounts
            from serving.marts.expansion_scorecard
        ),

        showing_intent as (
            select distinct intent.account_id
            from expansion_intent as intent
            inner join scorecard on intent.account_id = scorecard.account_id
            where intent.signal_start_date <= cast(scorecard.as_of_date as date)
                and intent.signal_start_date > cast(scorecard.as_of_date as date) - 90
                and (intent.expanded_on is null
                    or intent.expanded_on > cast(scorecard.as_of_date as date))
        ),

        flagged as (
            select
                scorecard.rank <= scorecard.accounts / 10 as is_top_tenth,
                showing_intent.account_id is not null as shows_intent
            from scorecard
            left join showing_intent on scorecard.account_id = showing_intent.account_id
        )

        select
            avg(case when shows_intent then 1.0 else 0.0 end) filter (where is_top_tenth),
            avg(case when shows_intent then 1.0 else 0.0 end)
        from flagged
        """
    ).fetchone()

    assert overall_share > 0
    assert top_share >= 1.5 * overall_share, (top_share, overall_share)


def test_every_planted_trigger_has_lift_above_one_and_a_half(serving):
    """compliance_ask aside: the company's support team tags compliance requests only from
    COMPLIANCE_TAGS_FROM, after the backtest window, so its planted signal is not in the
    feed there (test_nightly_refresh checks that the trigger is quarantined)."""
    planted = {
        trigger_id
        for (signals,) in serving.execute(
            "select distinct planted_signals from expansion_intent"
            " where planted_signals is not null"
        ).fetchall()
        for trigger_id in signals.split(";")
    } - {"compliance_ask"}
    lift = dict(
        serving.execute(
            "select trigger_id, lift from serving.marts.trigger_backtest where segment = 'All'"
        ).fetchall()
    )

    assert planted, "the generator plants trigger signals"
    assert planted <= set(lift)
    weak = {trigger_id: lift[trigger_id] for trigger_id in planted if not lift[trigger_id] > 1.5}
    assert weak == {}


def test_at_least_30_percent_of_healthy_accounts_have_a_cross_sell_opportunity(serving):
    coverage = serving.execute(
        "select coverage from serving.marts.whitespace_coverage where segment = 'All'"
    ).fetchone()[0]

    assert coverage >= 0.30


def test_the_nightly_run_reports_every_triggers_calibration_and_suggested_threshold(
    company, serving
):
    """Every trigger has a status and a suggested threshold, printed by the nightly run; the
    suggestion's firing rate is never further from the target than the current one's."""
    target = serving.execute(
        "select target_value from serving.marts.calibration_bounds"
        " where metric = 'trigger_firing_rate'"
    ).fetchone()[0]
    rows = serving.execute(
        "select trigger_id, calibration_status, firing_rate, suggested_threshold_value,"
        " suggested_firing_rate from serving.marts.trigger_backtest where segment = 'All'"
    ).fetchall()
    report = company.first_refresh.stdout.split("Trigger backtest", 1)[-1].splitlines()

    assert len(rows) == 16  # the SPEC's 15 and new_use_case (issue 18)
    for trigger_id, status, rate, suggested, suggested_rate in rows:
        line = next(line for line in report if line.startswith(trigger_id + " "))
        assert f" {status} " in line
        assert suggested is not None
        assert f" {float(suggested):g} " in line
        assert abs(suggested_rate - target) <= abs(rate - target)


def test_every_query_of_the_account_page_runs_once_for_all_accounts(company, monkeypatch):
    """A templated query that cannot be batched falls back to one query per account page
    (three of them once took 33 of the demo's 45 s of rendering): the renderer runs every
    query of the account page for two accounts with running one page at a time forbidden,
    on the demo's serving database, and every query gives both pages a result."""

    def one_page_at_a_time(sql, params):
        raise AssertionError(f"ran page by page: {sql}")

    monkeypatch.setattr(site_module, "bind_params", one_page_at_a_time)
    pages_dir = PROJECT_ROOT / "dashboards" / "pages"
    with serving_session(company.data_dir / "serving.duckdb") as con:
        assert create_source_views(con, PROJECT_ROOT / "dashboards" / "sources") == []
        files, issues = read_page_file(con, pages_dir, pages_dir / "accounts/[account_id].md", 2)
        assert issues == []
        [page_file] = files
        renderer = PageRenderer(con, page_file, site_map(files), [], None)
        per_page = renderer.run_queries(page_file.instances[:2])
    queries = [block.name for block in page_file.page.blocks if isinstance(block, Query)]
    assert len(queries) > 20
    for results, errors in per_page:
        assert errors == {}
        assert list(results) == queries
