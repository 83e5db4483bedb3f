"""What the demo company must show once `expansion demo` has refreshed it.

The generator plants cause and effect (expansion intents that show signals before
the subscription grows; truth in ``<landing>_truth/``); these tests check that the
published marts find them, at the demo's default size.
"""

from __future__ import annotations

import duckdb
import pytest

pytestmark = pytest.mark.e2e

# The generator is built to land each segment's trailing-12-month NRR within this
# distance of the segment's target in seeds/segment_nrr_targets.csv.
NRR_DISTANCE_FROM_TARGET = 0.06


@pytest.fixture(scope="module")
def serving(company):
    truth = company.landing.with_name(company.landing.name + "_truth")
    con = duckdb.connect()
    con.execute(f"attach '{company.data_dir / 'serving.duckdb'}' as serving (read_only)")
    con.read_csv(str(truth / "expansion_intent.csv")).create_view("expansion_intent")
    yield con
    con.close()


def test_segment_nrr_lands_near_each_segment_target(serving):
    rows = serving.execute(
        """
        select segment, nrr, target_nrr
        from serving.marts.segment_nrr
        where month_end_date = (select max(month_end_date) from serving.marts.segment_nrr)
            and segment <> 'All'
        order by segment
        """
    ).fetchall()

    assert [segment for segment, *_ in rows] == ["Enterprise", "Mid-Market", "SMB"]
    for segment, nrr, target in rows:
        assert abs(float(nrr) - float(target)) <= NRR_DISTANCE_FROM_TARGET, (segment, nrr, target)


def test_between_15_and_60_percent_of_active_accounts_pass_the_gate(serving):
    pass_share = serving.execute(
        """
        select avg(case when gate.is_gate_passed then 1.0 else 0.0 end)
        from serving.marts.readiness_gate_daily as gate
        inner join serving.marts.dim_accounts as accounts
            on gate.account_id = accounts.account_id
        where accounts.is_active
            and gate.as_of_date = (select max(as_of_date) from serving.marts.readiness_gate_daily)
        """
    ).fetchone()[0]

    assert 0.15 <= pass_share <= 0.60


def test_the_scorecard_ranks_planted_intent_well_above_the_rest(serving):
    """Accounts whose planted intent started showing signals in the last 90 days and has
    not yet turned into an expansion are at least twice as common in the top tenth of
    the scorecard as in the whole of it."""
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
    assert top_share >= 2 * overall_share, (top_share, overall_share)
