{#-
    One row per account, trigger, threshold and day on which the trigger's
    condition holds at that threshold (evaluated point in time: the trigger
    models read only rows dated on or before the day), for the enabled
    triggers of trigger_registry, up to the as-of date (an event-driven
    trigger must not fire on a ticket or a CRM change dated after the
    night): the union of the trigger models (macro union_trigger_models,
    which finds them in `graph`).

    Thresholds: each trigger model evaluates the rows of macro
    trigger_thresholds - the registry's current one over the whole history
    (is_current_threshold here; trigger_firings and the alerts read only
    these rows) and the backtest's sweep candidates over the days from
    shortly before the backtest window through its last day.

    A table, rebuilt whole each night: the trigger models are windowed views
    over the history, so a date filter here would not make a night cheaper,
    and a changed threshold in trigger_registry must re-evaluate history for
    the backtest (measured: an incremental version was no faster).

    dbt must know a model's refs when it parses the project, before `graph`
    exists, so each trigger model has one `depends_on` line below. The
    singular test assert_every_enabled_trigger_has_a_model_and_vice_versa
    fails when a line, a model or a registry row is missing.
-#}
{{ config(materialized='table') }}

-- depends_on: {{ ref('trg_api_growth') }}
-- depends_on: {{ ref('trg_champion_promoted') }}
-- depends_on: {{ ref('trg_compliance_ask') }}
-- depends_on: {{ ref('trg_contract_milestone') }}
-- depends_on: {{ ref('trg_feature_exploration') }}
-- depends_on: {{ ref('trg_gated_module_request') }}
-- depends_on: {{ ref('trg_headcount_growth') }}
-- depends_on: {{ ref('trg_integration_depth') }}
-- depends_on: {{ ref('trg_multi_team_adoption') }}
-- depends_on: {{ ref('trg_new_department_adoption') }}
-- depends_on: {{ ref('trg_new_use_case') }}
-- depends_on: {{ ref('trg_power_user_emergence') }}
-- depends_on: {{ ref('trg_qbr_unmet_need') }}
-- depends_on: {{ ref('trg_seat_saturation') }}
-- depends_on: {{ ref('trg_sustained_usage_ceiling') }}
-- depends_on: {{ ref('trg_usage_ceiling') }}

with

registry as (

    select * from {{ ref('trigger_registry') }}

),

evaluations as (

    {{ union_trigger_models() }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

final as (

    select
        evaluations.account_id,
        evaluations.trigger_id,
        evaluations.evaluated_on,
        evaluations.signal_value,
        evaluations.threshold_value,
        evaluations.threshold_value = cast(registry.threshold_value as decimal(18, 4))
            as is_current_threshold
    from evaluations
    inner join registry
        on evaluations.trigger_id = registry.trigger_id
    cross join as_of
    where
        registry.is_enabled
        and evaluations.evaluated_on <= as_of.as_of_date

)

select * from final
