-- An account's starting ARR in a month is its ending ARR of the month before
-- (0 when it had no row then). Returns the breaks in the chain.
with

arr_movements as (

    select * from {{ ref('arr_movements') }}

)

select
    this_month.account_id,
    this_month.month_end_date,
    this_month.starting_arr_usd,
    previous_month.ending_arr_usd as previous_ending_arr_usd

from arr_movements as this_month
left join arr_movements as previous_month
    on
        this_month.account_id = previous_month.account_id
        and this_month.previous_month_end_date = previous_month.month_end_date
where this_month.starting_arr_usd <> coalesce(previous_month.ending_arr_usd, 0)
