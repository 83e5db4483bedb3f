{#-
    The logic lives in int_whitespace_pairs_scored (evaluated on the as-of
    date and, for whitespace_validation, on an earlier date); this mart keeps
    the as-of date and ranks each account's families.
-#}
with

pairs_scored as (

    select * from {{ ref('int_whitespace_pairs_scored') }}

),

as_of_pairs as (

    select
        pairs_scored.*,
        row_number() over (
            partition by pairs_scored.account_id
            order by pairs_scored.whitespace_score desc, pairs_scored.product_family asc
        ) as family_rank

    from pairs_scored
    where pairs_scored.evaluation_role = 'as_of'

),

final as (

    select
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(product_family as {{ dbt.type_string() }}) as product_family,
        evaluation_date as as_of_date,
        whitespace_score,
        cast(score_band as {{ dbt.type_string() }}) as score_band,
        is_cross_sell_opportunity,
        cast(family_rank as integer) as family_rank,
        cast(account_name as {{ dbt.type_string() }}) as account_name,
        cast(segment as {{ dbt.type_string() }}) as segment,
        cast(industry as {{ dbt.type_string() }}) as industry,
        arr_usd,
        cast(arr_size_band as {{ dbt.type_string() }}) as arr_size_band,
        health_score,
        product_fit_points,
        adoption_depth_points,
        expressed_interest_points,
        budget_timing_points,
        champion_availability_points,
        product_fit_score,
        adoption_depth_score,
        expressed_interest_score,
        budget_timing_score,
        champion_availability_score,
        cast(fit_score as integer) as fit_score,
        cast(events_30d as {{ dbt.type_bigint() }}) as events_30d,
        cast(interest_signals as integer) as interest_signals,
        next_fiscal_year_start_date,
        next_renewal_date,
        has_champion,
        has_exec_sponsor,
        peer_propensity,
        cast(peer_accounts as integer) as peer_accounts,
        cast(peer_owner_accounts as integer) as peer_owner_accounts,
        cast(from_product_family as {{ dbt.type_string() }}) as from_product_family,
        cast(bridge_narrative as {{ dbt.type_string() }}) as bridge_narrative

    from as_of_pairs

)

select * from final
