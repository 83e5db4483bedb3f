{#
    The day as-of models are computed for, as a SQL date expression.

    - `--vars '{as_of_date: 2026-11-21}'` gives `cast('2026-11-21' as date)`;
    - otherwise the latest `usage_date` in the data, as a scalar subquery.

    Use it once per model, in a one-row CTE that the rest of the model joins
    (`as_of as (select {{ as_of_date() }} as as_of_date)`), not inside join
    conditions: some engines (Spark) reject subqueries there.

    The `ref()` is taken whether or not the var is set, so the lineage (and
    the Dagster asset graph) does not depend on how dbt was invoked.
#}
{% macro as_of_date() -%}
    {%- set usage_daily = ref('stg_product__usage_daily') -%}
    {%- set configured = var('as_of_date', none) -%}
    {%- if configured is not none and configured | string | trim != '' -%}
        {%- set configured = configured | string | trim -%}
        {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', configured) -%}
            {{ exceptions.raise_compiler_error(
                "var as_of_date must be a date written YYYY-MM-DD, got '" ~ configured ~ "'"
            ) }}
        {%- endif -%}
        cast('{{ configured }}' as date)
    {%- else -%}
        (select max(usage_date) from {{ usage_daily }})
    {%- endif -%}
{%- endmacro %}
