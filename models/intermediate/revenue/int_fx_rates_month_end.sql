{#-
    The USD rate of every currency on every date the revenue models value ARR
    on - each spine month end and the month end before it - as the latest rate
    dated on or before that date (SPEC 3: fx as of the month end). Before a
    currency's first known rate, that first rate is used (flagged), so
    history older than the rates file still converts; a currency with no rate
    at all has no row. USD is always 1, whether or not the rates file carries
    USD rows.
-#}
with

month_ends as (

    select * from {{ ref('int_revenue_month_ends') }}

),

fx_rates as (

    select * from {{ ref('stg_billing__fx_rates') }}

),

valuation_dates as (

    select month_end_date as valuation_date from month_ends
    union
    select previous_month_end_date as valuation_date from month_ends

),

currencies as (

    select
        currency_code,
        min(rate_date) as first_rate_date

    from fx_rates
    where currency_code <> 'USD'
    group by currency_code

),

latest_rate_dates as (

    select
        currencies.currency_code,
        valuation_dates.valuation_date,
        -- before a currency's first known rate, its first rate is used
        coalesce(max(fx_rates.rate_date), min(currencies.first_rate_date)) as rate_date

    from currencies
    cross join valuation_dates
    left join fx_rates
        on
            currencies.currency_code = fx_rates.currency_code
            and valuation_dates.valuation_date >= fx_rates.rate_date
    group by
        currencies.currency_code,
        valuation_dates.valuation_date

),

non_usd_rates as (

    select
        latest_rate_dates.currency_code,
        latest_rate_dates.valuation_date,
        latest_rate_dates.rate_date,
        fx_rates.usd_per_unit,
        latest_rate_dates.rate_date > latest_rate_dates.valuation_date as is_before_first_rate

    from latest_rate_dates
    inner join fx_rates
        on
            latest_rate_dates.currency_code = fx_rates.currency_code
            and latest_rate_dates.rate_date = fx_rates.rate_date

),

usd_rates as (

    select
        'USD' as currency_code,
        valuation_date,
        valuation_date as rate_date,
        cast(1 as decimal(18, 4)) as usd_per_unit,
        false as is_before_first_rate

    from valuation_dates

),

final as (

    select * from non_usd_rates
    union all
    select * from usd_rates

)

select * from final
