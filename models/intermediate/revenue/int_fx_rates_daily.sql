{{ config(materialized='table') }}
{#-
    USD is 1 whether or not the rates file carries USD rows. Days come from a
    portable day spine (macro calendar_days): up to 100,000 days (273 years)
    of history.
-#}
with

fx_rates as (

    select * from {{ ref('stg_billing__fx_rates') }}

),

subscription_lines as (

    select * from {{ ref('stg_billing__subscriptions') }}

),

usage_daily as (

    select * from {{ ref('stg_product__usage_daily') }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

first_dates as (

    -- the month end before the first subscription month (its opening ARR)
    select
        cast(
            {{ dbt.dateadd('day', -1, dbt.date_trunc('month', 'min(start_date)')) }} as date
        ) as first_date
    from subscription_lines
    union all
    select min(rate_date) as first_date
    from fx_rates
    where currency_code <> 'USD'
    union all
    select min(usage_date) as first_date
    from usage_daily

),

calendar_bounds as (

    select
        min(first_dates.first_date) as first_day,
        max(as_of.as_of_date) as last_day
    from first_dates
    cross join as_of

),

calendar as (

    {{ calendar_days('calendar_bounds', 'first_day', 'last_day', 'valuation_date') }}

),

rate_periods as (

    -- each non-USD rate holds from its date until the day before the next one
    select
        fx_rates.currency_code,
        fx_rates.rate_date,
        fx_rates.usd_per_unit,
        lead(fx_rates.rate_date) over (
            partition by fx_rates.currency_code order by fx_rates.rate_date
        ) as next_rate_date,
        min(fx_rates.rate_date) over (partition by fx_rates.currency_code) as first_rate_date
    from fx_rates
    cross join as_of
    where
        fx_rates.currency_code <> 'USD'
        -- point in time: a rate dated after the as-of date is never read
        and fx_rates.rate_date <= as_of.as_of_date

),

non_usd_rates as (

    select
        rate_periods.currency_code,
        calendar.valuation_date,
        rate_periods.rate_date,
        rate_periods.usd_per_unit,
        calendar.valuation_date < rate_periods.rate_date as is_before_first_rate
    from rate_periods
    inner join calendar
        on
            (
                rate_periods.rate_date <= calendar.valuation_date
                or rate_periods.rate_date = rate_periods.first_rate_date
            )
            and (
                rate_periods.next_rate_date is null
                or rate_periods.next_rate_date > calendar.valuation_date
            )

),

usd_rates as (

    select
        'USD' as currency_code,
        valuation_date,
        valuation_date as rate_date,
        cast(1 as {{ type_decimal() }}) as usd_per_unit,
        false as is_before_first_rate
    from calendar

),

final as (

    select
        cast(currency_code as {{ dbt.type_string() }}) as currency_code,
        valuation_date,
        rate_date,
        cast(usd_per_unit as {{ type_decimal() }}) as usd_per_unit,
        is_before_first_rate
    from non_usd_rates
    union all
    select
        cast(currency_code as {{ dbt.type_string() }}) as currency_code,
        valuation_date,
        rate_date,
        usd_per_unit,
        is_before_first_rate
    from usd_rates

)

select * from final
