{#-
    The tier comes from seeds.signal_point_tiers and the band from
    seeds.weighted_readiness_bands; each score has a readable breakdown
    ("<item> <points>; <item> <points>").
-#}
with

signal_items as (

    select * from {{ ref('int_signal_points_itemised') }}
    where evaluation_role = 'as_of'

),

weighted_items as (

    select * from {{ ref('int_weighted_readiness_itemised') }}

),

tiers as (

    select * from {{ ref('signal_point_tiers') }}

),

bands as (

    select * from {{ ref('weighted_readiness_bands') }}

),

signal_totals as (

    select
        account_id,
        as_of_date,
        sum(points_earned) as signal_points,
        {{ listagg_ordered(
            dbt.concat(["signal_id", "' '", "cast(points_earned as " ~ dbt.type_string() ~ ")"]),
            "'; '",
            ["signal_max_points desc", "signal_id"],
        ) }} as signal_points_breakdown_all,
        sum(case when is_earned then 1 else 0 end) as signals_earned

    from signal_items
    group by account_id, as_of_date

),

earned_signal_lists as (

    select
        account_id,
        {{ listagg_ordered(
            dbt.concat(["signal_id", "' '", "cast(points_earned as " ~ dbt.type_string() ~ ")"]),
            "'; '",
            ["signal_max_points desc", "signal_id"],
        ) }} as signal_points_breakdown

    from signal_items
    where is_earned
    group by account_id

),

component_totals as (

    select
        account_id,
        component,
        max(component_max_points) as component_max_points,
        sum(points_earned) as component_points

    from weighted_items
    group by account_id, component

),

weighted_totals as (

    select
        account_id,
        sum(component_points) as weighted_readiness_score,
        sum(case when component = 'product_usage' then component_points else 0 end)
            as product_usage_points,
        sum(case when component = 'satisfaction' then component_points else 0 end)
            as satisfaction_points,
        sum(case when component = 'growth' then component_points else 0 end) as growth_points,
        sum(case when component = 'relationship' then component_points else 0 end)
            as relationship_points,
        sum(case when component = 'potential' then component_points else 0 end) as potential_points,
        {{ listagg_ordered(
            dbt.concat([
                "component", "' '", "cast(component_points as " ~ dbt.type_string() ~ ")",
                "'/'", "cast(component_max_points as " ~ dbt.type_string() ~ ")",
            ]),
            "'; '",
            ["component_max_points desc", "component"],
        ) }} as weighted_readiness_breakdown

    from component_totals
    group by account_id

),

missing_items as (

    select
        account_id,
        {{ listagg_ordered("item", "';'", ["item"]) }} as weighted_readiness_missing_items

    from weighted_items
    where is_missing
    group by account_id

),

final as (

    select
        cast(signal_totals.account_id as {{ dbt.type_string() }}) as account_id,
        signal_totals.as_of_date,
        cast(signal_totals.signal_points as int) as signal_points,
        cast(tiers.signal_tier as {{ dbt.type_string() }}) as signal_tier,
        tiers.tier_rank as signal_tier_rank,
        cast(signal_totals.signals_earned as int) as signals_earned,
        cast(earned_signal_lists.signal_points_breakdown as {{ dbt.type_string() }})
            as signal_points_breakdown,
        cast(weighted_totals.weighted_readiness_score as int) as weighted_readiness_score,
        cast(bands.readiness_band as {{ dbt.type_string() }}) as readiness_band,
        bands.band_rank as readiness_band_rank,
        cast(weighted_totals.product_usage_points as int) as product_usage_points,
        cast(weighted_totals.satisfaction_points as int) as satisfaction_points,
        cast(weighted_totals.growth_points as int) as growth_points,
        cast(weighted_totals.relationship_points as int) as relationship_points,
        cast(weighted_totals.potential_points as int) as potential_points,
        cast(weighted_totals.weighted_readiness_breakdown as {{ dbt.type_string() }})
            as weighted_readiness_breakdown,
        cast(missing_items.weighted_readiness_missing_items as {{ dbt.type_string() }})
            as weighted_readiness_missing_items

    from signal_totals
    inner join weighted_totals
        on signal_totals.account_id = weighted_totals.account_id
    left join earned_signal_lists
        on signal_totals.account_id = earned_signal_lists.account_id
    left join missing_items
        on signal_totals.account_id = missing_items.account_id
    left join tiers
        on
            signal_totals.signal_points >= tiers.min_points
            and (tiers.max_points is null or signal_totals.signal_points < tiers.max_points)
    left join bands
        on
            weighted_totals.weighted_readiness_score >= bands.min_score
            and (
                bands.max_score is null
                or weighted_totals.weighted_readiness_score < bands.max_score
            )

)

select * from final
