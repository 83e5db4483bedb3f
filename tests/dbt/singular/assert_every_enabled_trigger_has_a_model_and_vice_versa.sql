{#-
    The trigger library is consistent: every enabled row of trigger_registry
    has a model trg_<trigger_id> in models/intermediate/triggers, every such
    model has a registry row, and int_trigger_signals declares a
    `-- depends_on` line for every trigger model (else dbt could not take its
    ref). One row per problem.
-#}
-- depends_on: {{ ref('int_trigger_signals') }}
{%- set model_ids = [] -%}
{%- set missing_dependencies = [] -%}
{%- if execute -%}
    {%- set evaluations = graph.nodes.values() | selectattr('name', 'equalto', 'int_trigger_signals') | first -%}
    {%- for node in trigger_model_nodes() -%}
        {%- do model_ids.append(trigger_id_of(node.name)) -%}
        {%- if node.unique_id not in evaluations.depends_on.nodes -%}
            {%- do missing_dependencies.append(trigger_id_of(node.name)) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif %}

with

registry as (

    select * from {{ ref('trigger_registry') }}

),

trigger_models as (

    {%- if model_ids | length == 0 %}
    select cast(null as {{ dbt.type_string() }}) as trigger_id
    where 1 = 0
    {%- else -%}
    {%- for trigger_id in model_ids %}
    select cast('{{ trigger_id }}' as {{ dbt.type_string() }}) as trigger_id
    {% if not loop.last %}union all{% endif %}
    {%- endfor -%}
    {%- endif %}

),

problems as (

    select
        registry.trigger_id,
        'enabled in trigger_registry but has no model trg_<trigger_id>' as problem
    from registry
    left join trigger_models
        on registry.trigger_id = trigger_models.trigger_id
    where registry.is_enabled and trigger_models.trigger_id is null

    union all

    select
        trigger_models.trigger_id,
        'has a model but no row in trigger_registry' as problem
    from trigger_models
    left join registry
        on trigger_models.trigger_id = registry.trigger_id
    where registry.trigger_id is null

    {%- for trigger_id in missing_dependencies %}

    union all

    select
        '{{ trigger_id }}' as trigger_id,
        'int_trigger_signals lacks the line -- depends_on: {{ "{{" }} ref(''trg_{{ trigger_id }}'') {{ "}}" }}' as problem
    {%- endfor %}

)

select * from problems
