{#-
    Gate criteria from seeds.readiness_gate_criteria, suppressions from
    seeds.risk_suppressions.

    Segment on day D: the CRM segment, else the seeds.segment_arr_bands band
    of the account's ARR that day (lines active on D at the latest fx rate
    on or before D).

    A missing input fails its criterion (the gate only lets through what it
    can verify): no paid seats fails the seat ratio, no NPS response the NPS.

    Incremental: macro incremental_output_window, like its inputs.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy=incremental_strategy_by_day(),
        unique_key=['account_id', 'as_of_date'],
        partition_by=incremental_partition_by_day('as_of_date'),
        on_schema_change='fail',
    )
}}

{#- criterion -> its pass condition and more (names are the failed_criteria vocabulary) #}
{%- set criteria = readiness_gate_criteria() %}
{#- suppression_id: (flag column, the signal value compared with the seed's threshold) #}
{%- set suppressions = {
    'low_csat': ('is_low_csat', 'latest_csat_score'),
    'too_many_open_tickets': ('has_too_many_open_tickets', 'open_tickets'),
    'champion_left': ('has_champion_left_recently', 'champion_departures_in_window'),
    'recent_price_increase': ('has_recent_price_increase', 'price_increases_in_window'),
    'outreach_fatigue': ('has_outreach_fatigue', 'expansion_outreaches_qtd'),
} %}

with

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

product_usage as (

    select * from {{ ref('int_product_usage_account_daily') }}

),

support as (

    select * from {{ ref('int_support_account_daily') }}

),

relationship as (

    select * from {{ ref('int_relationship_account_daily') }}

),

health as (

    select * from {{ ref('int_account_health_daily') }}

),

gate_criteria as (

    select * from {{ ref('readiness_gate_criteria') }}

),

risk_suppressions as (

    select * from {{ ref('risk_suppressions') }}

),

segment_arr_bands as (

    select * from {{ ref('segment_arr_bands') }}

),

output_window as (

    {{ incremental_output_window('as_of_date', rebuild_days=3, with_as_of=false) }}

),

-- the suppression seed pivoted to one row: <id>_comparison, _threshold, _window, _enabled
suppression_parameters as (

    select
        {{ seed_pivot('suppression_id', suppressions, {
            'comparison': 'comparison',
            'threshold': 'threshold_value',
            'window': 'window_value',
            'enabled': 'case when is_enabled then 1 else 0 end',
        }) }}

    from risk_suppressions

),

account_days as (

    select
        product_usage.account_id,
        product_usage.usage_date as as_of_date,
        accounts.segment as crm_segment,
        accounts.onboarded_date,
        {{ dbt.datediff(
            'accounts.onboarded_date', 'product_usage.usage_date', 'day'
        ) }} as days_since_onboarding,
        coalesce(product_usage.arr_usd, 0) as arr_usd,
        product_usage.core_features_used_30d,
        product_usage.departments_active_30d,
        product_usage.active_user_seat_ratio,
        health.health_score,
        support.ticket_trend,
        support.open_tickets,
        support.latest_csat_score,
        relationship.latest_nps_score,
        coalesce(relationship.has_exec_sponsor, false) as has_exec_sponsor,
        relationship.days_since_champion_departure,
        relationship.latest_price_increase_date,
        coalesce(relationship.expansion_outreaches_qtd, 0) as expansion_outreaches_qtd

    from product_usage
    cross join output_window
    inner join accounts
        on product_usage.account_id = accounts.account_id
    left join health
        on
            product_usage.account_id = health.account_id
            and product_usage.usage_date = health.score_date
    left join support
        on
            product_usage.account_id = support.account_id
            and product_usage.usage_date = support.usage_date
    left join relationship
        on
            product_usage.account_id = relationship.account_id
            and product_usage.usage_date = relationship.usage_date
    where product_usage.usage_date >= output_window.first_output_date

),

segments_assigned as (

    select
        account_days.*,
        coalesce(account_days.crm_segment, segment_arr_bands.segment) as segment

    from account_days
    left join segment_arr_bands
        on
            account_days.arr_usd >= segment_arr_bands.min_arr_usd
            and (
                segment_arr_bands.max_arr_usd is null
                or account_days.arr_usd < segment_arr_bands.max_arr_usd
            )

),

-- month arithmetic on its own (PORTABILITY: no day and month intervals in one select)
price_increase_windows as (

    select
        segments_assigned.*,
        cast(
            {{ dbt.dateadd(
                'month',
                '-1 * suppression_parameters.recent_price_increase_window',
                'segments_assigned.as_of_date',
            ) }}
            as date
        ) as price_increase_window_start_date

    from segments_assigned
    cross join suppression_parameters

),

suppression_signals as (

    select
        price_increase_windows.*,
        case
            when
                price_increase_windows.days_since_champion_departure
                < suppression_parameters.champion_left_window
                then 1
            else 0
        end as champion_departures_in_window,
        case
            when
                price_increase_windows.latest_price_increase_date
                > price_increase_windows.price_increase_window_start_date
                then 1
            else 0
        end as price_increases_in_window

    from price_increase_windows
    cross join suppression_parameters

),

criteria_evaluated as (

    select
        suppression_signals.*,
        {%- for criterion, definition in criteria.items() %}
            coalesce({{ definition.condition }}, false) as passes_{{ criterion }},
        {%- endfor %}
        {%- for suppression_id, (flag, value) in suppressions.items() %}
            coalesce(
                suppression_parameters.{{ suppression_id }}_enabled = 1
                and case suppression_parameters.{{ suppression_id }}_comparison
                    when 'gt'
                        then {{ value }} > suppression_parameters.{{ suppression_id }}_threshold
                    when 'gte'
                        then {{ value }} >= suppression_parameters.{{ suppression_id }}_threshold
                    when 'lt'
                        then {{ value }} < suppression_parameters.{{ suppression_id }}_threshold
                    when 'lte'
                        then {{ value }} <= suppression_parameters.{{ suppression_id }}_threshold
                end,
                false
            ) as {{ flag }}
            {%- if not loop.last %},{% endif %}
        {%- endfor %}

    from suppression_signals
    inner join gate_criteria
        on suppression_signals.segment = gate_criteria.segment
    cross join suppression_parameters

),

lists_built as (

    select
        criteria_evaluated.*,
        {%- set failed_parts = [] %}
        {%- for criterion in criteria %}
            {%- do failed_parts.append(
                "case when not passes_" ~ criterion ~ " then '" ~ criterion ~ ";' else '' end"
            ) %}
        {%- endfor %}
        {{ dbt.concat(failed_parts) }} as failed_with_separator,
        {%- set suppression_parts = [] %}
        {%- for suppression_id, (flag, value) in suppressions.items() %}
            {%- do suppression_parts.append(
                "case when " ~ flag ~ " then '" ~ suppression_id ~ ";' else '' end"
            ) %}
        {%- endfor %}
        {{ dbt.concat(suppression_parts) }} as suppressions_with_separator,
        (
            {%- for criterion in criteria %}
                case when passes_{{ criterion }} then 0 else 1 end{{ ' +' if not loop.last }}
            {%- endfor %}
        ) as failed_criteria_count

    from criteria_evaluated

),

final as (

    select
        account_id,
        as_of_date,
        cast(segment as {{ dbt.type_string() }}) as segment,
        failed_criteria_count = 0 as is_gate_passed,
        cast(
            case
                when failed_with_separator = '' then null
                else substring(failed_with_separator, 1, length(failed_with_separator) - 1)
            end as {{ dbt.type_string() }}
        ) as failed_criteria,
        failed_criteria_count,
        {%- for criterion in criteria %}
            passes_{{ criterion }},
        {%- endfor %}
        {%- for suppression_id, (flag, value) in suppressions.items() %}
            {{ flag }},
        {%- endfor %}
        suppressions_with_separator <> '' as is_suppressed,
        cast(
            case
                when suppressions_with_separator = '' then null
                else substring(
                        suppressions_with_separator, 1, length(suppressions_with_separator) - 1
                    )
            end as {{ dbt.type_string() }}
        ) as suppressions,
        failed_criteria_count = 0 and suppressions_with_separator = '' as is_expansion_eligible,
        days_since_onboarding,
        core_features_used_30d,
        departments_active_30d,
        health_score,
        active_user_seat_ratio,
        cast(ticket_trend as {{ dbt.type_string() }}) as ticket_trend,
        latest_nps_score,
        has_exec_sponsor,
        latest_csat_score,
        open_tickets,
        days_since_champion_departure,
        latest_price_increase_date,
        expansion_outreaches_qtd

    from lists_built

)

select * from final
