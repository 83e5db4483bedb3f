{#-
    The window: the last conversation_settings.playbook_window_days to the
    as-of date.
      - self_serve_upgrade_rate: the segment's active accounts with an
        expansion in billing (int_account_expansions, source subscription)
        and no expansion opportunity won in the window / its active accounts;
      - csql_to_close_rate: won / (won + lost) of the segment's CSQLs
        (csql_funnel, its cohort window);
      - deal_size_share_of_acv: the mean of won expansion opportunities'
        amount / the account's ARR at the month end before the close;
      - nrr_change_after_playbook: the segment's NRR at the latest month end
        (segment_nrr) minus its NRR at the last month end on or before the
        window's start (points as a fraction of 1).
    Each value is rated against seeds.playbook_benchmarks and, for the
    CSQL-to-close rate, seeds.company_benchmarks (the best bar it clears,
    'below_benchmarks' when none, 'no_data' without a value);
    is_key_metric_met says whether the key metric clears the bar.
-#}
with

playbooks as (

    select * from {{ ref('segment_playbooks') }}

),

accounts as (

    select * from {{ ref('int_accounts_segmented') }}

),

expansions as (

    select * from {{ ref('int_account_expansions') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

arr_monthly as (

    select * from {{ ref('int_account_arr_monthly') }}

),

funnel as (

    select * from {{ ref('csql_funnel') }}

),

segment_nrr as (

    select * from {{ ref('segment_nrr') }}

),

playbook_benchmarks as (

    select * from {{ ref('playbook_benchmarks') }}

),

company_benchmarks as (

    select * from {{ ref('company_benchmarks') }}

),

settings as (

    select * from {{ ref('conversation_settings') }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

playbook_window as (

    select
        as_of.as_of_date,
        cast(
            {{ dbt.dateadd('day', '0 - settings.playbook_window_days', 'as_of.as_of_date') }}
            as date
        ) as window_start_date
    from as_of
    cross join settings

),

active_accounts as (

    select
        account_id,
        segment
    from accounts
    where current_arr_usd > 0

),

won_in_window as (

    select
        opportunities.account_id,
        opportunities.amount_arr_usd,
        cast(opportunities.closed_at as date) as closed_date
    from opportunities
    cross join playbook_window
    where
        opportunities.outcome = 'won'
        and cast(opportunities.closed_at as date) > playbook_window.window_start_date
        and cast(opportunities.closed_at as date) <= playbook_window.as_of_date

),

self_serve_accounts as (

    select distinct expansions.account_id
    from expansions
    cross join playbook_window
    where
        expansions.expansion_source = 'subscription'
        and expansions.expansion_date > playbook_window.window_start_date
        and expansions.expansion_date <= playbook_window.as_of_date
        and expansions.account_id not in (select won_in_window.account_id from won_in_window)

),

self_serve_rates as (

    select
        active_accounts.segment,
        'self_serve_upgrade_rate' as metric,
        cast(count(self_serve_accounts.account_id) as {{ type_decimal() }})
        / count(*) as metric_value
    from active_accounts
    left join self_serve_accounts
        on active_accounts.account_id = self_serve_accounts.account_id
    group by active_accounts.segment

),

csql_rates as (

    select
        dimension_value as segment,
        'csql_to_close_rate' as metric,
        max(csql_to_close_rate) as metric_value
    from funnel
    where dimension = 'segment'
    group by dimension_value

),

won_with_acv as (

    select
        won_in_window.account_id,
        won_in_window.amount_arr_usd,
        arr_monthly.arr_usd as acv_before_usd,
        accounts.segment
    from won_in_window
    inner join arr_monthly
        on
            won_in_window.account_id = arr_monthly.account_id
            and arr_monthly.month_end_date = cast(
                {{ dbt.dateadd('day', -1, dbt.date_trunc('month', 'won_in_window.closed_date')) }}
                as date
            )
    inner join accounts
        on won_in_window.account_id = accounts.account_id
    where arr_monthly.arr_usd > 0

),

deal_size_shares as (

    select
        segment,
        'deal_size_share_of_acv' as metric,
        avg(amount_arr_usd / acv_before_usd) as metric_value
    from won_with_acv
    group by segment

),

nrr_points as (

    select
        segment_nrr.segment,
        segment_nrr.month_end_date,
        segment_nrr.nrr,
        row_number() over (
            partition by segment_nrr.segment order by segment_nrr.month_end_date desc
        ) as latest_rank,
        row_number() over (
            partition by
                segment_nrr.segment,
                segment_nrr.month_end_date <= playbook_window.window_start_date
            order by segment_nrr.month_end_date desc
        ) as rank_in_side,
        segment_nrr.month_end_date <= playbook_window.window_start_date as is_at_window_start
    from segment_nrr
    cross join playbook_window
    where segment_nrr.month_end_date <= playbook_window.as_of_date

),

nrr_changes as (

    select
        latest.segment,
        'nrr_change_after_playbook' as metric,
        latest.nrr - at_start.nrr as metric_value
    from nrr_points as latest
    inner join nrr_points as at_start
        on
            latest.segment = at_start.segment
            and at_start.is_at_window_start
            and at_start.rank_in_side = 1
    where latest.latest_rank = 1

),

measured as (

    select * from self_serve_rates
    union all
    select * from csql_rates
    union all
    select * from deal_size_shares
    union all
    select * from nrr_changes

),

metric_names as (

    select 'self_serve_upgrade_rate' as metric
    union all
    select 'csql_to_close_rate' as metric
    union all
    select 'deal_size_share_of_acv' as metric
    union all
    select 'nrr_change_after_playbook' as metric

),

segment_metrics as (

    select
        playbooks.segment,
        metric_names.metric
    from playbooks
    cross join metric_names

),

bars_cleared as (

    {{ best_bar_cleared(
        'measured',
        ['segment', 'metric'],
        'metric_value',
        ['playbook_benchmarks', 'company_benchmarks'],
    ) }}

),

final as (

    select
        cast(playbooks.segment as {{ dbt.type_string() }}) as segment,
        cast(segment_metrics.metric as {{ dbt.type_string() }}) as metric,
        cast(measured.metric_value as {{ type_decimal() }}) as metric_value,
        cast(
            {{ bar_rating('measured.metric_value', 'bars_cleared.rating', 'below_benchmarks') }}
            as {{ dbt.type_string() }}
        ) as rating,
        cast(playbook_window.window_start_date as date) as window_start_date,
        cast(playbook_window.as_of_date as date) as as_of_date,
        cast(playbooks.motion as {{ dbt.type_string() }}) as playbook_motion,
        cast(playbooks.primary_trigger_id as {{ dbt.type_string() }}) as primary_trigger_id,
        cast(playbooks.channel as {{ dbt.type_string() }}) as channel,
        cast(playbooks.key_metric as {{ dbt.type_string() }}) as key_metric,
        segment_metrics.metric = playbooks.key_metric as is_key_metric,
        cast(playbooks.key_metric_threshold as {{ type_decimal() }}) as key_metric_threshold,
        case
            when segment_metrics.metric = playbooks.key_metric
                then coalesce({{ satisfies_comparison(
                    'playbooks.key_metric_comparison',
                    'measured.metric_value',
                    'playbooks.key_metric_threshold',
                ) }}, false)
        end as is_key_metric_met

    from segment_metrics
    cross join playbook_window
    inner join playbooks
        on segment_metrics.segment = playbooks.segment
    left join measured
        on
            segment_metrics.segment = measured.segment
            and segment_metrics.metric = measured.metric
    left join bars_cleared
        on
            measured.segment = bars_cleared.segment
            and measured.metric = bars_cleared.metric
            and bars_cleared.bar_rank = 1

)

select * from final
