{#
    True on a day that starts a run of consecutive calendar days in the
    trigger's condition: the series' previous day in the condition is not the
    day before (or there is none). The one rising-edge rule of the trigger
    state (int_trigger_current_days) and of the backtest's threshold
    candidates (int_trigger_threshold_firings).
#}
{% macro is_rising_edge(day_number, previous_day_number) -%}
    coalesce({{ previous_day_number }} < {{ day_number }} - 1, true)
{%- endmacro %}
