{#
    `union all` of event streams that each set some of the same measures: every
    part selects the key columns and the measures it sets; every other measure
    is padded (0, a typed zero, null), so all parts have one column order. A part
    is a dict: `from` (a CTE), `set` (measure -> expression), optionally `keys`
    (key column -> expression, where it is not the column itself) and `where`.
#}
{% macro padded_union(keys, measures, parts) -%}
{%- for part in parts %}
    select
        {%- for key in keys %}
        {%- set expression = part.get('keys', {}).get(key, key) %}
        {{ expression }}{% if expression != key %} as {{ key }}{% endif %},
        {%- endfor %}
        {%- for measure, padding in measures.items() %}
        {%- set value = part['set'].get(measure, padding) %}
        {{ value }}{% if value != measure %} as {{ measure }}{% endif %}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ part['from'] }}
    {%- if part.get('where') %}
    where {{ part['where'] }}
    {%- endif %}
    {{- '\n\n    union all\n' if not loop.last }}
{%- endfor %}
{%- endmacro %}
