{#-
    One row per trigger firing at the registry's current threshold: the
    first day of a run of consecutive days on which the condition held (a
    rising edge) outside the cooldown of the previous firing. Rising edges
    and the greedy cooldown are computed in int_trigger_threshold_firings,
    once for every evaluated threshold; the sweep candidates stay there.
-#}
with

threshold_firings as (

    select * from {{ ref('int_trigger_threshold_firings') }}

),

final as (

    select
        account_id,
        trigger_id,
        fired_on,
        signal_value,
        threshold_value
    from threshold_firings
    where is_current_threshold

)

select * from final
