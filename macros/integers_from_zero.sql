{#
    The integers 0 .. count - 1 as one column `n`, from a cross join of
    decimal digits: a portable row generator (no generate_series, no range)
    for date spines. Use it as a subquery:
    `select n as month_index from ({{ integers_from_zero(1000) }}) as integers`.
#}
{% macro integers_from_zero(count) -%}
    {%- set places = [1, (count - 1) | string | length] | max -%}
    select n
    from (
        select
            {% for place in range(places) -%}
                place_{{ place }}.digit * {{ 10 ** place }}{{ " + " if not loop.last }}
            {%- endfor %} as n
        from
        {%- for place in range(places) %}
            {{ "cross join " if not loop.first }}(
                select 0 as digit
                {%- for digit in range(1, 10) %}
                union all select {{ digit }}
                {%- endfor %}
            ) as place_{{ place }}
        {%- endfor %}
    ) as digits_combined
    where n < {{ count }}
{%- endmacro %}
