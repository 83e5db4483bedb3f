{#-
    Two sources, merged:
      - billing: within a month end whose arr_movements movement is expansion,
        per product family with seat/usage, tier upgrade or cross-sell ARR
        (int_account_family_movements_monthly), the products behind it
        (int_account_products_monthly): a product held at both month ends at
        a higher quantity (seat_usage), or a product held at the end and not
        at the start (tier_upgrade when the family's top tier switched
        upwards, else cross_sell). Its day is the first start_date of the
        product's subscription lines in the month (else the month end). Price
        uplift changes no product or quantity and is not checked.
      - CRM: opportunities whose seeds.opportunity_expansion_motions row has
        no expansion_motion (e.g. multi-year renewals) are left out.
    The same expansion: the nearest billing one within
    post_expansion_check_settings.same_expansion_window_days (source = both);
    the billing motion wins, the opportunity's is kept.
-#}
with

arr_movements as (

    select * from {{ ref('int_arr_movements') }}

),

family_movements as (

    select * from {{ ref('int_account_family_movements_monthly') }}

),

account_products as (

    select * from {{ ref('int_account_products_monthly') }}

),

subscription_lines as (

    select * from {{ ref('stg_billing__subscriptions') }}

),

products as (

    select * from {{ ref('stg_billing__products') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

motion_map as (

    select * from {{ ref('opportunity_expansion_motions') }}

),

settings as (

    select * from {{ ref('post_expansion_check_settings') }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

expanding_families as (

    select
        family_movements.account_id,
        family_movements.product_family,
        family_movements.month_end_date,
        arr_movements.previous_month_end_date,
        family_movements.is_tier_switch,
        family_movements.seat_usage_arr_usd,
        family_movements.tier_upgrade_arr_usd,
        family_movements.cross_sell_arr_usd

    from family_movements
    inner join arr_movements
        on
            family_movements.account_id = arr_movements.account_id
            and family_movements.month_end_date = arr_movements.month_end_date
    cross join as_of
    where
        arr_movements.movement = 'expansion'
        and arr_movements.previous_month_end_date < as_of.as_of_date
        and (
            family_movements.seat_usage_arr_usd > 0
            or family_movements.tier_upgrade_arr_usd > 0
            or family_movements.cross_sell_arr_usd > 0
        )

),

product_changes as (

    select
        expanding_families.account_id,
        products_at_end.product_id,
        expanding_families.product_family,
        expanding_families.month_end_date,
        expanding_families.previous_month_end_date,
        case
            when products_at_start.product_id is not null
                and products_at_end.quantity > products_at_start.quantity
                and expanding_families.seat_usage_arr_usd > 0
                then 'seat_usage'
            when products_at_start.product_id is null
                and expanding_families.is_tier_switch
                and expanding_families.tier_upgrade_arr_usd > 0
                then 'tier_upgrade'
            when products_at_start.product_id is null
                and not expanding_families.is_tier_switch
                and expanding_families.cross_sell_arr_usd > 0
                then 'cross_sell'
        end as expansion_motion,
        coalesce(products_at_start.quantity, 0) as quantity_before,
        products_at_end.quantity as quantity_after

    from expanding_families
    inner join account_products as products_at_end
        on
            expanding_families.account_id = products_at_end.account_id
            and expanding_families.product_family = products_at_end.product_family
            and expanding_families.month_end_date = products_at_end.month_end_date
    left join account_products as products_at_start
        on
            products_at_end.account_id = products_at_start.account_id
            and products_at_end.product_id = products_at_start.product_id
            and expanding_families.previous_month_end_date = products_at_start.month_end_date

),

line_starts as (

    select
        product_changes.account_id,
        product_changes.product_id,
        product_changes.month_end_date,
        min(subscription_lines.start_date) as first_line_start_date

    from product_changes
    inner join subscription_lines
        on
            product_changes.account_id = subscription_lines.account_id
            and product_changes.product_id = subscription_lines.product_id
            and product_changes.previous_month_end_date < subscription_lines.start_date
            and product_changes.month_end_date >= subscription_lines.start_date
    where product_changes.expansion_motion is not null
    group by
        product_changes.account_id,
        product_changes.product_id,
        product_changes.month_end_date

),

billing_expansions as (

    select
        product_changes.account_id,
        product_changes.product_id,
        product_changes.product_family,
        product_changes.expansion_motion,
        product_changes.quantity_before,
        product_changes.quantity_after,
        coalesce(
            line_starts.first_line_start_date, product_changes.month_end_date
        ) as expansion_date

    from product_changes
    left join line_starts
        on
            product_changes.account_id = line_starts.account_id
            and product_changes.product_id = line_starts.product_id
            and product_changes.month_end_date = line_starts.month_end_date
    cross join as_of
    where
        product_changes.expansion_motion is not null
        and coalesce(
            line_starts.first_line_start_date, product_changes.month_end_date
        ) <= as_of.as_of_date

),

won_opportunities as (

    select
        opportunities.opportunity_id,
        opportunities.account_id,
        opportunities.product_id,
        products.product_family,
        opportunities.motion as opportunity_motion,
        motion_map.expansion_motion,
        cast(opportunities.closed_at as date) as closed_date

    from opportunities
    inner join motion_map
        on opportunities.motion = motion_map.opportunity_motion
    inner join products
        on opportunities.product_id = products.product_id
    cross join as_of
    where
        opportunities.outcome = 'won'
        and motion_map.expansion_motion is not null
        and cast(opportunities.closed_at as date) <= as_of.as_of_date

),

candidate_pairs as (

    select
        won_opportunities.opportunity_id,
        won_opportunities.opportunity_motion,
        billing_expansions.account_id,
        billing_expansions.product_id,
        billing_expansions.expansion_date,
        abs({{ dbt.datediff(
            'billing_expansions.expansion_date', 'won_opportunities.closed_date', 'day'
        ) }}) as days_apart

    from won_opportunities
    inner join billing_expansions
        on
            won_opportunities.account_id = billing_expansions.account_id
            and won_opportunities.product_id = billing_expansions.product_id
    cross join settings
    where
        abs({{ dbt.datediff(
            'billing_expansions.expansion_date', 'won_opportunities.closed_date', 'day'
        ) }}) <= settings.same_expansion_window_days

),

nearest_per_opportunity as (

    select
        *,
        row_number() over (
            partition by opportunity_id
            order by days_apart, expansion_date
        ) as opportunity_rank

    from candidate_pairs

),

matches as (

    select
        *,
        row_number() over (
            partition by account_id, product_id, expansion_date
            order by days_apart, opportunity_id
        ) as expansion_rank

    from nearest_per_opportunity
    where opportunity_rank = 1

),

billing_rows as (

    select
        billing_expansions.account_id,
        billing_expansions.product_id,
        billing_expansions.product_family,
        billing_expansions.expansion_date,
        billing_expansions.expansion_motion,
        matches.opportunity_id,
        matches.opportunity_motion,
        case when matches.opportunity_id is null then 'billing' else 'both' end as expansion_source,
        billing_expansions.quantity_before,
        billing_expansions.quantity_after

    from billing_expansions
    left join matches
        on
            billing_expansions.account_id = matches.account_id
            and billing_expansions.product_id = matches.product_id
            and billing_expansions.expansion_date = matches.expansion_date
            and matches.expansion_rank = 1

),

opportunity_only_rows as (

    select
        won_opportunities.account_id,
        won_opportunities.product_id,
        won_opportunities.product_family,
        won_opportunities.closed_date as expansion_date,
        won_opportunities.expansion_motion,
        won_opportunities.opportunity_id,
        won_opportunities.opportunity_motion,
        'opportunity' as expansion_source,
        cast(null as {{ dbt.type_bigint() }}) as quantity_before,
        cast(null as {{ dbt.type_bigint() }}) as quantity_after

    from won_opportunities
    left join matches
        on
            won_opportunities.opportunity_id = matches.opportunity_id
            and matches.expansion_rank = 1
    where matches.opportunity_id is null

),

unioned as (

    select * from billing_rows
    union all
    select * from opportunity_only_rows

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "account_id", "'|'", "product_id", "'|'",
            "cast(expansion_date as " ~ dbt.type_string() ~ ")", "'|'",
            "coalesce(opportunity_id, '')",
        ])) }} as expansion_id,
        account_id,
        product_id,
        product_family,
        expansion_date,
        expansion_motion,
        opportunity_id,
        opportunity_motion,
        expansion_source,
        cast(quantity_before as {{ dbt.type_bigint() }}) as quantity_before,
        cast(quantity_after as {{ dbt.type_bigint() }}) as quantity_after

    from unioned

)

select * from final
