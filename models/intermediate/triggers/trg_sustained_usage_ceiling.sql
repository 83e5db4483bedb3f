{#-
    Events reached the threshold share of the monthly events limit in each
    of window_value consecutive calendar months - the complete months before
    the day's month, each month's events (int_product_usage_account_daily: a
    day without a usage row adds nothing) against the events limit on the
    day, so an upgrade that raises the limit ends the condition. The signal
    is the lowest of those months' ratios. The condition holds from the
    first day of the month after the last such month, every day of that
    month, and on into the next while the months keep qualifying - it does
    not restart each month.
-#}
{%- set window_months = trigger_setting('sustained_usage_ceiling', 'window_value', 2) %}

with

usage as (

    select * from {{ ref('int_product_usage_account_daily') }}

),

days_in_months as (

    select
        account_id,
        usage_date,
        events,
        limit_events_monthly,
        {{ dbt.datediff(calendar_origin(), 'usage_date', 'month') }} as month_number  -- noqa: LT05
    from usage

),

month_totals as (

    select
        account_id,
        month_number,
        sum(events) as month_events
    from days_in_months
    group by
        account_id,
        month_number

),

trailing_months as (

    select
        account_id,
        month_number,
        min(month_events) over (
            partition by account_id
            order by month_number
            range between {{ window_months - 1 }} preceding and current row
        ) as lowest_month_events,
        count(*) over (
            partition by account_id
            order by month_number
            range between {{ window_months - 1 }} preceding and current row
        ) as months_on_record
    from month_totals

),

-- each day against the complete months before its own month
day_ratios as (

    select
        days_in_months.account_id,
        days_in_months.usage_date,
        cast(trailing_months.lowest_month_events as {{ type_decimal() }})
        / nullif(days_in_months.limit_events_monthly, 0) as lowest_month_ratio
    from days_in_months
    inner join trailing_months
        on
            days_in_months.account_id = trailing_months.account_id
            and days_in_months.month_number - 1 = trailing_months.month_number
    where trailing_months.months_on_record = {{ window_months }}

),

final as (

    select
        day_ratios.account_id,
        day_ratios.usage_date as evaluated_on,
        day_ratios.lowest_month_ratio as signal_value
    from day_ratios

)

select * from final
