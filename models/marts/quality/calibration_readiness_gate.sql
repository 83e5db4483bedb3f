{#-
    One row per segment (plus 'All'): how the expansion readiness gate is
    calibrated on the as-of date (SPEC 8), read by the Great Expectations
    calibration suite (data_quality/calibration_suite.py).

    - Pass rate: of the active accounts (dim_accounts.is_active, segment on the
      as-of date), the share whose gate passed that day (readiness_gate_daily;
      an active account without a gate row that day did not pass), and the
      criterion that failed for the most of them.
    - Recall: of the N most recently expanded accounts (N =
      calibration_bounds.sample_size of readiness_gate_recall), the share whose
      gate passed on the day before the expansion. An expansion is an
      arr_movements month with movement 'expansion'; its day is the first start
      of a subscription line in that month (else the month end), and an
      account counts once, with its latest expansion on or before the as-of
      date. Segment: arr_movements' (the account's segment at the start of
      that month). No gate row on the day before = not passed.
-#}
{%- set criteria = [
    'days_since_onboarding',
    'core_features_adopted',
    'departments',
    'health_score',
    'active_user_seat_ratio',
    'ticket_trend',
    'nps',
    'exec_sponsor',
] %}

with

accounts as (

    select * from {{ ref('dim_accounts') }}

),

gate as (

    select * from {{ ref('readiness_gate_daily') }}

),

movements as (

    select * from {{ ref('arr_movements') }}

),

lines as (

    select * from {{ ref('int_subscription_lines_usd') }}

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

    select cast(sample_size as int) as sample_size
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

    select
        *,
        segment as scope
    from active_accounts_evaluated
    union all
    select
        *,
        'All' as scope
    from active_accounts_evaluated

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

expansion_months as (

    select
        movements.account_id,
        movements.segment,
        movements.previous_month_end_date,
        movements.month_end_date
    from movements
    cross join as_of
    where
        movements.movement = 'expansion'
        and movements.month_end_date <= as_of.as_of_date

),

expansion_days as (

    select
        expansion_months.account_id,
        expansion_months.segment,
        coalesce(min(lines.start_date), expansion_months.month_end_date) as expansion_date
    from expansion_months
    left join lines
        on
            expansion_months.account_id = lines.account_id
            and expansion_months.previous_month_end_date < lines.start_date
            and expansion_months.month_end_date >= lines.start_date
    group by
        expansion_months.account_id,
        expansion_months.segment,
        expansion_months.month_end_date

),

latest_expansions as (

    select
        account_id,
        segment,
        expansion_date,
        row_number() over (
            partition by account_id order by expansion_date desc
        ) as expansion_recency
    from expansion_days

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

    select
        account_id,
        segment as scope,
        expansion_date,
        day_before_expansion
    from latest_expansion_per_account
    union all
    select
        account_id,
        'All' as scope,
        expansion_date,
        day_before_expansion
    from latest_expansion_per_account

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

final as (

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
            as recall_most_failed_criterion_accounts
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

)

select * from final
