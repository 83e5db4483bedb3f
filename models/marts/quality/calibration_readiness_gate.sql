{#-
    Read by the Great Expectations calibration suite
    (data_quality/calibration_suite.py).

    - Pass rate: of the active accounts (account_profiles.is_active, segment on the
      as-of date), the share whose gate passed that day (readiness_gate_daily;
      an active account without a gate row that day did not pass), and the
      criterion that failed for the most of them.
    - Recall: of the N most recently expanded accounts (N =
      calibration_bounds.sample_size of readiness_gate_recall), the share whose
      gate passed on the day before the expansion. An expansion is a row of
      int_account_expansions (the project's one definition of "expanded": a
      motion that counts, not a renewal price escalator; or a won expansion
      opportunity); an account counts once, with its latest expansion on or
      before the as-of date, in its segment then. No gate row on the day
      before = not passed.
    - What to change, the way the trigger sweep suggests thresholds: per
      segment, the criterion that stopped the most of those expanders, its
      setting in readiness_gate_criteria, and the value at which recall would
      have reached the bound (calibration_bounds.readiness_gate_recall
      warn_min). Each sampled expander that failed only that criterion
      would pass at the threshold its own value the day before clears
      (rounded to the criterion's step: a whole number, 0.01 for the seat
      ratio); the suggestion is the least relaxation that lets enough of them
      through, and recall_at_suggested_value the recall there.
      recall_suggestion_basis says which case it is: criterion_sweep,
      recall_at_target (nothing to change), other_criteria_also_block
      (relaxing this criterion alone cannot reach the bound: the value that
      lets through all it can, and the recall there), not_a_threshold (ticket
      trend or exec sponsor: the recall without the criterion), per_segment
      (the 'All' row: each segment has its own thresholds) or no_data.
-#}
{%- set criteria = readiness_gate_criteria().keys() | list %}
{#- criterion: (value on the gate row, setting in readiness_gate_criteria,
    comparison, step of the suggested value); ticket_trend and exec_sponsor
    are not thresholds #}
{%- set thresholds = {} %}
{%- for criterion, definition in readiness_gate_criteria().items() if definition.setting %}
    {%- do thresholds.update({criterion: (
        definition.value, definition.setting, definition.comparison, definition.step
    )}) %}
{%- endfor %}

with

accounts as (

    select * from {{ ref('account_profiles') }}

),

gate as (

    select * from {{ ref('readiness_gate_daily') }}

),

expansions as (

    select * from {{ ref('int_account_expansions') }}

),

gate_criteria as (

    select * from {{ ref('readiness_gate_criteria') }}

),

bounds as (

    select * from {{ ref('calibration_bounds') }}

),

segment_bands as (

    select * from {{ ref('segment_arr_bands') }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

recall_settings as (

    select
        cast(sample_size as int) as sample_size,
        cast(warn_min as decimal(10, 4)) as recall_target
    from bounds
    where metric = 'readiness_gate_recall'

),

scopes as (

    select segment
    from segment_bands
    union all
    select 'All' as segment

),

-- pass rate on the as-of date -------------------------------------------

active_accounts_evaluated as (

    select
        accounts.account_id,
        accounts.segment,
        {%- for criterion in criteria %}
            coalesce(gate.passes_{{ criterion }}, false) as passes_{{ criterion }},
        {%- endfor %}
        coalesce(gate.is_gate_passed, false) as is_gate_passed
    from accounts
    cross join as_of
    left join gate
        on
            accounts.account_id = gate.account_id
            and as_of.as_of_date = gate.as_of_date
    where accounts.is_active

),

active_scoped as (

    {{ segment_and_all_scopes('active_accounts_evaluated') }}

),

pass_rates as (

    select
        scope,
        count(*) as active_accounts,
        sum(case when is_gate_passed then 1 else 0 end) as gate_passed_accounts
    from active_scoped
    group by scope

),

active_most_failed as (

    {{ ranked_criterion_failures('active_scoped', criteria) }}

),

-- recall over the most recently expanded accounts -----------------------

latest_expansions as (

    select
        expansions.account_id,
        coalesce(expansions.segment, 'Unknown') as segment,
        expansions.expansion_date,
        row_number() over (
            partition by expansions.account_id
            order by expansions.expansion_date desc, expansions.expansion_source asc
        ) as expansion_recency
    from expansions
    cross join as_of
    where expansions.expansion_date <= as_of.as_of_date

),

latest_expansion_per_account as (

    select
        account_id,
        segment,
        expansion_date,
        cast({{ dbt.dateadd('day', -1, 'expansion_date') }} as date) as day_before_expansion
    from latest_expansions
    where expansion_recency = 1

),

expansions_scoped as (

    {{ segment_and_all_scopes('latest_expansion_per_account') }}

),

expansions_ranked as (

    select
        expansions_scoped.*,
        row_number() over (
            partition by expansions_scoped.scope
            order by expansions_scoped.expansion_date desc, expansions_scoped.account_id asc
        ) as recency_rank
    from expansions_scoped

),

recall_sample as (

    select
        expansions_ranked.scope,
        expansions_ranked.account_id,
        expansions_ranked.expansion_date,
        {%- for criterion in criteria %}
            coalesce(gate.passes_{{ criterion }}, false) as passes_{{ criterion }},
        {%- endfor %}
        {%- for criterion, (value, setting, comparison, step) in thresholds.items() %}
            gate.{{ value }} as {{ criterion }}_value,
        {%- endfor %}
        coalesce(gate.is_gate_passed, false) as passed_before_expansion
    from expansions_ranked
    cross join recall_settings
    left join gate
        on
            expansions_ranked.account_id = gate.account_id
            and expansions_ranked.day_before_expansion = gate.as_of_date
    where expansions_ranked.recency_rank <= recall_settings.sample_size

),

recalls as (

    select
        scope,
        count(*) as expanded_accounts_sampled,
        sum(case when passed_before_expansion then 1 else 0 end)
            as passed_before_expansion_accounts,
        min(expansion_date) as sample_first_expansion_date,
        max(expansion_date) as sample_last_expansion_date
    from recall_sample
    group by scope

),

recall_most_failed as (

    {{ ranked_criterion_failures('recall_sample', criteria) }}

),

-- each sampled expander stopped by one criterion alone, per criterion, with
-- the threshold its value the day before would have cleared (null for the
-- criteria that are no threshold)
-- noqa: disable=LT02
relaxations as (
    {%- for criterion in criteria %}
    {%- set others = criteria | reject('equalto', criterion) | list %}

    select
        scope,
        account_id,
        '{{ criterion }}' as criterion,
        {%- if criterion in thresholds %}
        {%- set value, setting, comparison, step = thresholds[criterion] %}
        {%- if comparison == 'at_least' %}
        cast(floor({{ criterion }}_value / {{ step }}) * {{ step }} as {{ type_decimal() }})
        {%- else %}
        cast((ceiling({{ criterion }}_value / {{ step }}) - 1) * {{ step }} as {{ type_decimal() }})
        {%- endif %} as relaxed_threshold_value
        {%- else %}
        cast(null as {{ type_decimal() }}) as relaxed_threshold_value
        {%- endif %}
    from recall_sample
    where
        not passes_{{ criterion }}
        {%- for other in others %}
        and passes_{{ other }}
        {%- endfor %}
        {%- if criterion in thresholds %}
        and {{ criterion }}_value is not null
        {%- endif %}
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

recall_blockers as (

    select
        recall_most_failed.scope,
        recall_most_failed.criterion,
        gate_criteria.segment as criteria_segment,
        case recall_most_failed.criterion
            {%- for criterion, (value, setting, comparison, step) in thresholds.items() %}
            when '{{ criterion }}' then '{{ setting }}'
            {%- endfor %}
        end as criterion_setting,
        case recall_most_failed.criterion
            {%- for criterion, (value, setting, comparison, step) in thresholds.items() %}
            when '{{ criterion }}' then cast(gate_criteria.{{ setting }} as {{ type_decimal() }})
            {%- endfor %}
        end as criterion_threshold_value
    from recall_most_failed
    left join gate_criteria
        on recall_most_failed.scope = gate_criteria.segment
    where recall_most_failed.failure_rank = 1

),

-- noqa: enable=LT02

blocker_relaxations as (

    select
        recall_blockers.scope,
        relaxations.relaxed_threshold_value,
        row_number() over (
            partition by recall_blockers.scope
            order by relaxations.relaxed_threshold_value desc
        ) as relaxation_rank,
        count(*) over (partition by recall_blockers.scope) as relaxable_accounts
    from recall_blockers
    inner join relaxations
        on
            recall_blockers.scope = relaxations.scope
            and recall_blockers.criterion = relaxations.criterion

),

recall_needs as (

    -- how many more sampled expanders must pass to reach the target
    select
        recalls.scope,
        recalls.expanded_accounts_sampled,
        recalls.passed_before_expansion_accounts,
        cast(
            ceiling(recall_settings.recall_target * recalls.expanded_accounts_sampled)
            as int
        ) - recalls.passed_before_expansion_accounts as accounts_needed,
        coalesce(max(blocker_relaxations.relaxable_accounts), 0) as relaxable_accounts
    from recalls
    cross join recall_settings
    left join blocker_relaxations
        on recalls.scope = blocker_relaxations.scope
    group by
        recalls.scope,
        recalls.expanded_accounts_sampled,
        recalls.passed_before_expansion_accounts,
        recall_settings.recall_target

),

suggested_relaxations as (

    -- the least relaxation that lets enough through, else all it can
    select
        recall_needs.scope,
        min(blocker_relaxations.relaxed_threshold_value) as suggested_threshold_value
    from recall_needs
    inner join blocker_relaxations
        on recall_needs.scope = blocker_relaxations.scope
    where
        blocker_relaxations.relaxation_rank <= recall_needs.accounts_needed
        or recall_needs.accounts_needed > recall_needs.relaxable_accounts
    group by recall_needs.scope

),

passing_at_suggestion as (

    select
        suggested_relaxations.scope,
        count(*) as relaxed_accounts_passing
    from suggested_relaxations
    inner join blocker_relaxations
        on
            suggested_relaxations.scope = blocker_relaxations.scope
            and suggested_relaxations.suggested_threshold_value
            <= blocker_relaxations.relaxed_threshold_value
    group by suggested_relaxations.scope

),

recall_suggestions as (

    select
        recall_needs.scope,
        recall_blockers.criterion_setting,
        recall_blockers.criterion_threshold_value,
        case
            when recall_needs.expanded_accounts_sampled = 0 then 'no_data'
            when recall_needs.scope = 'All' then 'per_segment'
            when recall_needs.accounts_needed <= 0 then 'recall_at_target'
            when recall_blockers.criterion_setting is null then 'not_a_threshold'
            when recall_needs.accounts_needed > recall_needs.relaxable_accounts
                then 'other_criteria_also_block'
            else 'criterion_sweep'
        end as recall_suggestion_basis,
        suggested_relaxations.suggested_threshold_value,
        recall_needs.passed_before_expansion_accounts,
        recall_needs.expanded_accounts_sampled,
        recall_needs.relaxable_accounts,
        coalesce(passing_at_suggestion.relaxed_accounts_passing, 0) as relaxed_accounts_passing
    from recall_needs
    left join recall_blockers
        on recall_needs.scope = recall_blockers.scope
    left join suggested_relaxations
        on recall_needs.scope = suggested_relaxations.scope
    left join passing_at_suggestion
        on recall_needs.scope = passing_at_suggestion.scope

),

recall_suggestions_valued as (

    select
        scope,
        recall_suggestion_basis,
        case when scope <> 'All' then criterion_setting end as criterion_setting,
        criterion_threshold_value,
        case
            when recall_suggestion_basis in ('criterion_sweep', 'other_criteria_also_block')
                then suggested_threshold_value
        end as suggested_threshold_value,
        cast(
            cast(
                passed_before_expansion_accounts
                + case recall_suggestion_basis
                    when 'criterion_sweep' then relaxed_accounts_passing
                    when 'other_criteria_also_block' then relaxed_accounts_passing
                    when 'not_a_threshold' then relaxable_accounts
                    else 0
                end
                as decimal(18, 6)
            )
            / nullif(expanded_accounts_sampled, 0)
            as decimal(10, 4)
        ) as recall_at_suggested_value
    from recall_suggestions
    where scope <> 'All'

),

gate_rates as (

    select
        as_of.as_of_date,
        cast(scopes.segment as {{ dbt.type_string() }}) as segment,
        cast(coalesce(pass_rates.active_accounts, 0) as {{ dbt.type_bigint() }})
            as active_accounts,
        cast(coalesce(pass_rates.gate_passed_accounts, 0) as {{ dbt.type_bigint() }})
            as gate_passed_accounts,
        cast(
            cast(pass_rates.gate_passed_accounts as decimal(18, 6))
            / nullif(pass_rates.active_accounts, 0)
            as decimal(10, 4)
        ) as gate_pass_rate,
        cast(active_most_failed.criterion as {{ dbt.type_string() }})
            as most_failed_criterion,
        cast(active_most_failed.failed_accounts as {{ dbt.type_bigint() }})
            as most_failed_criterion_accounts,
        recall_settings.sample_size as recall_sample_size,
        cast(coalesce(recalls.expanded_accounts_sampled, 0) as {{ dbt.type_bigint() }})
            as expanded_accounts_sampled,
        cast(coalesce(recalls.passed_before_expansion_accounts, 0) as {{ dbt.type_bigint() }})
            as passed_before_expansion_accounts,
        cast(
            cast(recalls.passed_before_expansion_accounts as decimal(18, 6))
            / nullif(recalls.expanded_accounts_sampled, 0)
            as decimal(10, 4)
        ) as gate_recall,
        recalls.sample_first_expansion_date,
        recalls.sample_last_expansion_date,
        cast(recall_most_failed.criterion as {{ dbt.type_string() }})
            as recall_most_failed_criterion,
        cast(recall_most_failed.failed_accounts as {{ dbt.type_bigint() }})
            as recall_most_failed_criterion_accounts,
        recall_settings.recall_target,
        cast(recall_suggestions_valued.criterion_setting as {{ dbt.type_string() }})
            as recall_criterion_setting,
        recall_suggestions_valued.criterion_threshold_value as recall_criterion_threshold_value,
        recall_suggestions_valued.suggested_threshold_value as recall_suggested_threshold_value,
        recall_suggestions_valued.recall_at_suggested_value,
        cast(
            case
                when scopes.segment = 'All' and coalesce(recalls.expanded_accounts_sampled, 0) > 0
                    then 'per_segment'
                else coalesce(recall_suggestions_valued.recall_suggestion_basis, 'no_data')
            end as {{ dbt.type_string() }}
        ) as recall_suggestion_basis
    from scopes
    cross join as_of
    cross join recall_settings
    left join pass_rates
        on scopes.segment = pass_rates.scope
    left join active_most_failed
        on
            scopes.segment = active_most_failed.scope
            and active_most_failed.failure_rank = 1
    left join recalls
        on scopes.segment = recalls.scope
    left join recall_most_failed
        on
            scopes.segment = recall_most_failed.scope
            and recall_most_failed.failure_rank = 1
    left join recall_suggestions_valued
        on scopes.segment = recall_suggestions_valued.scope

),

final as (

    select
        gate_rates.*,
        {{ band_positions('gate_rates.gate_pass_rate', 'pass_rate_bounds', 'gate_pass_rate') }},
        {{ band_positions('gate_rates.gate_recall', 'recall_bounds', 'gate_recall') }}
    from gate_rates
    left join bounds as pass_rate_bounds
        on pass_rate_bounds.metric = 'readiness_gate_pass_rate'
    left join bounds as recall_bounds
        on recall_bounds.metric = 'readiness_gate_recall'

)

select * from final
