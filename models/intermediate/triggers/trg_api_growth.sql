{#-
    The condition (figures in trigger_registry): API calls per day over the
    trailing window_value months (30 days each, ending on the day) against
    the same span before it grew by the threshold. Trailing windows, not
    "the same day a month earlier", so a month is always 30 days; averages
    per day the account was on record (int_product_usage_account_daily's
    calendar days: a day without a usage row is a day of zero calls, so an
    account going quiet reads as a drop, never as growth).

    Tiny bases are guarded: the account must be on record on or before the
    first day of the earlier span (a new account's first, partial month is
    not a base), each span needs reported usage on more than half of its
    days (a span mostly dark is no base for a growth rate), and the earlier
    span must average at least one API call a day.
-#}
{%- set window_days = 30 * trigger_setting('api_growth', 'window_value', 1) %}

with

usage as (

    select * from {{ ref('int_product_usage_account_daily') }}

),

monthly_windows as (

    select
        account_id,
        usage_date,
        day_number,
        min(day_number) over (
            partition by account_id order by day_number
            rows between unbounded preceding and current row
        ) as first_day_number,
        sum(api_calls) over (
            partition by account_id order by day_number
            range between {{ window_days - 1 }} preceding and current row
        ) as api_calls_recent,
        count(*) over (
            partition by account_id order by day_number
            range between {{ window_days - 1 }} preceding and current row
        ) as days_recent,
        sum(case when has_usage_row then 1 else 0 end) over (
            partition by account_id order by day_number
            range between {{ window_days - 1 }} preceding and current row
        ) as usage_days_recent,
        sum(api_calls) over (
            partition by account_id order by day_number
            range between {{ 2 * window_days - 1 }} preceding and {{ window_days }} preceding
        ) as api_calls_earlier,
        count(*) over (
            partition by account_id order by day_number
            range between {{ 2 * window_days - 1 }} preceding and {{ window_days }} preceding
        ) as days_earlier,
        sum(case when has_usage_row then 1 else 0 end) over (
            partition by account_id order by day_number
            range between {{ 2 * window_days - 1 }} preceding and {{ window_days }} preceding
        ) as usage_days_earlier
    from usage

),

growth as (

    select
        account_id,
        usage_date,
        (cast(api_calls_recent as {{ type_decimal() }}) / days_recent)
        / (cast(api_calls_earlier as {{ type_decimal() }}) / days_earlier)
        - 1 as api_call_growth
    from monthly_windows
    where
        first_day_number <= day_number - {{ 2 * window_days - 1 }}
        and 2 * usage_days_recent > {{ window_days }}
        and 2 * usage_days_earlier > {{ window_days }}
        and api_calls_earlier >= days_earlier

),

final as (

    select
        growth.account_id,
        growth.usage_date as evaluated_on,
        growth.api_call_growth as signal_value
    from growth

)

select * from final
