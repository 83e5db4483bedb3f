{#-
    Weekly active users at or above the threshold share of paid seats on
    every one of the last window_value days (a usage row on each of them);
    the signal is the lowest ratio over those days. A day with a shorter
    record has no signal.
-#}
{%- set window_days = trigger_setting('seat_saturation', 'window_value', 14) %}

with

usage as (

    select * from {{ ref('int_product_usage_account_daily') }}

),

windowed as (

    select
        account_id,
        usage_date,
        min(active_user_seat_ratio) over (
            partition by account_id
            order by day_number
            range between {{ window_days - 1 }} preceding and current row
        ) as lowest_ratio_in_window,
        count(*) over (
            partition by account_id
            order by day_number
            range between {{ window_days - 1 }} preceding and current row
        ) as seated_days_in_window
    from usage
    where paid_seats > 0 and active_user_seat_ratio is not null

),

final as (

    select
        windowed.account_id,
        windowed.usage_date as evaluated_on,
        windowed.lowest_ratio_in_window as signal_value
    from windowed
    where windowed.seated_days_in_window = {{ window_days }}

)

select * from final
