{#
    The day as-of models are computed for, as a SQL date expression.

    - `--vars '{as_of_date: 2026-11-21}'` gives `cast('2026-11-21' as date)`
      (a direct dbt invocation, the tests and unit tests pin dates this way);
    - otherwise the one row of model int_as_of_date, as a scalar subquery:
      the date the nightly job was given (`expansion refresh --as-of`), else
      the latest usage_date in the data, worked out once per build there.

    Use it once per model, in a one-row CTE that the rest of the model joins
    (`as_of as (select {{ as_of_date() }} as as_of_date)`), not inside join
    conditions: some engines (Spark) reject subqueries there.

    The `ref()` is taken whether or not the var is set, so the lineage (and
    the Dagster asset graph) does not depend on how dbt was invoked.
#}
{% macro as_of_date() -%}
    {%- set as_of_model = ref('int_as_of_date') -%}
    {%- set configured = var('as_of_date', none) -%}
    {%- if configured is not none and configured | string | trim != '' -%}
        {{ as_of_date_literal(configured) }}
    {%- else -%}
        (select as_of_date from {{ as_of_model }})
    {%- endif -%}
{%- endmacro %}


{#- A date written YYYY-MM-DD as `cast('…' as date)`; a compile error names anything else. -#}
{% macro as_of_date_literal(value) -%}
    {%- set value = value | string | trim -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value) -%}
        {{ exceptions.raise_compiler_error(
            "the as-of date must be a date written YYYY-MM-DD, got '" ~ value ~ "'"
        ) }}
    {%- endif -%}
    cast('{{ value }}' as date)
{%- endmacro %}
