{#
    Generic test: no two rows share the same values in `combination_of_columns`
    (a compound primary key). Returns one row per duplicated key.

    For very large, append-only daily models pass `recent_date_column` and
    `recent_days` to check only the rows dated within `recent_days` days of the
    latest date in the model: older days were checked the night they landed,
    and grouping 100 M rows on every build is the slow part of a test run.
#}
{% test unique_combination_of_columns(model, combination_of_columns, recent_date_column=none, recent_days=none) %}
{%- set key_list = combination_of_columns | join(', ') -%}

with

{% if recent_date_column is not none and recent_days is not none -%}
latest as (

    select max({{ recent_date_column }}) as latest_date
    from {{ model }}

),

window_start as (

    select cast({{ dbt.dateadd('day', -1 * (recent_days | int), 'latest_date') }} as date) as window_start_date
    from latest

),

tested_rows as (

    select {{ key_list }}
    from {{ model }}
    cross join window_start
    where {{ recent_date_column }} > window_start.window_start_date

),
{%- else -%}
tested_rows as (

    select {{ key_list }}
    from {{ model }}

),
{%- endif %}

duplicated_keys as (

    select
        {{ key_list }},
        count(*) as row_count
    from tested_rows
    group by {{ key_list }}
    having count(*) > 1

)

select * from duplicated_keys
{% endtest %}
