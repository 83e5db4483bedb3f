{#-
    source 'subscription' is the motion split of
    int_account_family_movements_monthly. Its day is the first start in the
    month of a line that adds something: a new product, or more of one (a
    line that replaces one of the same product and at least the same
    quantity ending that day - a renewal, with or without an escalator - is
    not one); the month end when none is found. expansion_arr_usd is the
    counted ARR. source 'won_opportunity' is dated on its close day, with its
    amount.

    Segment: the account's at the month end before the expansion
    (int_account_arr_monthly: the CRM segment, else its ARR band then), as
    the NRR cohorts fix it.
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

subscription_lines as (

    select * from {{ ref('stg_billing__subscriptions') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

expansion_motions as (

    select * from {{ ref('expansion_motions') }}

),

opportunity_motions as (

    select * from {{ ref('opportunity_expansion_motions') }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

counted_motions as (

    select
        max(case when expansion_motion = 'seat_usage' then counted end) as seat_usage_counted,
        max(case when expansion_motion = 'tier_upgrade' then counted end) as tier_upgrade_counted,
        max(case when expansion_motion = 'cross_sell' then counted end) as cross_sell_counted,
        max(case when expansion_motion = 'price_uplift' then counted end) as price_uplift_counted
    from (
        select
            expansion_motion,
            case when counts_as_expansion then 1 else 0 end as counted
        from expansion_motions
    ) as motions

),

counted_per_month as (

    select
        family_movements.account_id,
        family_movements.month_end_date,
        sum(
            family_movements.seat_usage_arr_usd * counted_motions.seat_usage_counted
            + family_movements.tier_upgrade_arr_usd * counted_motions.tier_upgrade_counted
            + family_movements.cross_sell_arr_usd * counted_motions.cross_sell_counted
            + family_movements.price_uplift_arr_usd * counted_motions.price_uplift_counted
        ) as expansion_arr_usd
    from family_movements
    cross join counted_motions
    group by
        family_movements.account_id,
        family_movements.month_end_date

),

expansion_months as (

    -- paying at both month ends: a new or returning account is no expansion
    select
        counted_per_month.account_id,
        counted_per_month.month_end_date,
        month_ends.previous_month_end_date,
        counted_per_month.expansion_arr_usd,
        arr_at_start.segment
    from counted_per_month
    inner join month_ends
        on counted_per_month.month_end_date = month_ends.month_end_date
    inner join account_arr as arr_at_start
        on
            counted_per_month.account_id = arr_at_start.account_id
            and month_ends.previous_month_end_date = arr_at_start.month_end_date
    inner join account_arr as arr_at_end
        on
            counted_per_month.account_id = arr_at_end.account_id
            and counted_per_month.month_end_date = arr_at_end.month_end_date
    where counted_per_month.expansion_arr_usd > 0

),

-- a line that replaces one of the same product and at least its quantity
-- on the day that one ends is a renewal, not an addition
renewal_lines as (

    select distinct new_lines.subscription_line_id
    from subscription_lines as new_lines
    inner join subscription_lines as old_lines
        on
            new_lines.account_id = old_lines.account_id
            and new_lines.product_id = old_lines.product_id
            and new_lines.start_date = old_lines.end_date
            and new_lines.quantity <= old_lines.quantity

),

adding_lines as (

    select
        subscription_lines.account_id,
        subscription_lines.start_date
    from subscription_lines
    left join renewal_lines
        on subscription_lines.subscription_line_id = renewal_lines.subscription_line_id
    where renewal_lines.subscription_line_id is null

),

subscription_expansions as (

    select
        expansion_months.account_id,
        coalesce(min(adding_lines.start_date), expansion_months.month_end_date)
            as expansion_date,
        'subscription' as expansion_source,
        cast(null as {{ dbt.type_string() }}) as opportunity_id,
        expansion_months.segment,
        expansion_months.expansion_arr_usd
    from expansion_months
    left join adding_lines
        on
            expansion_months.account_id = adding_lines.account_id
            and expansion_months.previous_month_end_date < adding_lines.start_date
            and expansion_months.month_end_date >= adding_lines.start_date
    group by
        expansion_months.account_id,
        expansion_months.month_end_date,
        expansion_months.segment,
        expansion_months.expansion_arr_usd

),

won_opportunities as (

    select
        opportunities.opportunity_id,
        opportunities.account_id,
        cast(opportunities.closed_at as date) as closed_date,
        opportunities.amount_arr_usd
    from opportunities
    inner join opportunity_motions
        on opportunities.motion = opportunity_motions.opportunity_motion
    inner join expansion_motions
        on opportunity_motions.expansion_motion = expansion_motions.expansion_motion
    cross join as_of
    where
        opportunities.outcome = 'won'
        and expansion_motions.counts_as_expansion
        and cast(opportunities.closed_at as date) <= as_of.as_of_date

),

opportunity_expansions as (

    select
        won_opportunities.account_id,
        won_opportunities.closed_date as expansion_date,
        'won_opportunity' as expansion_source,
        won_opportunities.opportunity_id,
        account_arr.segment,
        won_opportunities.amount_arr_usd as expansion_arr_usd
    from won_opportunities
    left join month_ends
        on
            won_opportunities.closed_date > month_ends.previous_month_end_date
            and won_opportunities.closed_date <= month_ends.month_end_date
    left join account_arr
        on
            won_opportunities.account_id = account_arr.account_id
            and month_ends.previous_month_end_date = account_arr.month_end_date

),

final as (

    select
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        expansion_date,
        cast(expansion_source as {{ dbt.type_string() }}) as expansion_source,
        opportunity_id,
        cast(segment as {{ dbt.type_string() }}) as segment,
        cast(expansion_arr_usd as {{ type_decimal() }}) as expansion_arr_usd
    from subscription_expansions
    union all
    select
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        expansion_date,
        cast(expansion_source as {{ dbt.type_string() }}) as expansion_source,
        cast(opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
        cast(segment as {{ dbt.type_string() }}) as segment,
        cast(expansion_arr_usd as {{ type_decimal() }}) as expansion_arr_usd
    from opportunity_expansions

)

select * from final
