{{ config(materialized='table') }}

with

subscription_lines as (

    select * from {{ ref('stg_billing__subscriptions') }}

),

products as (

    select * from {{ ref('stg_billing__products') }}

),

month_ends as (

    select * from {{ ref('int_revenue_month_ends') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_daily') }}

),

line_months as (

    select
        subscription_lines.subscription_line_id,
        subscription_lines.account_id,
        subscription_lines.product_id,
        subscription_lines.quantity,
        subscription_lines.arr_local,
        subscription_lines.currency_code,
        month_ends.month_end_date,
        month_ends.previous_month_end_date

    from subscription_lines
    inner join month_ends
        on
            subscription_lines.start_date <= month_ends.month_end_date
            and (
                subscription_lines.end_date is null
                or subscription_lines.end_date > month_ends.month_end_date
            )

),

line_months_converted as (

    select
        line_months.account_id,
        line_months.product_id,
        line_months.month_end_date,
        line_months.quantity,
        cast(line_months.arr_local * month_end_rates.usd_per_unit as {{ type_decimal() }})
            as arr_usd,
        -- no rate yet at the previous month end: value at this month's rate
        cast(
            line_months.arr_local
            * coalesce(previous_rates.usd_per_unit, month_end_rates.usd_per_unit)
            as {{ type_decimal() }}
        ) as arr_usd_at_previous_rates,
        month_end_rates.usd_per_unit is null as is_unconverted

    from line_months
    left join fx_rates as month_end_rates
        on
            line_months.currency_code = month_end_rates.currency_code
            and line_months.month_end_date = month_end_rates.valuation_date
    left join fx_rates as previous_rates
        on
            line_months.currency_code = previous_rates.currency_code
            and line_months.previous_month_end_date = previous_rates.valuation_date

),

summed_per_product as (

    select
        account_id,
        product_id,
        month_end_date,
        count(*) as active_line_count,
        sum(quantity) as quantity,
        -- a line without a rate makes the whole amount unknown (tested not null)
        case when max(case when is_unconverted then 1 else 0 end) = 0 then sum(arr_usd) end
            as arr_usd,
        case
            when
                max(case when is_unconverted then 1 else 0 end) = 0
                then sum(arr_usd_at_previous_rates)
        end as arr_usd_at_previous_rates

    from line_months_converted
    group by
        account_id,
        product_id,
        month_end_date

),

final as (

    select
        summed_per_product.account_id,
        summed_per_product.product_id,
        products.product_family,
        products.tier_rank,
        summed_per_product.month_end_date,
        summed_per_product.active_line_count,
        summed_per_product.quantity,
        summed_per_product.arr_usd,
        summed_per_product.arr_usd_at_previous_rates

    from summed_per_product
    left join products
        on summed_per_product.product_id = products.product_id

)

select * from final
