{#-
    sustained_usage_ceiling: events reached the threshold share of the monthly
    events limit in two consecutive months - read as the last 30 days and the
    30 days before them (events_30d and events_prior_30d of
    int_product_usage_account_daily), both against the current limit. The
    signal is the lower of the two ratios. Needs usage in the prior 30 days.
    One row per account, threshold
    (trigger_thresholds) and usage day where the condition holds.
-#}
with

usage as (

    select * from {{ ref('int_product_usage_account_daily') }}

),

thresholds as (

    {{ trigger_thresholds('sustained_usage_ceiling') }}

),

monthly_ratios as (

    select
        account_id,
        usage_date,
        cast(events_30d as decimal(18, 4))
        / nullif(limit_events_monthly, 0) as last_month_ratio,
        cast(events_prior_30d as decimal(18, 4))
        / nullif(limit_events_monthly, 0) as prior_month_ratio
    from usage
    where usage_days_prior_30d > 0

),

final as (

    select
        monthly_ratios.account_id,
        monthly_ratios.usage_date as evaluated_on,
        cast(
            case
                when monthly_ratios.last_month_ratio < monthly_ratios.prior_month_ratio
                    then monthly_ratios.last_month_ratio
                else monthly_ratios.prior_month_ratio
            end as decimal(18, 4)
        ) as signal_value,
        thresholds.threshold_value
    from monthly_ratios
    cross join thresholds
    where
        monthly_ratios.last_month_ratio >= thresholds.threshold_value
        and monthly_ratios.prior_month_ratio >= thresholds.threshold_value
        and monthly_ratios.usage_date
        between thresholds.evaluated_from and thresholds.evaluated_through

)

select * from final
