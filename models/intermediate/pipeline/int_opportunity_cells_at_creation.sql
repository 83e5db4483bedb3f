{#-
    The close rates are learned in these cells, and the forecast applies them to
    the same cells.
-#}
with

opportunities as (

    select * from {{ ref('int_opportunities_attributed') }}

),

health as (

    select * from {{ ref('int_account_health_daily') }}

),

gate as (

    select * from {{ ref('int_readiness_gate_daily') }}

),

signal_items as (

    select * from {{ ref('int_signal_points_itemised') }}
    where evaluation_role = 'opportunity_created'

),

tiers as (

    select * from {{ ref('signal_point_tiers') }}

),

signal_points_at_creation as (

    select
        account_id,
        as_of_date as created_date,
        sum(points_earned) as signal_points
    from signal_items
    group by account_id, as_of_date

),

tiers_at_creation as (

    select
        signal_points_at_creation.account_id,
        signal_points_at_creation.created_date,
        signal_points_at_creation.signal_points,
        tiers.signal_tier
    from signal_points_at_creation
    inner join tiers
        on
            signal_points_at_creation.signal_points >= tiers.min_points
            and (
                tiers.max_points is null
                or signal_points_at_creation.signal_points < tiers.max_points
            )

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
        cast(coalesce(tiers_at_creation.signal_tier, 'unknown') as {{ dbt.type_string() }})
            as signal_tier,
        tiers_at_creation.signal_points,
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
    left join tiers_at_creation
        on
            opportunities.account_id = tiers_at_creation.account_id
            and opportunities.created_date = tiers_at_creation.created_date

)

select * from final
