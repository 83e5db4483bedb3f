-- whitespace_coverage's 'All' row adds up its segments, and its
-- accounts_with_opportunity equals the accounts of whitespace_scores with a
-- cross-sell opportunity; coverage is their ratio.
with

coverage as (

    select * from {{ ref('whitespace_coverage') }}

),

scores as (

    select * from {{ ref('whitespace_scores') }}

),

segments_summed as (

    select
        sum(healthy_accounts) as healthy_accounts,
        sum(accounts_with_opportunity) as accounts_with_opportunity
    from coverage
    where segment <> 'All'

),

from_scores as (

    select count(distinct account_id) as accounts_with_opportunity
    from scores
    where is_cross_sell_opportunity

),

broken as (

    select coverage.segment
    from coverage
    cross join segments_summed
    cross join from_scores
    where
        coverage.segment = 'All'
        and (
            coverage.healthy_accounts <> segments_summed.healthy_accounts
            or coverage.accounts_with_opportunity <> segments_summed.accounts_with_opportunity
            or coverage.accounts_with_opportunity <> from_scores.accounts_with_opportunity
        )

    union all

    select segment
    from coverage
    where
        (healthy_accounts = 0 and coverage is not null)
        or (
            healthy_accounts > 0
            and abs(coverage - accounts_with_opportunity * 1.0 / healthy_accounts) > 0.000001
        )

)

select * from broken
