{#
    Make every source readable where `source()` points: `raw.<table>`.

    Run on-run-start (dbt_project.yml). On DuckDB there is nothing to do: the
    sources' `external_location` renders `read_parquet('<raw zone>/<table>/*.parquet')`
    in place. On Spark, one view per source over its folder of the raw zone,
    recreated on every run so that it always has the source's current columns;
    Spark lists the folder's files each time the view is read.
#}
{% macro register_raw_zone() -%}
    {{ return(adapter.dispatch('register_raw_zone', 'expansion')()) }}
{%- endmacro %}

{% macro default__register_raw_zone() -%}
{%- endmacro %}

{% macro spark__register_raw_zone() -%}
    {%- if execute -%}
        {%- set raw_zone = env_var('EXPANSION_RAW_DIR', '../data/raw') -%}
        {%- set schemas = [] -%}
        {%- for source in graph.sources.values() -%}
            {%- if source.schema not in schemas -%}
                {%- do run_query('create database if not exists ' ~ source.schema) -%}
                {%- do schemas.append(source.schema) -%}
            {%- endif -%}
            {%- do run_query(
                'create or replace view ' ~ source.schema ~ '.' ~ source.identifier
                ~ ' as select * from parquet.`' ~ raw_zone ~ '/' ~ source.identifier ~ '`'
            ) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
