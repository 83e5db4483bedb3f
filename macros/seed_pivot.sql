{#
    A settings seed with one row per item (a health component, a risk
    suppression) pivoted to one row: for each item and each column,
    `max(case when <key> = '<item>' then <expression> end) as <item>_<suffix>`.
    The select list of a CTE over the seed.
#}
{% macro seed_pivot(key, items, columns) -%}
    {%- for item in items %}
        {%- set item_loop = loop %}
        {%- for suffix, expression in columns.items() %}
        max(case when {{ key }} = '{{ item }}' then {{ expression }} end)
            as {{ item }}_{{ suffix }}{{ ',' if not (item_loop.last and loop.last) }}
        {%- endfor %}
    {%- endfor %}
{%- endmacro %}
