{#-
    A line in a currency with no rate on or before D has a null arr_usd (a
    test holds that an active line converts).
-#}
with

subscription_lines as (

    select * from {{ ref('stg_billing__subscriptions') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_daily') }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

lines_flagged_active as (

    select
        subscription_lines.subscription_line_id,
        subscription_lines.account_id,
        subscription_lines.product_id,
        subscription_lines.quantity,
        subscription_lines.arr_local,
        subscription_lines.currency_code,
        subscription_lines.start_date,
        subscription_lines.end_date,
        subscription_lines.term_months,
        as_of.as_of_date,
        (
            subscription_lines.start_date <= as_of.as_of_date
            and (
                subscription_lines.end_date is null
                or subscription_lines.end_date > as_of.as_of_date
            )
        ) as is_active_on_as_of_date

    from subscription_lines
    cross join as_of

),

lines_with_rate as (

    select
        lines_flagged_active.*,
        fx_rates.usd_per_unit,
        fx_rates.rate_date as fx_rate_date

    from lines_flagged_active
    left join fx_rates
        on
            lines_flagged_active.currency_code = fx_rates.currency_code
            and lines_flagged_active.as_of_date = fx_rates.valuation_date

),

lines_converted as (

    select
        subscription_line_id,
        account_id,
        product_id,
        quantity,
        arr_local,
        currency_code,
        usd_per_unit,
        fx_rate_date,
        cast(arr_local * usd_per_unit as {{ type_decimal() }}) as arr_usd,
        start_date,
        end_date,
        term_months,
        as_of_date,
        is_active_on_as_of_date

    from lines_with_rate

)

select * from lines_converted
