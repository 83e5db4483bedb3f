{#-
    The movement split into amounts so that

        ending = starting + new + reactivation + expansion - contraction
                 - churned + fx_impact

    Movement: new (0 -> ARR, first time), reactivation (0 -> ARR, had ARR at
    an earlier month end), churn (ARR -> 0), else the sign of the contract
    change at constant currency (ending - starting - fx_impact): expansion,
    contraction or unchanged. Exchange-rate moves alone never make an
    expansion or a contraction; they are fx_impact_usd.
-#}
with

family_movements as (

    select * from {{ ref('int_account_family_movements_monthly') }}

),

account_arr as (

    select * from {{ ref('int_account_arr_monthly') }}

),

month_ends as (

    select * from {{ ref('int_revenue_month_ends') }}

),

expansion_motions as (

    select * from {{ ref('expansion_motions') }}

),

families_summed_per_account as (

    select
        account_id,
        month_end_date,
        sum(starting_arr_usd) as starting_arr_usd,
        sum(ending_arr_usd) as ending_arr_usd,
        sum(seat_usage_arr_usd) as seat_usage_arr_usd,
        sum(tier_upgrade_arr_usd) as tier_upgrade_arr_usd,
        sum(cross_sell_arr_usd) as cross_sell_arr_usd,
        sum(price_uplift_arr_usd) as price_uplift_arr_usd,
        sum(contraction_arr_usd) as contraction_arr_usd,
        sum(fx_impact_usd) as fx_impact_usd

    from family_movements
    group by
        account_id,
        month_end_date

),

segments_and_history_joined as (

    select
        families_summed_per_account.*,
        month_ends.previous_month_end_date,
        coalesce(segment_at_start.segment, segment_at_end.segment) as segment,
        coalesce(
            segment_at_start.first_arr_month_end_date, segment_at_end.first_arr_month_end_date
        ) as first_arr_month_end_date

    from families_summed_per_account
    inner join month_ends
        on families_summed_per_account.month_end_date = month_ends.month_end_date
    left join account_arr as segment_at_start
        on
            families_summed_per_account.account_id = segment_at_start.account_id
            and month_ends.previous_month_end_date = segment_at_start.month_end_date
    left join account_arr as segment_at_end
        on
            families_summed_per_account.account_id = segment_at_end.account_id
            and families_summed_per_account.month_end_date = segment_at_end.month_end_date
    where
        families_summed_per_account.starting_arr_usd > 0
        or families_summed_per_account.ending_arr_usd > 0

),

movements_classified as (

    select
        *,
        case
            when starting_arr_usd = 0 and month_end_date = first_arr_month_end_date then 'new'
            when starting_arr_usd = 0 then 'reactivation'
            when ending_arr_usd = 0 then 'churn'
            when ending_arr_usd - fx_impact_usd > starting_arr_usd then 'expansion'
            when ending_arr_usd - fx_impact_usd < starting_arr_usd then 'contraction'
            else 'unchanged'
        end as movement

    from segments_and_history_joined

),

movements_split as (

    -- an account that starts or stops paying is new / reactivated / churned
    -- as a whole: its product-level split does not apply
    select
        account_id,
        month_end_date,
        previous_month_end_date,
        segment,
        movement,
        starting_arr_usd,
        ending_arr_usd,
        case when movement = 'new' then ending_arr_usd else 0 end as new_arr_usd,
        case when movement = 'reactivation' then ending_arr_usd else 0 end as reactivation_arr_usd,
        case when starting_arr_usd > 0 and ending_arr_usd > 0 then seat_usage_arr_usd else 0 end
            as seat_usage_arr_usd,
        case when starting_arr_usd > 0 and ending_arr_usd > 0 then tier_upgrade_arr_usd else 0 end
            as tier_upgrade_arr_usd,
        case when starting_arr_usd > 0 and ending_arr_usd > 0 then cross_sell_arr_usd else 0 end
            as cross_sell_arr_usd,
        case when starting_arr_usd > 0 and ending_arr_usd > 0 then price_uplift_arr_usd else 0 end
            as price_uplift_arr_usd,
        case when starting_arr_usd > 0 and ending_arr_usd > 0 then contraction_arr_usd else 0 end
            as contraction_arr_usd,
        case when movement = 'churn' then starting_arr_usd else 0 end as churned_arr_usd,
        case when starting_arr_usd > 0 and ending_arr_usd > 0 then fx_impact_usd else 0 end
            as fx_impact_usd

    from movements_classified

),

expansions_unpivoted as (

    select
        account_id,
        month_end_date,
        'seat_usage' as expansion_motion,
        seat_usage_arr_usd as motion_arr_usd
    from movements_split
    where movement = 'expansion'
    union all
    select
        account_id,
        month_end_date,
        'tier_upgrade' as expansion_motion,
        tier_upgrade_arr_usd as motion_arr_usd
    from movements_split
    where movement = 'expansion'
    union all
    select
        account_id,
        month_end_date,
        'cross_sell' as expansion_motion,
        cross_sell_arr_usd as motion_arr_usd
    from movements_split
    where movement = 'expansion'
    union all
    select
        account_id,
        month_end_date,
        'price_uplift' as expansion_motion,
        price_uplift_arr_usd as motion_arr_usd
    from movements_split
    where movement = 'expansion'

),

main_motion_ranked as (

    select
        expansions_unpivoted.account_id,
        expansions_unpivoted.month_end_date,
        expansions_unpivoted.expansion_motion,
        row_number() over (
            partition by expansions_unpivoted.account_id, expansions_unpivoted.month_end_date
            order by expansions_unpivoted.motion_arr_usd desc, expansion_motions.sort_order asc
        ) as motion_rank

    from expansions_unpivoted
    inner join expansion_motions
        on expansions_unpivoted.expansion_motion = expansion_motions.expansion_motion
    where expansions_unpivoted.motion_arr_usd > 0

),

final as (

    select
        cast(movements_split.account_id as {{ dbt.type_string() }}) as account_id,
        movements_split.month_end_date,
        movements_split.previous_month_end_date,
        cast(movements_split.segment as {{ dbt.type_string() }}) as segment,
        cast(movements_split.starting_arr_usd as {{ type_decimal() }}) as starting_arr_usd,
        cast(movements_split.ending_arr_usd as {{ type_decimal() }}) as ending_arr_usd,
        cast(movements_split.movement as {{ dbt.type_string() }}) as movement,
        cast(main_motion_ranked.expansion_motion as {{ dbt.type_string() }}) as expansion_motion,
        cast(movements_split.new_arr_usd as {{ type_decimal() }}) as new_arr_usd,
        cast(movements_split.reactivation_arr_usd as {{ type_decimal() }}) as reactivation_arr_usd,
        cast(
            movements_split.seat_usage_arr_usd
            + movements_split.tier_upgrade_arr_usd
            + movements_split.cross_sell_arr_usd
            + movements_split.price_uplift_arr_usd
            as {{ type_decimal() }}
        ) as expansion_arr_usd,
        cast(movements_split.seat_usage_arr_usd as {{ type_decimal() }}) as seat_usage_arr_usd,
        cast(movements_split.tier_upgrade_arr_usd as {{ type_decimal() }}) as tier_upgrade_arr_usd,
        cast(movements_split.cross_sell_arr_usd as {{ type_decimal() }}) as cross_sell_arr_usd,
        cast(movements_split.price_uplift_arr_usd as {{ type_decimal() }}) as price_uplift_arr_usd,
        cast(movements_split.contraction_arr_usd as {{ type_decimal() }}) as contraction_arr_usd,
        cast(movements_split.churned_arr_usd as {{ type_decimal() }}) as churned_arr_usd,
        cast(movements_split.fx_impact_usd as {{ type_decimal() }}) as fx_impact_usd

    from movements_split
    left join main_motion_ranked
        on
            movements_split.account_id = main_motion_ranked.account_id
            and movements_split.month_end_date = main_motion_ranked.month_end_date
            and main_motion_ranked.motion_rank = 1

)

select * from final
