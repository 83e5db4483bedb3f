{#
    Part `part_number` (1-based; any SQL expression, a column too) of
    `string_text` split on `delimiter_text`; '' past the last part.
    dbt.split_part takes a literal part number only (its DuckDB and Spark
    versions compute with it in Jinja). Spark's split reads the delimiter as
    a regular expression: pass one that is no metacharacter (';').
#}
{% macro split_part_at(string_text, delimiter_text, part_number) -%}
    {{ return(adapter.dispatch('split_part_at')(string_text, delimiter_text, part_number)) }}
{%- endmacro %}

{% macro default__split_part_at(string_text, delimiter_text, part_number) -%}
    split_part({{ string_text }}, {{ delimiter_text }}, {{ part_number }})
{%- endmacro %}

{% macro spark__split_part_at(string_text, delimiter_text, part_number) -%}
    coalesce(try_element_at(split({{ string_text }}, {{ delimiter_text }}), {{ part_number }}), '')
{%- endmacro %}
