{#
    A trigger's setting from the `trigger_registry` seed, read when the model
    runs, for the places SQL needs a literal (window frames:
    `range between N preceding and current row`). Thresholds are joined from
    the seed at run time instead (see trigger_registry_row), so unit tests
    can override them; windows are compiled in.

    Parse time (execute is false) returns `default`; so does a registry
    without the row, or a warehouse not seeded yet (sqlfluff compiling
    against an empty database). The ref keeps the seed upstream of the model;
    the query reads the seed's table itself (found in `graph`), not the ref,
    because in a unit test the ref is the test's fixture, which run_query
    cannot see.
#}
{% macro trigger_setting(trigger_id, column, default) -%}
    {%- set registry = ref('trigger_registry') -%}
    {%- if not execute -%}
        {{ return(default) }}
    {%- endif -%}
    {%- set seed = namespace(database=target.database, schema=generate_schema_name('seeds', none), identifier='trigger_registry') -%}
    {%- if graph.nodes is defined -%}
        {%- for node in graph.nodes.values() -%}
            {%- if node.resource_type == 'seed' and node.name == 'trigger_registry' -%}
                {%- set seed.database = node.database -%}
                {%- set seed.schema = node.schema -%}
                {%- set seed.identifier = node.alias -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {#- unit tests compile with an empty graph: then the seed's schema is `seeds` -#}
    {%- set relation = adapter.get_relation(database=seed.database, schema=seed.schema, identifier=seed.identifier) -%}
    {%- if relation is none -%}
        {#- not seeded yet (a lint or compile on an empty warehouse) -#}
        {{ return(default) }}
    {%- endif -%}
    {%- set query -%}
        select {{ column }} from {{ relation }} where trigger_id = '{{ trigger_id }}'
    {%- endset -%}
    {%- set result = run_query(query) -%}
    {%- if result is none or (result.rows | length) == 0 or result.rows[0][0] is none -%}
        {{ return(default) }}
    {%- endif -%}
    {{ return(result.rows[0][0] | int) }}
{%- endmacro %}


{#
    The registry row of a trigger as a one-row CTE body: its id, threshold,
    secondary threshold, window and match terms, for a trigger model that
    needs a setting besides its threshold
    (`registry as ({{ trigger_registry_row('contract_milestone') }})`). The
    thresholds a model compares its signal with come from
    trigger_thresholds (the current one and the backtest's sweep).
#}
{% macro trigger_registry_row(trigger_id) -%}
    select
        trigger_id,
        cast(threshold_value as {{ type_decimal() }}) as threshold_value,
        cast(secondary_threshold_value as {{ type_decimal() }}) as secondary_threshold_value,
        window_value,
        match_terms
    from {{ ref('trigger_registry') }}
    where trigger_id = '{{ trigger_id }}'
{%- endmacro %}


{#
    The trigger id of a trigger model: its name without the `trg_` prefix.
#}
{% macro trigger_id_of(model_name) -%}
    {{ return(model_name[4:] if model_name.startswith('trg_') else model_name) }}
{%- endmacro %}


{#
    The ';'-separated match_terms of a trigger's registry row as rows of
    `term` (lower case, blanks dropped), for up to `max_terms` terms - a
    portable split (dbt.split_part), no list functions.
#}
{% macro trigger_match_terms(trigger_id, max_terms=12) -%}
    {%- for part in range(1, max_terms + 1) %}
    select lower(trim({{ dbt.split_part('match_terms', "';'", part) }})) as term
    from {{ ref('trigger_registry') }}
    where trigger_id = '{{ trigger_id }}'
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
