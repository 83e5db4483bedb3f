{#
    Day number of a date: whole days since calendar_origin() (dbt.datediff,
    portable). The integer order key of `range between N preceding and
    current row` windows and of day arithmetic without intervals; every
    model counts from the same day, so day numbers of two models compare.
#}
{% macro day_number(date_expression) -%}
    {{ dbt.datediff(calendar_origin(), date_expression, 'day') }}
{%- endmacro %}
