with

evaluation_dates as (

    select * from {{ ref('int_whitespace_evaluation_dates') }}

),

subscription_lines as (

    select * from {{ ref('stg_billing__subscriptions') }}

),

products as (

    select * from {{ ref('stg_billing__products') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_daily') }}

),

lines_active as (

    select
        evaluation_dates.evaluation_date,
        subscription_lines.account_id,
        products.product_family,
        subscription_lines.currency_code,
        subscription_lines.arr_local

    from subscription_lines
    inner join evaluation_dates
        on
            subscription_lines.start_date <= evaluation_dates.evaluation_date
            and (
                subscription_lines.end_date is null
                or subscription_lines.end_date > evaluation_dates.evaluation_date
            )
    inner join products
        on subscription_lines.product_id = products.product_id

),

lines_converted as (

    select
        lines_active.evaluation_date,
        lines_active.account_id,
        lines_active.product_family,
        lines_active.arr_local * fx_rates.usd_per_unit as arr_usd

    from lines_active
    left join fx_rates
        on
            lines_active.evaluation_date = fx_rates.valuation_date
            and lines_active.currency_code = fx_rates.currency_code

),

final as (

    select
        account_id,
        evaluation_date,
        product_family,
        count(*) as active_lines,
        cast(sum(arr_usd) as decimal(18, 2)) as family_arr_usd

    from lines_converted
    group by
        account_id,
        evaluation_date,
        product_family

)

select * from final
