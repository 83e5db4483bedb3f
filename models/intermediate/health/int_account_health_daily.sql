{#-
    A day without usage is a day of zero usage. Each component maps one metric
    linearly onto 0-1 between the seed's zero_score_at and full_score_at
    (clamped), and earns weight x score points. A component whose input is
    missing that day is not scored as red: it is left out, the score is 100 x
    earned points / weight of the scored components (the missing weight is
    shared pro rata), and the row lists the missing components. Bands from
    seeds.health_score_bands.

    Engagement trend on calendar windows: events per active day in the last
    30 days against the 30 days before (dark days count as days of zero
    events), once the account was on record for min_history_days of the
    prior window; 0 when neither window had an event (an account gone quiet
    scores 0, not "missing"); missing when only the prior window was empty.

    Incremental: macro incremental_output_window, like its inputs.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy=incremental_strategy_by_day(),
        unique_key=['account_id', 'score_date'],
        partition_by=incremental_partition_by_day('score_date'),
        on_schema_change='fail',
    )
}}

{#- component -> its metric over `inputs` (null = missing input): macro health_score_components #}
{%- set components = health_score_components() %}

with

product_usage as (

    select * from {{ ref('int_product_usage_account_daily') }}

),

support as (

    select * from {{ ref('int_support_account_daily') }}

),

relationship as (

    select * from {{ ref('int_relationship_account_daily') }}

),

weights as (

    select * from {{ ref('health_score_weights') }}

),

bands as (

    select * from {{ ref('health_score_bands') }}

),

output_window as (

    {{ incremental_output_window('score_date', rebuild_days=3, with_as_of=false) }}

),

-- the seed pivoted to one row: <component>_weight, _zero, _full, _max_age, _min_history
parameters as (

    select
        {{ seed_pivot('component', components, {
            'weight': 'weight',
            'zero': 'zero_score_at',
            'full': 'full_score_at',
            'max_age': 'max_input_age_days',
            'min_history': 'min_history_days',
        }) }}

    from weights

),

inputs_joined as (

    select
        product_usage.account_id,
        product_usage.usage_date as score_date,
        product_usage.active_user_seat_ratio,
        case
            when
                product_usage.account_days_prior_30d
                < coalesce(parameters.engagement_trend_min_history, 1)
                then null
            when product_usage.events_prior_30d > 0
                then
                    (
                        cast(product_usage.events_30d as {{ type_decimal() }})
                        / product_usage.account_days_30d
                    )
                    / (
                        cast(product_usage.events_prior_30d as {{ type_decimal() }})
                        / product_usage.account_days_prior_30d
                    )
            -- nothing in either window: a dark account has no engagement to trend
            when product_usage.events_30d = 0 then 0
        end as events_per_day_30d_vs_prior,
        product_usage.core_feature_adoption_ratio,
        case
            when
                relationship.days_since_latest_nps
                <= coalesce(parameters.nps_max_age, relationship.days_since_latest_nps)
                then relationship.latest_nps_score
        end as latest_nps_score,
        case
            when
                support.days_since_latest_csat
                <= coalesce(parameters.csat_max_age, support.days_since_latest_csat)
                then support.latest_csat_score
        end as latest_csat_score,
        support.open_tickets,
        support.tickets_opened_30d,
        support.tickets_opened_prior_30d,
        case
            when relationship.contacts_present > 0
                then
                    case when relationship.has_champion then 1 else 0 end
                    + case when relationship.has_exec_sponsor then 1 else 0 end
        end as champion_and_exec_sponsor_present,
        relationship.days_since_last_touch

    from product_usage
    cross join output_window
    cross join parameters
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

components_scored as (

    select
        inputs.*,
        {%- for component, metric in components.items() %}
            case
                when ({{ metric }}) is null then null
                when
                    (({{ metric }}) - parameters.{{ component }}_zero)
                    / (parameters.{{ component }}_full - parameters.{{ component }}_zero) >= 1
                    then cast(1 as decimal(10, 4))
                when
                    (({{ metric }}) - parameters.{{ component }}_zero)
                    / (parameters.{{ component }}_full - parameters.{{ component }}_zero) <= 0
                    then cast(0 as decimal(10, 4))
                else cast(
                        (({{ metric }}) - parameters.{{ component }}_zero)
                        / (parameters.{{ component }}_full - parameters.{{ component }}_zero)
                        as decimal(10, 4)
                    )
            end as {{ component }}_score,
            parameters.{{ component }}_weight
            {%- if not loop.last %},{% endif %}
        {%- endfor %}

    from inputs_joined as inputs
    cross join parameters

),

totals_computed as (

    select
        components_scored.*,
        (
            {%- for component in components %}
                coalesce(

                    {{ component }}_score
                    * components_scored.{{ component }}_weight,
                    0
                ){{ ' +' if not loop.last }}
            {%- endfor %}
        ) as earned_points,
        (
            {%- for component in components %}
                case
                    when components_scored.{{ component }}_score is not null
                        then components_scored.{{ component }}_weight
                    else 0
                end
                {{- ' +' if not loop.last }}
            {%- endfor %}
        ) as scored_weight,
        {%- set missing_parts = [] %}
        {%- for component in components %}
            {%- do missing_parts.append(
                "case when " ~ component ~ "_score is null then '" ~ component ~ ";' else '' end"
            ) %}
        {%- endfor %}
        {{ dbt.concat(missing_parts) }} as missing_components_with_separator

    from components_scored

),

scores_computed as (

    select
        totals_computed.*,
        cast(
            round(
                100 * totals_computed.earned_points / nullif(totals_computed.scored_weight, 0), 2
            ) as decimal(5, 2)
        ) as health_score,
        case
            when totals_computed.missing_components_with_separator = '' then null
            else substring(
                    totals_computed.missing_components_with_separator,
                    1,
                    length(totals_computed.missing_components_with_separator) - 1
                )
        end as missing_components

    from totals_computed

),

final as (

    select
        scores_computed.account_id,
        scores_computed.score_date,
        scores_computed.health_score,
        cast(bands.health_band as {{ dbt.type_string() }}) as health_band,
        cast(scores_computed.scored_weight as decimal(6, 2)) as scored_weight,
        scores_computed.scored_weight < 100 as has_missing_components,
        cast(scores_computed.missing_components as {{ dbt.type_string() }}) as missing_components,
        {%- for component in components %}
            scores_computed.{{ component }}_score,
        {%- endfor %}
        cast(scores_computed.active_user_seat_ratio as {{ type_decimal() }})
            as active_user_seat_ratio,
        cast(scores_computed.events_per_day_30d_vs_prior as {{ type_decimal() }})
            as events_per_day_30d_vs_prior,
        cast(scores_computed.core_feature_adoption_ratio as {{ type_decimal() }})
            as core_feature_adoption_ratio,
        cast(scores_computed.latest_nps_score as decimal(6, 2)) as latest_nps_score,
        cast(scores_computed.latest_csat_score as decimal(6, 2)) as latest_csat_score,
        scores_computed.open_tickets,
        scores_computed.tickets_opened_30d,
        scores_computed.tickets_opened_prior_30d,
        scores_computed.champion_and_exec_sponsor_present,
        scores_computed.days_since_last_touch

    from scores_computed
    left join bands
        on
            scores_computed.health_score >= bands.min_score
            and (bands.max_score is null or scores_computed.health_score < bands.max_score)

)

select * from final
