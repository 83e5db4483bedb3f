{#-
    alert_lookback_days is alert_candidate_settings'; the gate and the
    suppressions are readiness_gate_daily's on the firing day.

    dedupe_key = md5 of account_id | trigger_id | fired_on (dbt.hash). Owner:
    by the trigger's owner_rule (macro expansion_owner) - by default the CSM,
    plus the AE when the account is in alert_policy.ae_escalation_segment or
    its ARR exceeds ae_escalation_min_arr_usd. due_date = fired_on + the
    trigger's response_due_days (else alert_policy.first_outreach_due_days).
-#}
with

firings as (

    select * from {{ ref('trigger_firings') }}

),

registry as (

    select * from {{ ref('trigger_registry') }}

),

gate as (

    select * from {{ ref('readiness_gate_daily') }}

),

accounts as (

    select * from {{ ref('int_accounts_segmented') }}

),

alert_policy as (

    select * from {{ ref('alert_policy') }}

),

settings as (

    select * from {{ ref('alert_candidate_settings') }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

lookback as (

    select
        as_of.as_of_date,
        {{ day_number('as_of.as_of_date') }} - settings.alert_lookback_days as oldest_excluded_day  -- noqa: LT05
    from as_of
    cross join settings

),

recent_firings as (

    select firings.*
    from firings
    cross join lookback
    where
        firings.fired_on <= lookback.as_of_date
        and {{ day_number('firings.fired_on') }} > lookback.oldest_excluded_day  -- noqa: LT05

),

gated as (

    select
        recent_firings.account_id,
        recent_firings.trigger_id,
        recent_firings.fired_on,
        recent_firings.signal_value,
        recent_firings.threshold_value,
        recent_firings.is_quarantined
    from recent_firings
    inner join gate
        on
            recent_firings.account_id = gate.account_id
            and recent_firings.fired_on = gate.as_of_date
    where gate.is_gate_passed and not gate.is_suppressed

),

with_due_days as (

    select
        gated.*,
        registry.response as recommended_action,
        registry.talk_track_id,
        registry.owner_rule,
        coalesce(registry.response_due_days, alert_policy.first_outreach_due_days) as due_days,
        accounts.account_name,
        accounts.segment,
        accounts.current_arr_usd,
        accounts.csm_owner,
        accounts.ae_owner,
        (
            accounts.segment = alert_policy.ae_escalation_segment
            or accounts.current_arr_usd > alert_policy.ae_escalation_min_arr_usd
        ) as is_ae_escalated
    from gated
    inner join registry
        on gated.trigger_id = registry.trigger_id
    left join accounts
        on gated.account_id = accounts.account_id
    cross join alert_policy

),

keyed as (

    select
        *,
        {{ dbt.hash(dbt.concat([
            'account_id', "'|'", 'trigger_id', "'|'",
            'cast(fired_on as ' ~ dbt.type_string() ~ ')'
        ])) }} as dedupe_key
    from with_due_days

),

final as (

    select
        cast({{ dbt.concat(["'alert_'", 'dedupe_key']) }} as {{ dbt.type_string() }}) as alert_id,
        cast(dedupe_key as {{ dbt.type_string() }}) as dedupe_key,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(account_name as {{ dbt.type_string() }}) as account_name,
        cast(segment as {{ dbt.type_string() }}) as segment,
        cast(current_arr_usd as decimal(18, 2)) as arr_usd,
        cast(trigger_id as {{ dbt.type_string() }}) as trigger_id,
        cast(fired_on as date) as fired_on,
        cast(signal_value as {{ type_decimal() }}) as signal_value,
        cast(threshold_value as {{ type_decimal() }}) as threshold_value,
        cast(recommended_action as {{ dbt.type_string() }}) as recommended_action,
        cast(talk_track_id as {{ dbt.type_string() }}) as talk_track_id,
        cast(
            {{ expansion_owner('owner_rule', 'csm_owner', 'ae_owner', 'is_ae_escalated') }}
            as {{ dbt.type_string() }}
        ) as owner,
        cast({{ dbt.dateadd('day', 'due_days', 'fired_on') }} as date) as due_date,
        is_quarantined
    from keyed

)

select * from final
