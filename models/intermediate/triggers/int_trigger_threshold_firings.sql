{#-
    One row per trigger firing at each evaluated threshold (the registry's
    current one and the backtest's sweep candidates, int_trigger_evaluations):
    the first day of a run of consecutive evaluation days (a rising edge)
    that lands at least cooldown_days after the previous *firing* of the
    same trigger, at the same threshold, on the same account. trigger_firings
    keeps the current threshold's; trigger_threshold_sweep counts them all.

    Rising edges: a day whose previous evaluation day (at the same
    threshold) is not the day before - the first day of a run.

    Cooldown, set-based: "fire unless the previous firing is less than
    cooldown_days ago" is a greedy chain (an edge suppressed by the cooldown
    does not start a cooldown of its own), so it cannot be read off the
    previous edge. Each edge points to the next edge at least cooldown_days
    later (`next_edge`); the firings are exactly the chain root,
    next_edge(root), next_edge(next_edge(root)), ... where the root is the
    account's first edge for the trigger. Membership in the chain is decided
    by binary lifting: jump tables next_edge^(2^k) for k = 0..max_jump_level
    (each one self-join of the edges), then for each edge start at the root
    and take every jump that does not overshoot the edge; the edge is a
    firing when that walk lands on it. Every step is a join over edges (a
    few per account and trigger), no recursion. Covers chains of up to
    2^(max_jump_level + 1) - 1 firings per account and trigger (2,047), far
    beyond any history.
-#}
{{ config(materialized='table') }}
{%- set max_jump_level = 10 %}

with

evaluations as (

    select * from {{ ref('int_trigger_evaluations') }}

),

registry as (

    select * from {{ ref('trigger_registry') }}

),

alert_policy as (

    select * from {{ ref('alert_policy') }}

),

numbered_days as (

    select
        account_id,
        trigger_id,
        evaluated_on,
        signal_value,
        threshold_value,
        is_current_threshold,
        {{ day_number('evaluated_on') }} as day_number  -- noqa: LT05
    from evaluations

),

previous_days as (

    select
        account_id,
        trigger_id,
        evaluated_on,
        signal_value,
        threshold_value,
        is_current_threshold,
        day_number,
        lag(day_number) over (
            partition by account_id, trigger_id, threshold_value order by day_number
        ) as previous_day_number
    from numbered_days

),

edges as (

    select
        previous_days.account_id,
        previous_days.trigger_id,
        previous_days.evaluated_on as edge_on,
        previous_days.day_number as edge_day,
        previous_days.signal_value,
        previous_days.threshold_value,
        previous_days.is_current_threshold,
        coalesce(registry.cooldown_days, alert_policy.default_cooldown_days) as cooldown_days
    from previous_days
    inner join registry
        on previous_days.trigger_id = registry.trigger_id
    cross join alert_policy
    where
        previous_days.previous_day_number is null
        or previous_days.previous_day_number < previous_days.day_number - 1

),

jumps_0 as (

    select
        edges.account_id,
        edges.trigger_id,
        edges.threshold_value,
        edges.edge_day,
        min(later.edge_day) as jump_0
    from edges
    left join edges as later
        on
            edges.account_id = later.account_id
            and edges.trigger_id = later.trigger_id
            and edges.threshold_value = later.threshold_value
            and later.edge_day >= edges.edge_day + edges.cooldown_days
    group by
        edges.account_id,
        edges.trigger_id,
        edges.threshold_value,
        edges.edge_day

),

-- noqa: disable=LT02
{%- for level in range(1, max_jump_level + 1) %}

jumps_{{ level }} as (

    select
        jumps_{{ level - 1 }}.*,
        further.jump_{{ level - 1 }} as jump_{{ level }}
    from jumps_{{ level - 1 }}
    left join jumps_{{ level - 1 }} as further
        on
            jumps_{{ level - 1 }}.account_id = further.account_id
            and jumps_{{ level - 1 }}.trigger_id = further.trigger_id
            and jumps_{{ level - 1 }}.threshold_value = further.threshold_value
            and jumps_{{ level - 1 }}.jump_{{ level - 1 }} = further.edge_day

),
{%- endfor %}

roots as (

    select
        account_id,
        trigger_id,
        threshold_value,
        min(edge_day) as root_day
    from edges
    group by
        account_id,
        trigger_id,
        threshold_value

),

walk_{{ max_jump_level + 1 }} as (

    select
        edges.account_id,
        edges.trigger_id,
        edges.threshold_value,
        edges.edge_day,
        roots.root_day as walk_day
    from edges
    inner join roots
        on
            edges.account_id = roots.account_id
            and edges.trigger_id = roots.trigger_id
            and edges.threshold_value = roots.threshold_value

),

{%- for level in range(max_jump_level, -1, -1) %}

walk_{{ level }} as (

    select
        walk_{{ level + 1 }}.account_id,
        walk_{{ level + 1 }}.trigger_id,
        walk_{{ level + 1 }}.threshold_value,
        walk_{{ level + 1 }}.edge_day,
        case
            when jump_table.jump_{{ level }} <= walk_{{ level + 1 }}.edge_day
                then jump_table.jump_{{ level }}
            else walk_{{ level + 1 }}.walk_day
        end as walk_day
    from walk_{{ level + 1 }}
    inner join jumps_{{ max_jump_level }} as jump_table
        on
            walk_{{ level + 1 }}.account_id = jump_table.account_id
            and walk_{{ level + 1 }}.trigger_id = jump_table.trigger_id
            and walk_{{ level + 1 }}.threshold_value = jump_table.threshold_value
            and walk_{{ level + 1 }}.walk_day = jump_table.edge_day

),
{%- endfor %}

-- noqa: enable=LT02
final as (

    select
        cast(edges.account_id as {{ dbt.type_string() }}) as account_id,
        cast(edges.trigger_id as {{ dbt.type_string() }}) as trigger_id,
        cast(edges.edge_on as date) as fired_on,
        cast(edges.signal_value as decimal(18, 4)) as signal_value,
        cast(edges.threshold_value as decimal(18, 4)) as threshold_value,
        edges.is_current_threshold
    from edges
    inner join walk_0
        on
            edges.account_id = walk_0.account_id
            and edges.trigger_id = walk_0.trigger_id
            and edges.threshold_value = walk_0.threshold_value
            and edges.edge_day = walk_0.edge_day
    where walk_0.walk_day = walk_0.edge_day

)

select * from final
