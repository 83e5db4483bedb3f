{#
    For a rolling count of distinct items used in the last `window_days`
    days, kept as +1 / -1 deltas: the day an item used on `use_day` leaves
    the window - its next use, if that comes sooner (the interval then
    continues from there), else `use_day` + `window_days`. Day numbers are
    integers.
#}
{% macro window_exit_day(use_day, next_use_day, window_days) -%}
    case
        when
            {{ next_use_day }} is not null
            and {{ next_use_day }} < {{ use_day }} + {{ window_days }}
            then {{ next_use_day }}
        else {{ use_day }} + {{ window_days }}
    end
{%- endmacro %}
