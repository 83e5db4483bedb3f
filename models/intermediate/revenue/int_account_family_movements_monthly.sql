{#-
    Per product held at both month ends: the quantity change at the starting
    unit ARR is seat/usage (up) or contraction (down); the rest of the change
    is price uplift (up) or contraction (down). Products added or removed:
    - family not held at the start: the added ARR is cross-sell;
    - family held at both ends and its highest tier_rank changed: the switch
      is one tier change, added minus removed ARR - tier upgrade when
      positive, contraction when negative (never churn plus new);
    - otherwise added products are cross-sell, removed ones contraction.
    Whether the account as a whole is new, reactivated or churned is decided
    in arr_movements; these rows are the expansion/contraction split.
-#}
with

account_products as (

    select * from {{ ref('int_account_products_monthly') }}

),

month_ends as (

    select * from {{ ref('int_revenue_month_ends') }}

),

product_starts as (

    -- each product row, moved to the next spine month as that month's start
    select
        account_products.account_id,
        account_products.product_id,
        account_products.product_family,
        account_products.tier_rank,
        month_ends.month_end_date,
        account_products.quantity as starting_quantity,
        account_products.arr_usd as starting_arr_usd,
        cast(null as {{ type_decimal() }}) as ending_arr_usd,
        cast(null as {{ type_decimal() }}) as ending_arr_usd_at_previous_rates,
        cast(null as {{ dbt.type_bigint() }}) as ending_quantity

    from account_products
    inner join month_ends
        on account_products.month_end_date = month_ends.previous_month_end_date

),

product_ends as (

    select
        account_products.account_id,
        account_products.product_id,
        account_products.product_family,
        account_products.tier_rank,
        account_products.month_end_date,
        cast(null as {{ dbt.type_bigint() }}) as starting_quantity,
        cast(null as {{ type_decimal() }}) as starting_arr_usd,
        account_products.arr_usd as ending_arr_usd,
        account_products.arr_usd_at_previous_rates as ending_arr_usd_at_previous_rates,
        account_products.quantity as ending_quantity

    from account_products
    inner join month_ends
        on account_products.month_end_date = month_ends.month_end_date

),

product_starts_and_ends as (

    select * from product_starts
    union all
    select * from product_ends

),

products_paired as (

    select
        account_id,
        product_id,
        product_family,
        tier_rank,
        month_end_date,
        max(starting_quantity) as starting_quantity,
        max(ending_quantity) as ending_quantity,
        max(starting_arr_usd) as starting_arr_usd,
        max(ending_arr_usd) as ending_arr_usd,
        max(ending_arr_usd_at_previous_rates) as ending_arr_usd_at_previous_rates

    from product_starts_and_ends
    group by
        account_id,
        product_id,
        product_family,
        tier_rank,
        month_end_date

),

product_changes_valued as (

    select
        account_id,
        product_id,
        product_family,
        tier_rank,
        month_end_date,
        starting_quantity,
        ending_quantity,
        coalesce(starting_arr_usd, 0) as starting_arr_usd,
        coalesce(ending_arr_usd, 0) as ending_arr_usd,
        starting_quantity is not null as is_held_at_start,
        ending_quantity is not null as is_held_at_end,
        coalesce(ending_arr_usd, 0)
        - coalesce(ending_arr_usd_at_previous_rates, 0) as fx_impact_usd,
        case
            when starting_quantity is not null
                and ending_quantity is not null
                and starting_quantity <> 0
                then cast(
                        round(
                            (ending_quantity - starting_quantity)
                            * cast(starting_arr_usd as {{ dbt.type_numeric() }})
                            / starting_quantity,
                            4
                        ) as {{ type_decimal() }}
                    )
            else 0
        end as quantity_change_usd,
        coalesce(ending_arr_usd_at_previous_rates, 0) as ending_arr_usd_at_previous_rates

    from products_paired

),

product_changes_split as (

    select
        *,
        case
            when is_held_at_start and is_held_at_end
                then ending_arr_usd_at_previous_rates - starting_arr_usd - quantity_change_usd
            else 0
        end as price_change_usd,
        case
            when is_held_at_end and not is_held_at_start then ending_arr_usd_at_previous_rates
            else 0
        end as added_arr_usd,
        case
            when is_held_at_start and not is_held_at_end then starting_arr_usd
            else 0
        end as removed_arr_usd

    from product_changes_valued

),

families_summed as (

    select
        account_id,
        product_family,
        month_end_date,
        sum(starting_arr_usd) as starting_arr_usd,
        sum(ending_arr_usd) as ending_arr_usd,
        max(case when is_held_at_start then tier_rank end) as starting_top_tier_rank,
        max(case when is_held_at_end then tier_rank end) as ending_top_tier_rank,
        max(case when is_held_at_start then 1 else 0 end) = 1 as is_held_at_start,
        max(case when is_held_at_end then 1 else 0 end) = 1 as is_held_at_end,
        sum(case when quantity_change_usd > 0 then quantity_change_usd else 0 end)
            as quantity_increase_usd,
        sum(case when quantity_change_usd < 0 then -quantity_change_usd else 0 end)
            as quantity_decrease_usd,
        sum(case when price_change_usd > 0 then price_change_usd else 0 end) as price_increase_usd,
        sum(case when price_change_usd < 0 then -price_change_usd else 0 end) as price_decrease_usd,
        sum(added_arr_usd) as added_arr_usd,
        sum(removed_arr_usd) as removed_arr_usd,
        sum(fx_impact_usd) as fx_impact_usd

    from product_changes_split
    group by
        account_id,
        product_family,
        month_end_date

),

families_classified as (

    select
        *,
        is_held_at_start
        and is_held_at_end
        and coalesce(starting_top_tier_rank, 0)
        <> coalesce(ending_top_tier_rank, 0) as is_tier_switch

    from families_summed

),

final as (

    select
        account_id,
        product_family,
        month_end_date,
        starting_arr_usd,
        ending_arr_usd,
        is_held_at_start,
        is_held_at_end,
        starting_top_tier_rank,
        ending_top_tier_rank,
        is_tier_switch,
        quantity_increase_usd as seat_usage_arr_usd,
        case
            when
                is_tier_switch and added_arr_usd > removed_arr_usd
                then added_arr_usd - removed_arr_usd
            else 0
        end as tier_upgrade_arr_usd,
        case when is_tier_switch then 0 else added_arr_usd end as cross_sell_arr_usd,
        price_increase_usd as price_uplift_arr_usd,
        quantity_decrease_usd
        + price_decrease_usd
        + case
            when
                is_tier_switch and removed_arr_usd > added_arr_usd
                then removed_arr_usd - added_arr_usd
            when is_tier_switch then 0
            else removed_arr_usd
        end as contraction_arr_usd,
        fx_impact_usd

    from families_classified

)

select * from final
