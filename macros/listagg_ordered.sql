{#
    `measure` of a group's rows joined with `delimiter_text`, in the order of
    `order_by` (a list of 'expression' or 'expression desc'; nulls sort
    last, as DuckDB's default); null measures are skipped, and a group with
    none gives null. dbt.listagg ignores its order on Spark (collect_list
    keeps no order), so Spark sorts the collected (keys, measure) structs
    with a comparator. Give a total order (end with a unique key) for the
    same string on every engine.
#}
{% macro listagg_ordered(measure, delimiter_text, order_by) -%}
    {{ return(adapter.dispatch('listagg_ordered', 'expansion')(measure, delimiter_text, order_by)) }}
{%- endmacro %}

{% macro default__listagg_ordered(measure, delimiter_text, order_by) -%}
    {{ dbt.listagg(measure, delimiter_text, 'order by ' ~ (order_by | join(', '))) }}
{%- endmacro %}

{% macro spark__listagg_ordered(measure, delimiter_text, order_by) -%}
    {%- set fields = [] -%}
    {%- set comparisons = [] -%}
    {%- for key in order_by -%}
        {%- set words = key.strip().split(' ') -%}
        {%- set descending = words[-1] | lower == 'desc' -%}
        {%- set expression = (words[:-1] | join(' ')) if descending or words[-1] | lower == 'asc' else key -%}
        {%- set field = 'k' ~ loop.index -%}
        {%- do fields.append("'" ~ field ~ "', " ~ expression) -%}
        {%- do comparisons.append(
            'when l.' ~ field ~ ' is null and r.' ~ field ~ ' is not null then 1'
            ~ ' when l.' ~ field ~ ' is not null and r.' ~ field ~ ' is null then -1'
            ~ ' when l.' ~ field ~ ' < r.' ~ field ~ ' then ' ~ ('1' if descending else '-1')
            ~ ' when l.' ~ field ~ ' > r.' ~ field ~ ' then ' ~ ('-1' if descending else '1')
        ) -%}
    {%- endfor -%}
    case when count({{ measure }}) > 0 then array_join(
        transform(
            array_sort(
                collect_list(named_struct({{ fields | join(', ') }}, 'measure', {{ measure }})),
                (l, r) -> case {{ comparisons | join(' ') }} else 0 end
            ),
            entry -> entry.measure
        ),
        {{ delimiter_text }}
    ) end
{%- endmacro %}
