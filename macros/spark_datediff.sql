{#
    dbt.datediff on Spark, overriding dbt-spark's (dbt_project.yml
    `dispatch`: this project is searched first for the `dbt` namespace), so
    that differences are the same on every engine:
    - the number of datepart boundaries crossed, as DuckDB and Postgres count
      (`datediff('hour', 10:30, 11:15)` is 1; dbt-spark's rounds the elapsed
      time up, 2; its month difference is off by one between month ends);
    - bigint, as on DuckDB and Postgres (Spark's datediff is an int, and a
      contract declared bigint fails on it);
    - null when a date is null (dbt-spark's raises an error instead).
    Other dateparts (week, sub-second): dbt-spark's expression, cast to bigint.
#}
{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- set months = {'month': 1, 'quarter': 3, 'year': 12} -%}
    {%- set seconds = {'hour': 3600, 'minute': 60, 'second': 1} -%}
    {%- if datepart == 'day' -%}
        cast(datediff({{ second_date }}, {{ first_date }}) as bigint)
    {%- elif datepart in months -%}
        {%- set unit = months[datepart] -%}
        cast(
            floor((year({{ second_date }}) * 12 + month({{ second_date }}) - 1) / {{ unit }})
            - floor((year({{ first_date }}) * 12 + month({{ first_date }}) - 1) / {{ unit }})
            as bigint
        )
    {%- elif datepart in seconds -%}
        cast(
            (
                unix_seconds(date_trunc('{{ datepart }}', cast({{ second_date }} as timestamp)))
                - unix_seconds(date_trunc('{{ datepart }}', cast({{ first_date }} as timestamp)))
            ) div {{ seconds[datepart] }}
            as bigint
        )
    {%- else -%}
        cast({{ dbt.spark__datediff(first_date, second_date, datepart) }} as bigint)
    {%- endif -%}
{%- endmacro %}
