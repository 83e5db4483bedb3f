{#-
    One row per expansion opportunity created on or before the as-of date:
    the forecast cell the account was in on the day the CSQL was created -
    its health band (account_health_daily) and its activation status
    (readiness_gate_daily, mapped as expansion_scorecard does: gate failed
    or no gate row = not_activated, gate passed but a risk suppression =
    activated_on_hold, else activated). 'unknown' health band when the
    account has no health row that day.

    The signal-point tier and weighted readiness band are computed for the
    as-of date only (account_readiness_scores has no daily history), so the
    readiness side of the cell is the point-in-time gate status.
-#}
with

opportunities as (

    select * from {{ ref('int_opportunities_attributed') }}

),

health as (

    select * from {{ ref('account_health_daily') }}

),

gate as (

    select * from {{ ref('readiness_gate_daily') }}

),

final as (

    select
        opportunities.opportunity_id,
        opportunities.account_id,
        opportunities.segment,
        opportunities.outcome,
        opportunities.created_date,
        opportunities.closed_at,
        opportunities.amount_arr_usd,
        coalesce(health.health_band, 'unknown') as health_band,
        case
            when gate.account_id is null or not gate.is_gate_passed then 'not_activated'
            when gate.is_suppressed then 'activated_on_hold'
            else 'activated'
        end as activation_status

    from opportunities
    left join health
        on
            opportunities.account_id = health.account_id
            and opportunities.created_date = health.score_date
    left join gate
        on
            opportunities.account_id = gate.account_id
            and opportunities.created_date = gate.as_of_date

)

select * from final
