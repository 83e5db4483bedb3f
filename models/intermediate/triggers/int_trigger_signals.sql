{#-
    dbt must know a model's refs when it parses the project, before `graph`
    exists, so each trigger model has one `depends_on` line below. The
    singular test assert_every_enabled_trigger_has_a_model_and_vice_versa
    fails when a line, a model or a registry row is missing.
-#}
{{ config(materialized='view') }}

-- depends_on: {{ ref('trg_api_growth') }}
-- depends_on: {{ ref('trg_champion_promoted') }}
-- depends_on: {{ ref('trg_compliance_ask') }}
-- depends_on: {{ ref('trg_contract_milestone') }}
-- depends_on: {{ ref('trg_feature_exploration') }}
-- depends_on: {{ ref('trg_gated_module_request') }}
-- depends_on: {{ ref('trg_headcount_growth') }}
-- depends_on: {{ ref('trg_integration_depth') }}
-- depends_on: {{ ref('trg_multi_team_adoption') }}
-- depends_on: {{ ref('trg_new_department_adoption') }}
-- depends_on: {{ ref('trg_new_use_case') }}
-- depends_on: {{ ref('trg_power_user_emergence') }}
-- depends_on: {{ ref('trg_qbr_unmet_need') }}
-- depends_on: {{ ref('trg_seat_saturation') }}
-- depends_on: {{ ref('trg_sustained_usage_ceiling') }}
-- depends_on: {{ ref('trg_usage_ceiling') }}

with

signals as (

    {{ union_trigger_models() }}

)

select * from signals
