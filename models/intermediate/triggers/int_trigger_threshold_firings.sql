{#-
    A candidate's firings are computed here, whole, each night: the first
    day of a run of consecutive evaluation days (a rising edge) that lands
    at least cooldown_days after the previous firing of the same trigger, at
    the same threshold, on the same account (macro greedy_cooldown_firings).
    A candidate is evaluated over a window of fixed length that moves with
    the as-of date (macro trigger_thresholds), so its chain starts afresh
    each night and costs the window, not the history.
-#}
{{ config(materialized='table') }}

with

current_days as (

    select * from {{ ref('int_trigger_current_days') }}

),

evaluations as (

    select * from {{ ref('int_trigger_evaluations') }}
    where not is_current_threshold

),

cooldowns as (

    {{ trigger_cooldowns() }}

),

numbered_days as (

    select
        account_id,
        trigger_id,
        evaluated_on,
        signal_value,
        threshold_value,
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
        cooldowns.cooldown_days
    from previous_days
    inner join cooldowns
        on previous_days.trigger_id = cooldowns.trigger_id
    where {{ is_rising_edge('previous_days.day_number', 'previous_days.previous_day_number') }}

),

{{ greedy_cooldown_firings('edges') }}

candidate_firings as (

    select
        edges.account_id,
        edges.trigger_id,
        edges.edge_on as fired_on,
        edges.signal_value,
        edges.threshold_value,
        false as is_current_threshold
    from edges
    inner join cooldown_firings
        on
            edges.account_id = cooldown_firings.account_id
            and edges.trigger_id = cooldown_firings.trigger_id
            and edges.threshold_value = cooldown_firings.threshold_value
            and edges.edge_day = cooldown_firings.edge_day

),

current_firings as (

    select
        account_id,
        trigger_id,
        evaluated_on as fired_on,
        signal_value,
        threshold_value,
        true as is_current_threshold
    from current_days
    where is_firing

),

firings as (

    select * from current_firings

    union all

    select * from candidate_firings

),

final as (

    select
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(trigger_id as {{ dbt.type_string() }}) as trigger_id,
        cast(fired_on as date) as fired_on,
        cast(signal_value as {{ type_decimal() }}) as signal_value,
        cast(threshold_value as {{ type_decimal() }}) as threshold_value,
        is_current_threshold
    from firings

)

select * from final
