-- Total ARR in account_profiles equals the USD ARR of the subscription lines
-- active on the as-of date (to the cent per account: rounding is per account).
with

accounts as (

    select * from {{ ref('account_profiles') }}

),

lines as (

    select * from {{ ref('int_subscription_lines_usd') }}

),

accounts_total as (

    select
        sum(current_arr_usd) as total_arr_usd,
        count(*) as account_count

    from accounts

),

lines_total as (

    select sum(arr_usd) as total_arr_usd
    from lines
    where is_active_on_as_of_date

)

select
    accounts_total.total_arr_usd as account_profiles_arr_usd,
    lines_total.total_arr_usd as active_lines_arr_usd

from accounts_total
cross join lines_total
where
    abs(accounts_total.total_arr_usd - coalesce(lines_total.total_arr_usd, 0))
    > 0.005 * accounts_total.account_count
