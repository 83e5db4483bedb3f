{#
    Every registry trigger's cooldown as a CTE body: one row per trigger_id
    with cooldown_days, the registry's own or, where it has none, the alert
    policy's default_cooldown_days. The edges of greedy_cooldown_firings
    take their cooldown_days from it.
#}
{% macro trigger_cooldowns() -%}
    select
        registry.trigger_id,
        coalesce(registry.cooldown_days, alert_policy.default_cooldown_days) as cooldown_days
    from {{ ref('trigger_registry') }} as registry
    cross join {{ ref('alert_policy') }} as alert_policy
{%- endmacro %}
