{#
    The warehouse's one decimal type for amounts, ratios and scores:
    decimal(18, 4), the scale every contract declares. `cast(x as {{ type_decimal() }})`.
#}
{% macro type_decimal() -%}
    decimal(18, 4)
{%- endmacro %}
