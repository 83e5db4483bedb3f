{#
    A 64-bit float type. dbt.type_float() is 32-bit on DuckDB and Spark
    (`float`), and bare `double` is not a type on PostgreSQL.
    Ratios are computed in it where engines' decimal division differs:
    DuckDB divides decimals as doubles, Spark keeps a decimal whose scale
    can fall to 6, which rounds before the model's final cast does.
#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'expansion')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    {{ return('double') }}
{%- endmacro %}

{% macro postgres__type_double() -%}
    {{ return('double precision') }}
{%- endmacro %}
