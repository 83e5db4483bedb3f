{#
    The firings among rising edges under a greedy cooldown, as CTEs that end
    with `cooldown_firings` (followed by a comma): one row (account_id,
    trigger_id, threshold_value, edge_day) per edge that fires. An edge fires
    when it lands at least cooldown_days after the previous *firing* of the
    same trigger, at the same threshold, on the same account. `edges` names a
    CTE with account_id, trigger_id, threshold_value, edge_day (a day number)
    and cooldown_days; only edges that may fire belong in it (a night that
    carries a firing from an earlier night leaves out the edges inside its
    cooldown).

    "Fire unless the previous firing is less than cooldown_days ago" is a
    greedy chain (an edge suppressed by the cooldown does not start a
    cooldown of its own), so it cannot be read off the previous edge. Each
    series (account, trigger, threshold) is folded once, in day order: its
    edges collected into a list sorted by day, reduced with a state of (the
    first day the next firing may land on, the firing days so far), and the
    firing days unnested. One aggregation, no self-join, no recursion, no
    limit on the length of a chain. The fold is the engine's list reduce
    (DuckDB list_reduce, Spark aggregate), so the macro dispatches. The
    first edge always fires; a null cooldown_days never ends (no later edge
    fires), as int_trigger_current_days' carry-over from earlier nights
    reads it, so a full build and a night agree.
#}
{% macro greedy_cooldown_firings(edges) -%}
    {{ return(adapter.dispatch('greedy_cooldown_firings', 'expansion')(edges)) }}
{%- endmacro %}

{% macro default__greedy_cooldown_firings(edges) -%}
cooldown_chains as (

    select
        account_id,
        trigger_id,
        threshold_value,
        list_reduce(
            list(
                struct_pack(
                    edge_day := cast(edge_day as bigint),
                    cooldown_days := cast(cooldown_days as bigint)
                )
                order by edge_day
            ),
            lambda chain, edge: if(
                len(chain.firing_days) = 0 or edge.edge_day >= chain.next_day,
                struct_pack(
                    next_day := edge.edge_day + edge.cooldown_days,
                    firing_days := list_append(chain.firing_days, edge.edge_day)
                ),
                chain
            ),
            struct_pack(
                next_day := cast(null as bigint),
                firing_days := cast([] as bigint [])
            )
        ).firing_days as firing_days
    from {{ edges }}
    group by
        account_id,
        trigger_id,
        threshold_value

),

cooldown_firings as (

    select
        account_id,
        trigger_id,
        threshold_value,
        unnest(firing_days) as edge_day
    from cooldown_chains

),
{%- endmacro %}

{% macro spark__greedy_cooldown_firings(edges) -%}
cooldown_chains as (

    select
        account_id,
        trigger_id,
        threshold_value,
        aggregate(
            array_sort(collect_list(named_struct(
                'edge_day', cast(edge_day as bigint),
                'cooldown_days', cast(cooldown_days as bigint)
            ))),
            named_struct(
                'next_day', cast(null as bigint),
                'firing_days', cast(array() as array<bigint>)
            ),
            (chain, edge) -> if(
                size(chain.firing_days) = 0 or edge.edge_day >= chain.next_day,
                named_struct(
                    'next_day', edge.edge_day + edge.cooldown_days,
                    'firing_days', concat(chain.firing_days, array(edge.edge_day))
                ),
                chain
            ),
            chain -> chain.firing_days
        ) as firing_days
    from {{ edges }}
    group by
        account_id,
        trigger_id,
        threshold_value

),

cooldown_firings as (

    select
        account_id,
        trigger_id,
        threshold_value,
        explode(firing_days) as edge_day
    from cooldown_chains

),
{%- endmacro %}
