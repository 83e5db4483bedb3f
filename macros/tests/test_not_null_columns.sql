{#
    Generic test: no column that declares a `not_null` constraint in the
    model's (or seed's) YAML holds a null: one scan of the tested rows for all
    of them, where a `not_null` test per column is one dbt node and one query
    each. Fails with one row per column that holds nulls: its name and how many.

    The constraint is the declaration; this test is what checks it on every
    engine - the database enforces it only on a contracted table of an engine
    that can (DuckDB, Postgres; not Spark's Parquet tables), and never on a
    view or a seed. A column whose check needs a `where` or a severity of its
    own keeps a column-level `not_null` test instead.
#}
{% test not_null_columns(model) %}
{%- set columns = not_null_constrained_columns() -%}
{%- if execute and not columns -%}
    {{ exceptions.raise_compiler_error(
        'not_null_columns on ' ~ model ~ ': no column of it declares a not_null constraint'
    ) }}
{%- endif %}

with

null_counts as (

    select
        {%- for column in columns %}
        count(*) - count({{ column }}) as null_rows_{{ loop.index }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ model }}

),

constrained_columns as (

    {% for column in columns -%}
    select '{{ column }}' as column_name
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),

columns_with_nulls as (

    select
        constrained_columns.column_name,
        case constrained_columns.column_name
            {%- for column in columns %}
            when '{{ column }}' then null_counts.null_rows_{{ loop.index }}
            {%- endfor %}
        end as null_rows
    from constrained_columns
    cross join null_counts

)

select * from columns_with_nulls
where null_rows > 0
{% endtest %}


{#- The columns of the model (or seed) a generic test is attached to that
    declare a not_null constraint, in YAML order; empty at parse time. -#}
{% macro not_null_constrained_columns() -%}
    {%- set node = tested_node() -%}
    {%- if not node -%}
        {%- do return([]) -%}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for column in node.columns.values() -%}
        {%- if column.constraints | selectattr('type', 'equalto', 'not_null') | list -%}
            {%- do columns.append(column.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do return(columns) -%}
{%- endmacro %}
