{#
    The days an incremental model (re)builds, as the body of a one-row CTE
    with two dates:

      first_output_date  the latest day already in the model's table
                         ({{ this }}) minus `rebuild_days`, so that a
                         late-arriving file for the last few days is picked
                         up; '1900-01-01' on a full build (every day) and on
                         an incremental build whose table is empty;
      last_output_date   the as-of date ({{ as_of_date() }}), unless
                         `with_as_of=false`: a model that reads only
                         incremental tables already cut at the as-of date
                         (account_health_daily) needs no upper bound, and
                         without it takes no ref to stg_product__usage_daily;
      first_read_date    with `read_back_days`: first_output_date minus
                         that many days, where a model with trailing
                         windows starts reading its inputs so the windows
                         of its first output day are complete.

    Use it once per model and cross join the CTE where the output is
    filtered:

        output_window as (

            {{ incremental_output_window('usage_date', rebuild_days=3) }}

        ),

    The model's config replaces the window's days whole (macros
    incremental_strategy_by_day / incremental_partition_by_day):
    delete+insert on a unique_key that covers whole days of output (the date
    column, alone or with the entity) on DuckDB, insert_overwrite of the
    date's partitions on Spark.

    Portable: max() over the table, dbt.dateadd, no subquery in a join.
#}
{% macro incremental_output_window(date_column, rebuild_days, with_as_of=true, read_back_days=none) -%}
    {%- set one_row_inputs = [] -%}
    {%- if with_as_of -%}
        {%- do one_row_inputs.append('(select ' ~ as_of_date() ~ ' as as_of_date) as as_of') -%}
    {%- endif -%}
    {%- if is_incremental() -%}
        {%- do one_row_inputs.append(
            '(select max(' ~ date_column ~ ') as latest_built_date from ' ~ this ~ ') as latest_built'
        ) -%}
        {%- set first_output_date -%}
            coalesce(
                cast({{ dbt.dateadd('day', -rebuild_days, 'latest_built.latest_built_date') }} as date),
                cast('1900-01-01' as date)
            )
        {%- endset -%}
    {%- else -%}
        {%- set first_output_date = "cast('1900-01-01' as date)" -%}
    {%- endif %}
    select
        {{ first_output_date }} as first_output_date
        {%- if read_back_days is not none %},
        cast({{ dbt.dateadd('day', -read_back_days, first_output_date) }} as date) as first_read_date
        {%- endif %}
        {%- if with_as_of %},
        as_of.as_of_date as last_output_date
        {%- endif %}
    {%- if one_row_inputs %}
    from {{ one_row_inputs | join('\n    cross join ') }}
    {%- endif %}
{%- endmacro %}
