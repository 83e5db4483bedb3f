-- The spine ends on the as-of date: every account's ending ARR there equals
-- account_profiles.current_arr_usd (to the cent), so an account with ARR today
-- is never shown as churned at the end of the spine. Returns mismatches.
with

arr_movements as (

    select * from {{ ref('arr_movements') }}

),

account_profiles as (

    select * from {{ ref('account_profiles') }}

),

last_month_end as (

    select max(month_end_date) as month_end_date
    from {{ ref('int_revenue_month_ends') }}

),

ending_at_as_of as (

    select
        arr_movements.account_id,
        arr_movements.ending_arr_usd,
        arr_movements.movement

    from arr_movements
    inner join last_month_end
        on arr_movements.month_end_date = last_month_end.month_end_date

)

select
    account_profiles.account_id,
    account_profiles.current_arr_usd,
    ending_at_as_of.ending_arr_usd,
    ending_at_as_of.movement

from account_profiles
left join ending_at_as_of
    on account_profiles.account_id = ending_at_as_of.account_id
where
    abs(account_profiles.current_arr_usd - coalesce(ending_at_as_of.ending_arr_usd, 0)) >= 0.01
    or (account_profiles.current_arr_usd > 0 and ending_at_as_of.movement = 'churn')
