{#
    The rows a data test reads (dbt calls this macro for every generic test).

    dbt's own version applies the test's `where` config. This one also keeps
    a nightly build's tests on the large history tables to the rows the
    night wrote: a model that declares `meta: {recent_rows_date_column: <column>}`
    is tested over the rows dated within `large_model_test_days` (var,
    default 7) of its latest date - older days were tested the nights they
    were written, and re-reading the whole history on every build is what
    makes tests scale with history instead of with the night. With the var
    set to null every row is tested (CI: tests/dbt/test_dbt_build.py).

    Portable: a scalar subquery over the tested relation and dbt.dateadd;
    the relation is aliased (Spark would read a bare `t where (c)` as the
    alias `where` with a column list).
#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- set date_column = recent_rows_date_column() -%}
    {%- set look_back_days = var('large_model_test_days', none) -%}
    {%- if date_column and look_back_days is not none -%}
        {%- do conditions.append(
            date_column ~ ' > (select '
            ~ dbt.dateadd('day', -1 * (look_back_days | int), 'max(' ~ date_column ~ ')')
            ~ ' from ' ~ relation ~ ')'
        ) -%}
    {%- endif -%}
    {%- if conditions -%}
        {#- the alias: without one Spark reads `where (...)` as an alias and its column list -#}
        {%- do return('(select * from ' ~ relation ~ ' as tested_rows where ' ~ conditions | join(' and ') ~ ') dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}


{#- The tested model's `meta.recent_rows_date_column`, or none (a test on several
    models, a seed, a source). -#}
{% macro recent_rows_date_column() -%}
    {%- set node = tested_node() -%}
    {%- do return(node.config.meta.get('recent_rows_date_column') if node else none) -%}
{%- endmacro %}


{#- The graph node of the model or seed the generic test being compiled is
    attached to, or none (a test on several models, or at parse time). -#}
{% macro tested_node() -%}
    {%- set attached = model.get('attached_node') if model is mapping else none -%}
    {%- if not execute or not attached or attached not in graph.nodes -%}
        {%- do return(none) -%}
    {%- endif -%}
    {%- do return(graph.nodes[attached]) -%}
{%- endmacro %}
