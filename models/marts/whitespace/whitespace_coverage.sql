{#-
    The health threshold is whitespace_settings.health_score_above; coverage is
    null without healthy accounts. The band verdicts are macro band_position's,
    as for every calibration metric.
-#}
{%- set double_type = 'double precision' if target.type == 'postgres' else 'double' %}

with

account_states as (

    select * from {{ ref('int_whitespace_account_states') }}

),

pairs_scored as (

    select * from {{ ref('int_whitespace_pairs_scored') }}

),

evaluation_dates as (

    select * from {{ ref('int_whitespace_evaluation_dates') }}

),

segment_arr_bands as (

    select * from {{ ref('segment_arr_bands') }}

),

bounds as (

    select * from {{ ref('calibration_bounds') }}

),

as_of as (

    select evaluation_date as as_of_date
    from evaluation_dates
    where evaluation_role = 'as_of'

),

accounts_with_opportunity as (

    select distinct
        account_id,
        evaluation_date
    from pairs_scored
    where evaluation_role = 'as_of' and is_cross_sell_opportunity

),

healthy_accounts as (

    select
        account_states.account_id,
        account_states.segment,
        accounts_with_opportunity.account_id is not null as has_opportunity

    from account_states
    left join accounts_with_opportunity
        on
            account_states.account_id = accounts_with_opportunity.account_id
            and account_states.evaluation_date = accounts_with_opportunity.evaluation_date
    where account_states.evaluation_role = 'as_of' and account_states.is_above_health_threshold

),

-- every segment of the bands (a row even without healthy accounts) and of the accounts
segments as (

    select segment
    from segment_arr_bands

    union

    select segment
    from account_states
    where evaluation_role = 'as_of'

    union

    select 'All' as segment

),

healthy_scoped as (

    {{ segment_and_all_scopes('healthy_accounts') }}

),

healthy_per_segment as (

    select
        segments.segment,
        count(healthy_scoped.account_id) as healthy_accounts,
        sum(case when healthy_scoped.has_opportunity then 1 else 0 end)
            as accounts_with_opportunity

    from segments
    left join healthy_scoped
        on segments.segment = healthy_scoped.scope
    group by segments.segment

),

coverage_rates as (

    select
        as_of.as_of_date,
        cast(healthy_per_segment.segment as {{ dbt.type_string() }}) as segment,
        cast(healthy_per_segment.healthy_accounts as integer) as healthy_accounts,
        cast(
            coalesce(healthy_per_segment.accounts_with_opportunity, 0) as integer
        ) as accounts_with_opportunity,
        cast(
            healthy_per_segment.accounts_with_opportunity
            / cast(nullif(healthy_per_segment.healthy_accounts, 0) as {{ double_type }})
            as {{ double_type }}
        ) as coverage

    from healthy_per_segment
    cross join as_of

),

final as (

    select
        coverage_rates.*,
        {{ band_positions('coverage_rates.coverage', 'coverage_bounds', 'coverage') }}
    from coverage_rates
    left join bounds as coverage_bounds
        on coverage_bounds.metric = 'whitespace_coverage'

)

select * from final
