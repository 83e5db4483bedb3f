{#
    dbt.datediff on Spark, overriding dbt-spark's (dbt_project.yml
    `dispatch`: this project is searched first for the `dbt` namespace), so
    that day differences are the same on every engine:
    - bigint, as on DuckDB and Postgres (Spark's datediff is an int, and a
      contract declared bigint fails on it);
    - null when a date is null (dbt-spark's raises an error instead).
    Other dateparts: dbt-spark's expression, cast to bigint.
#}
{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- if datepart == 'day' -%}
        cast(datediff({{ second_date }}, {{ first_date }}) as bigint)
    {%- else -%}
        cast({{ dbt.spark__datediff(first_date, second_date, datepart) }} as bigint)
    {%- endif -%}
{%- endmacro %}
