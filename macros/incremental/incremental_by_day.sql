{#
    How an incremental daily model replaces the days of its output window
    (macro incremental_output_window), per engine; used in its config:

        {{
            config(
                materialized='incremental',
                incremental_strategy=incremental_strategy_by_day(),
                unique_key=['account_id', 'usage_date'],
                partition_by=incremental_partition_by_day('usage_date'),
                on_schema_change='fail',
            )
        }}

    DuckDB (and any engine with delete+insert): delete the rows whose
    unique_key the new rows carry, then insert; no partitions.
    Spark (Parquet tables: no merge): the table is partitioned by the date
    column and the new rows overwrite their days' partitions whole
    (dbt-spark sets partitionOverwriteMode=dynamic); unique_key is unused.
    Both replace exactly the days the window rebuilt, since every model's
    unique_key covers whole days of output.
#}
{% macro incremental_strategy_by_day() -%}
    {{ return(adapter.dispatch('incremental_strategy_by_day', 'expansion')()) }}
{%- endmacro %}

{% macro default__incremental_strategy_by_day() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__incremental_strategy_by_day() -%}
    {{ return('insert_overwrite') }}
{%- endmacro %}

{% macro incremental_partition_by_day(date_column) -%}
    {{ return(adapter.dispatch('incremental_partition_by_day', 'expansion')(date_column)) }}
{%- endmacro %}

{% macro default__incremental_partition_by_day(date_column) -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__incremental_partition_by_day(date_column) -%}
    {{ return([date_column]) }}
{%- endmacro %}
