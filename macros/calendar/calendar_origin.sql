{#
    The fixed date day and month numbers count from (2000-01-01), as a SQL
    date expression. See day_number.
#}
{% macro calendar_origin() -%}
    cast('2000-01-01' as date)
{%- endmacro %}
