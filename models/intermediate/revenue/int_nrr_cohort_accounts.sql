{#-
    ARR then and now are each at its own date's fx rates. The split, point to
    point:
      ending = 0                 -> churned = starting
      ending > starting          -> expansion = ending - starting
      0 < ending < starting      -> contraction = starting - ending
      retained = min(starting, ending) (GRR caps each account at its start).
    Accounts whose first ARR comes after the window start (new logos) never
    enter a cohort, so they never reach the numerator.

    For a whole month the window starts at the spine month end twelve months
    earlier; for the partial as-of month on the same day a year earlier. That
    start is not a spine month end, so its ARR is valued here: the lines
    active that day at the latest fx rate on or before it
    (int_fx_rates_daily), the segment the CRM's, else its ARR band (as
    int_account_arr_monthly does at month ends).
-#}
with

month_ends as (

    select * from {{ ref('int_revenue_month_ends') }}

),

account_arr as (

    select * from {{ ref('int_account_arr_monthly') }}

),

subscription_lines as (

    select * from {{ ref('stg_billing__subscriptions') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_daily') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

segment_arr_bands as (

    select * from {{ ref('segment_arr_bands') }}

),

whole_month_windows as (

    select
        window_end.month_end_date,
        window_start.month_end_date as window_start_date

    from month_ends as window_end
    inner join month_ends as window_start
        on window_end.month_index - 12 = window_start.month_index
    where not window_end.is_partial_month

),

first_month as (

    select min(month_end_date) as first_month_end_date
    from month_ends

),

partial_month_windows as (

    select
        month_ends.month_end_date,
        cast({{ dbt.dateadd('month', -12, 'month_ends.month_end_date') }} as date)
            as window_start_date,
        first_month.first_month_end_date

    from month_ends
    cross join first_month
    where month_ends.is_partial_month

),

-- ARR at the partial month's window start, a day that is no spine month end
partial_window_start_arr as (

    select
        subscription_lines.account_id,
        partial_month_windows.month_end_date,
        partial_month_windows.window_start_date,
        sum(subscription_lines.arr_local * fx_rates.usd_per_unit) as arr_usd

    from partial_month_windows
    inner join subscription_lines
        on
            partial_month_windows.window_start_date >= subscription_lines.start_date
            and (
                subscription_lines.end_date is null
                or partial_month_windows.window_start_date < subscription_lines.end_date
            )
    inner join fx_rates
        on
            subscription_lines.currency_code = fx_rates.currency_code
            and partial_month_windows.window_start_date = fx_rates.valuation_date
    where partial_month_windows.window_start_date >= partial_month_windows.first_month_end_date
    group by
        subscription_lines.account_id,
        partial_month_windows.month_end_date,
        partial_month_windows.window_start_date

),

partial_month_cohort as (

    select
        partial_window_start_arr.month_end_date,
        partial_window_start_arr.window_start_date,
        partial_window_start_arr.account_id,
        coalesce(accounts.segment, segment_arr_bands.segment) as segment,
        cast(partial_window_start_arr.arr_usd as {{ type_decimal() }}) as starting_arr_usd

    from partial_window_start_arr
    left join accounts
        on partial_window_start_arr.account_id = accounts.account_id
    left join segment_arr_bands
        on
            partial_window_start_arr.arr_usd >= segment_arr_bands.min_arr_usd
            and (
                segment_arr_bands.max_arr_usd is null
                or partial_window_start_arr.arr_usd < segment_arr_bands.max_arr_usd
            )
    where partial_window_start_arr.arr_usd > 0

),

whole_month_cohort as (

    select
        whole_month_windows.month_end_date,
        whole_month_windows.window_start_date,
        account_arr.account_id,
        account_arr.segment,
        account_arr.arr_usd as starting_arr_usd

    from whole_month_windows
    inner join account_arr
        on whole_month_windows.window_start_date = account_arr.month_end_date

),

cohort_accounts as (

    select * from whole_month_cohort
    union all
    select * from partial_month_cohort

),

ending_arr_joined as (

    select
        cohort_accounts.*,
        coalesce(account_arr.arr_usd, 0) as ending_arr_usd

    from cohort_accounts
    left join account_arr
        on
            cohort_accounts.account_id = account_arr.account_id
            and cohort_accounts.month_end_date = account_arr.month_end_date

),

final as (

    select
        account_id,
        month_end_date,
        window_start_date,
        segment,
        starting_arr_usd,
        ending_arr_usd,
        case
            when ending_arr_usd > starting_arr_usd then ending_arr_usd - starting_arr_usd else 0
        end
            as expansion_arr_usd,
        case
            when
                ending_arr_usd > 0 and ending_arr_usd < starting_arr_usd
                then starting_arr_usd - ending_arr_usd
            else 0
        end as contraction_arr_usd,
        case when ending_arr_usd = 0 then starting_arr_usd else 0 end as churned_arr_usd,
        case when ending_arr_usd < starting_arr_usd then ending_arr_usd else starting_arr_usd end
            as retained_arr_usd,
        ending_arr_usd = 0 as is_churned

    from ending_arr_joined

)

select * from final
