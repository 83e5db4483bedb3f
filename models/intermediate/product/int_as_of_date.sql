{#-
    Only this file reads EXPANSION_AS_OF_DATE (empty: not set), so a night
    with another date makes dbt's partial parsing re-parse this one file,
    where a changed var re-parses the whole project.
-#}
{{ config(materialized='table') }}

{%- set pinned = var('as_of_date', none) -%}
{%- if pinned is none or pinned | string | trim == '' -%}
    {%- set pinned = env_var('EXPANSION_AS_OF_DATE', '') -%}
{%- endif -%}
{%- if pinned | string | trim != '' -%}
    {%- set as_of_expression = as_of_date_literal(pinned) -%}
{%- else -%}
    {%- set as_of_expression = 'latest_usage.latest_usage_date' -%}
{%- endif %}

with

usage_daily as (

    select * from {{ ref('stg_product__usage_daily') }}

),

latest_usage as (

    select max(usage_daily.usage_date) as latest_usage_date
    from usage_daily

),

final as (

    select {{ as_of_expression }} as as_of_date
    from latest_usage

)

select * from final
