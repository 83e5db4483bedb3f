{#-
    Rising edges and the cooldown are int_trigger_threshold_firings' (the sweep
    candidates stay there); the calibration is the blocking 'All' row of
    calibration_trigger_firing_rates.
-#}
with

threshold_firings as (

    select * from {{ ref('int_trigger_threshold_firings') }}

),

calibration as (

    select * from {{ ref('calibration_trigger_firing_rates') }}
    where is_quarantined

),

quarantined_triggers as (

    select
        trigger_id,
        max(quarantine_reason) as quarantine_reason
    from calibration
    group by trigger_id

),

final as (

    select
        threshold_firings.account_id,
        threshold_firings.trigger_id,
        threshold_firings.fired_on,
        threshold_firings.signal_value,
        threshold_firings.threshold_value,
        quarantined_triggers.trigger_id is not null as is_quarantined,
        cast(quarantined_triggers.quarantine_reason as {{ dbt.type_string() }})
            as quarantine_reason
    from threshold_firings
    left join quarantined_triggers
        on threshold_firings.trigger_id = quarantined_triggers.trigger_id
    where threshold_firings.is_current_threshold

)

select * from final
