-- The itemised contributions of account_readiness_score_items add up to the
-- two published readiness scores of every account.
with

items as (

    select * from {{ ref('account_readiness_score_items') }}

),

scores as (

    select * from {{ ref('account_readiness_scores') }}

),

item_totals as (

    select
        account_id,
        sum(case when score = 'signal_points' then points_earned else 0 end) as signal_points,
        sum(case when score = 'weighted_readiness' then points_earned else 0 end) as weighted_readiness_score

    from items
    group by account_id

)

select
    scores.account_id,
    scores.signal_points,
    item_totals.signal_points as item_signal_points,
    scores.weighted_readiness_score,
    item_totals.weighted_readiness_score as item_weighted_readiness_score

from scores
left join item_totals
    on scores.account_id = item_totals.account_id
where
    item_totals.account_id is null
    or scores.signal_points <> item_totals.signal_points
    or scores.weighted_readiness_score <> item_totals.weighted_readiness_score
