{#-
    One row per trigger firing at the registry's current threshold: the
    first day of a run of consecutive days on which the condition held (a
    rising edge) outside the cooldown of the previous firing. Rising edges
    and the greedy cooldown are computed in int_trigger_threshold_firings,
    once for every evaluated threshold; the sweep candidates stay there.

    Each firing is marked with its trigger's calibration on the as-of night
    (calibration_trigger_firing_rates' blocking 'All' row): a quarantined
    trigger's firings stay visible here, is_quarantined with the reason,
    while its alerts are held.
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
