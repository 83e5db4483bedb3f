{#
    Who owns an expansion (SPEC 7), by a trigger's owner_rule
    (seeds.trigger_registry):
      csm                     the CSM (else the AE, else 'unassigned');
      ae                      the AE (else the CSM, else 'unassigned');
      csm_with_ae_escalation  the CSM, plus the AE when the account is
                              escalated (alert_policy: the escalation
                              segment, or ARR above the escalation threshold)
                              - one name when the CSM is also the AE.
    The scorecard's owner, which no trigger decides, is
    csm_with_ae_escalation.
#}
{% macro expansion_owner(owner_rule, csm_owner, ae_owner, is_ae_escalated) -%}
    case
        when {{ owner_rule }} = 'ae'
            then coalesce({{ ae_owner }}, {{ csm_owner }}, 'unassigned')
        when {{ owner_rule }} = 'csm'
            then coalesce({{ csm_owner }}, {{ ae_owner }}, 'unassigned')
        when {{ is_ae_escalated }} and {{ ae_owner }} <> {{ csm_owner }}
            then {{ dbt.concat([csm_owner, "' + '", ae_owner]) }}
        else coalesce({{ csm_owner }}, {{ ae_owner }}, 'unassigned')
    end
{%- endmacro %}
