{#
    The firings among rising edges under a greedy cooldown, set-based, as
    CTEs that end with `walk_0` (followed by a comma): an edge fires when it
    lands at least cooldown_days after the previous *firing* of the same
    trigger, at the same threshold, on the same account. `edges` names a CTE
    with account_id, trigger_id, threshold_value, edge_day (a day number)
    and cooldown_days; only edges that may fire belong in it (a night that
    carries a firing from an earlier night leaves out the edges inside its
    cooldown). An edge is a firing when walk_0.walk_day = walk_0.edge_day.

    "Fire unless the previous firing is less than cooldown_days ago" is a
    greedy chain (an edge suppressed by the cooldown does not start a
    cooldown of its own), so it cannot be read off the previous edge. Each
    edge points to the next edge at least cooldown_days later (`jumps_0`);
    the firings are exactly the chain root, next(root), next(next(root)),
    ... where the root is the first edge. Membership in the chain is decided
    by binary lifting: jump tables next^(2^k) for k = 0..max_jump_level
    (each one self-join of the edges), then for each edge start at the root
    and take every jump that does not overshoot the edge; the edge is a
    firing when that walk lands on it. Every step is a join over edges (a
    few per account and trigger), no recursion. Covers chains of up to
    2^(max_jump_level + 1) - 1 firings per account and trigger (2,047).
#}
{% macro greedy_cooldown_ctes(edges, max_jump_level=10) -%}
jumps_0 as (

    select
        {{ edges }}.account_id,
        {{ edges }}.trigger_id,
        {{ edges }}.threshold_value,
        {{ edges }}.edge_day,
        min(later.edge_day) as jump_0
    from {{ edges }}
    left join {{ edges }} as later
        on
            {{ edges }}.account_id = later.account_id
            and {{ edges }}.trigger_id = later.trigger_id
            and {{ edges }}.threshold_value = later.threshold_value
            and later.edge_day >= {{ edges }}.edge_day + {{ edges }}.cooldown_days
    group by
        {{ edges }}.account_id,
        {{ edges }}.trigger_id,
        {{ edges }}.threshold_value,
        {{ edges }}.edge_day

),
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
    from {{ edges }}
    group by
        account_id,
        trigger_id,
        threshold_value

),

walk_{{ max_jump_level + 1 }} as (

    select
        {{ edges }}.account_id,
        {{ edges }}.trigger_id,
        {{ edges }}.threshold_value,
        {{ edges }}.edge_day,
        roots.root_day as walk_day
    from {{ edges }}
    inner join roots
        on
            {{ edges }}.account_id = roots.account_id
            and {{ edges }}.trigger_id = roots.trigger_id
            and {{ edges }}.threshold_value = roots.threshold_value

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
{%- endmacro %}
