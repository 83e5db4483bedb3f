{#-
    is_rising_edge: a day without a signal row does not hold, so a run starts
    again only after a day on which the condition was false. is_firing: a
    rising edge at least cooldown_days after the previous firing (macro
    greedy_cooldown_firings). trigger_firings keeps the firings.

    Incremental (macro incremental_output_window): a night rebuilds the recent
    days (a late file inside that window is picked up) and starts from the
    state before them - whether the condition held on the day before the
    window (int_trigger_evaluations) and each trigger's last firing before it
    (this table) - so it computes only the new days. A change of the registry
    (a threshold, a cooldown, a direction) re-evaluates history: the night
    detects it and rebuilds this model in full (rebuild_reasons in
    orchestration/dbt_invocation.py).
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy=incremental_strategy_by_day(),
        unique_key=['evaluated_on'],
        partition_by=incremental_partition_by_day('evaluated_on'),
        on_schema_change='fail',
    )
}}

with

evaluations as (

    select * from {{ ref('int_trigger_evaluations') }}
    where is_current_threshold

),

cooldowns as (

    {{ trigger_cooldowns() }}

),

output_window as (

    {{ incremental_output_window(
        'evaluated_on', rebuild_days=3, with_as_of=false, read_back_days=1
    ) }}

),

-- the window's days and the day before it, for the rising edge of the first
window_days as (

    select
        evaluations.account_id,
        evaluations.trigger_id,
        evaluations.evaluated_on,
        evaluations.signal_value,
        evaluations.threshold_value,
        {{ day_number('evaluations.evaluated_on') }} as day_number  -- noqa: LT05
    from evaluations
    cross join output_window
    where evaluations.evaluated_on >= output_window.first_read_date

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
            partition by account_id, trigger_id order by day_number
        ) as previous_day_number
    from window_days

),

output_days as (

    select
        previous_days.account_id,
        previous_days.trigger_id,
        previous_days.evaluated_on,
        previous_days.signal_value,
        previous_days.threshold_value,
        previous_days.day_number,
        {{ is_rising_edge(
            'previous_days.day_number', 'previous_days.previous_day_number'
        ) }} as is_rising_edge
    from previous_days
    cross join output_window
    where previous_days.evaluated_on >= output_window.first_output_date

),

-- each trigger's last firing before the window, carried from earlier nights
-- noqa: disable=LT02
earlier_firings as (

    {% if is_incremental() %}

    select
        built.account_id,
        built.trigger_id,
        max({{ day_number('built.evaluated_on') }}) as last_firing_day  -- noqa: LT05
    from {{ this }} as built
    cross join output_window
    where built.is_firing and built.evaluated_on < output_window.first_output_date
    group by
        built.account_id,
        built.trigger_id

    {% else %}

    select
        cast(null as {{ dbt.type_string() }}) as account_id,
        cast(null as {{ dbt.type_string() }}) as trigger_id,
        cast(null as int) as last_firing_day
    where 1 = 0

    {% endif %}

),

-- noqa: enable=LT02

-- the rising edges that may fire: outside the cooldown of an earlier night's firing
edges as (

    select
        output_days.account_id,
        output_days.trigger_id,
        output_days.threshold_value,
        output_days.day_number as edge_day,
        cooldowns.cooldown_days
    from output_days
    inner join cooldowns
        on output_days.trigger_id = cooldowns.trigger_id
    left join earlier_firings
        on
            output_days.account_id = earlier_firings.account_id
            and output_days.trigger_id = earlier_firings.trigger_id
    where
        output_days.is_rising_edge
        and (
            earlier_firings.last_firing_day is null
            or output_days.day_number
            >= earlier_firings.last_firing_day + cooldowns.cooldown_days
        )

),

{{ greedy_cooldown_firings('edges') }}

final as (

    select
        cast(output_days.account_id as {{ dbt.type_string() }}) as account_id,
        cast(output_days.trigger_id as {{ dbt.type_string() }}) as trigger_id,
        cast(output_days.evaluated_on as date) as evaluated_on,
        cast(output_days.signal_value as {{ type_decimal() }}) as signal_value,
        cast(output_days.threshold_value as {{ type_decimal() }}) as threshold_value,
        output_days.is_rising_edge,
        cooldown_firings.edge_day is not null as is_firing
    from output_days
    left join cooldown_firings
        on
            output_days.account_id = cooldown_firings.account_id
            and output_days.trigger_id = cooldown_firings.trigger_id
            and output_days.threshold_value = cooldown_firings.threshold_value
            and output_days.day_number = cooldown_firings.edge_day

)

select * from final
