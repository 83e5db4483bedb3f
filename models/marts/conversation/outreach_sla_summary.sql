{#-
    first_outreach_share = measured firings with a first outreach within the
    SLA / measured firings; close_share = measured outreaches closed within
    the close SLA / measured outreaches. A rating is the best bar cleared,
    'below_target' when none, 'no_data' when nothing was measured.
-#}
with

firings as (

    select * from {{ ref('trigger_outreach_sla') }}

),

benchmarks as (

    select * from {{ ref('playbook_benchmarks') }}

),

scoped as (

    {{ segment_and_all_scopes('firings') }}

),

breakdowns as (

    select
        'segment' as breakdown,
        scope as group_value,
        is_first_outreach_measured,
        has_first_outreach_within_sla,
        is_close_measured,
        has_closed_within_sla
    from scoped
    union all
    select
        'owner' as breakdown,
        owner as group_value,
        is_first_outreach_measured,
        has_first_outreach_within_sla,
        is_close_measured,
        has_closed_within_sla
    from firings
    where owner is not null

),

unioned as (

    select
        breakdown,
        group_value,
        sum(case when is_first_outreach_measured then 1 else 0 end) as firings_measured,
        sum(
            case when is_first_outreach_measured and has_first_outreach_within_sla then 1 else 0 end
        ) as firings_with_first_outreach,
        sum(case when is_close_measured then 1 else 0 end) as outreaches_measured,
        sum(case when is_close_measured and has_closed_within_sla then 1 else 0 end)
            as outreaches_closed
    from breakdowns
    group by
        breakdown,
        group_value

),

shares as (

    select
        unioned.*,
        case
            when unioned.firings_measured > 0
                then
                    cast(unioned.firings_with_first_outreach as {{ type_decimal() }})
                    / unioned.firings_measured
        end as first_outreach_share,
        case
            when unioned.outreaches_measured > 0
                then
                    cast(unioned.outreaches_closed as {{ type_decimal() }})
                    / unioned.outreaches_measured
        end as close_share
    from unioned

),

shares_unpivoted as (

    select
        breakdown,
        group_value,
        'first_outreach_share' as metric,
        first_outreach_share as metric_value
    from shares
    union all
    select
        breakdown,
        group_value,
        'outreach_to_close_share' as metric,
        close_share as metric_value
    from shares

),

bars_cleared as (

    {{ best_bar_cleared(
        'shares_unpivoted', ['breakdown', 'group_value', 'metric'], 'metric_value', 'benchmarks'
    ) }}

),

targets as (

    select
        metric,
        min(threshold_value) as target_value
    from benchmarks
    where metric in ('first_outreach_share', 'outreach_to_close_share')
    group by metric

),

final as (

    select
        cast(shares.breakdown as {{ dbt.type_string() }}) as breakdown,
        cast(shares.group_value as {{ dbt.type_string() }}) as group_value,
        cast(shares.firings_measured as integer) as firings_measured,
        cast(shares.firings_with_first_outreach as integer) as firings_with_first_outreach,
        cast(shares.first_outreach_share as {{ type_decimal() }}) as first_outreach_share,
        cast(first_outreach_targets.target_value as {{ type_decimal() }}) as first_outreach_target,
        cast(
            {{ bar_rating(
                'shares.first_outreach_share', 'first_outreach_bars.rating', 'below_target'
            ) }} as {{ dbt.type_string() }}
        ) as first_outreach_rating,
        cast(shares.outreaches_measured as integer) as outreaches_measured,
        cast(shares.outreaches_closed as integer) as outreaches_closed,
        cast(shares.close_share as {{ type_decimal() }}) as close_share,
        cast(close_targets.target_value as {{ type_decimal() }}) as close_target,
        cast(
            {{ bar_rating('shares.close_share', 'close_bars.rating', 'below_target') }}
            as {{ dbt.type_string() }}
        ) as close_rating

    from shares
    left join bars_cleared as first_outreach_bars
        on
            shares.breakdown = first_outreach_bars.breakdown
            and shares.group_value = first_outreach_bars.group_value
            and first_outreach_bars.metric = 'first_outreach_share'
            and first_outreach_bars.bar_rank = 1
    left join bars_cleared as close_bars
        on
            shares.breakdown = close_bars.breakdown
            and shares.group_value = close_bars.group_value
            and close_bars.metric = 'outreach_to_close_share'
            and close_bars.bar_rank = 1
    left join targets as first_outreach_targets
        on first_outreach_targets.metric = 'first_outreach_share'
    left join targets as close_targets
        on close_targets.metric = 'outreach_to_close_share'

)

select * from final
