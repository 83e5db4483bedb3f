{#
    The trigger models of the project: every model in the
    `intermediate/triggers` folder whose name starts with `trg_`, found in
    `graph` at execution time, sorted by name. Parse time returns an empty
    list.
#}
{% macro trigger_model_nodes() -%}
    {%- set found = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values() -%}
            {%- if node.resource_type == 'model' and node.name.startswith('trg_') and 'triggers' in node.fqn[:-1] -%}
                {%- do found.append(node) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found | sort(attribute='name')) }}
{%- endmacro %}


{#
    Union of every trigger model with its trigger id: account_id, trigger_id,
    evaluated_on, signal_value, threshold_value. A trigger model whose id is
    not an enabled row of trigger_registry is left out (the registry is the
    switch); the singular test
    assert_every_enabled_trigger_has_a_model_and_vice_versa catches a model
    without a row and a row without a model.

    Refs are taken at execution time, so dbt must know them at parse time:
    int_trigger_evaluations carries one `-- depends_on` line per trigger
    model, which the same singular test checks.
#}
{% macro union_trigger_models() -%}
    {%- set nodes = trigger_model_nodes() -%}
    {%- if nodes | length == 0 %}
    select
        cast(null as {{ dbt.type_string() }}) as account_id,
        cast(null as {{ dbt.type_string() }}) as trigger_id,
        cast(null as date) as evaluated_on,
        cast(null as decimal(18, 4)) as signal_value,
        cast(null as decimal(18, 4)) as threshold_value
    where 1 = 0
    {%- else -%}
    {%- for node in nodes %}
    select
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast('{{ trigger_id_of(node.name) }}' as {{ dbt.type_string() }}) as trigger_id,
        cast(evaluated_on as date) as evaluated_on,
        cast(signal_value as decimal(18, 4)) as signal_value,
        cast(threshold_value as decimal(18, 4)) as threshold_value
    from {{ ref(node.name) }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
