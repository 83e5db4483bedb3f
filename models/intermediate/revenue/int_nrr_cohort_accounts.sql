{#-
    The trailing-12-month NRR cohorts (SPEC 3): for every spine month end
    with a spine month end twelve months before it (the window start), one
    row per account that had ARR > 0 at the window start, with its segment
    on that date, its ARR then and now (each at its own date's fx rates),
    and the change split point to point:
      ending = 0                 -> churned = starting
      ending > starting          -> expansion = ending - starting
      0 < ending < starting      -> contraction = starting - ending
      retained = min(starting, ending) (GRR caps each account at its start).
    Accounts whose first ARR comes after the window start (new logos) never
    enter a cohort, so they never reach the numerator.
-#}
with

month_ends as (

    select * from {{ ref('int_revenue_month_ends') }}

),

account_arr as (

    select * from {{ ref('int_account_arr_monthly') }}

),

windows as (

    select
        window_end.month_end_date,
        window_start.month_end_date as window_start_date

    from month_ends as window_end
    inner join month_ends as window_start
        on window_end.month_index - 12 = window_start.month_index

),

cohort_accounts as (

    select
        windows.month_end_date,
        windows.window_start_date,
        account_arr.account_id,
        account_arr.segment,
        account_arr.arr_usd as starting_arr_usd

    from windows
    inner join account_arr
        on windows.window_start_date = account_arr.month_end_date

),

ending_arr_joined as (

    select
        cohort_accounts.*,
        coalesce(account_arr.arr_usd, 0) as ending_arr_usd

    from cohort_accounts
    left join account_arr
        on
            cohort_accounts.account_id = account_arr.account_id
            and cohort_accounts.month_end_date = account_arr.month_end_date

),

final as (

    select
        account_id,
        month_end_date,
        window_start_date,
        segment,
        starting_arr_usd,
        ending_arr_usd,
        case
            when ending_arr_usd > starting_arr_usd then ending_arr_usd - starting_arr_usd else 0
        end
            as expansion_arr_usd,
        case
            when
                ending_arr_usd > 0 and ending_arr_usd < starting_arr_usd
                then starting_arr_usd - ending_arr_usd
            else 0
        end as contraction_arr_usd,
        case when ending_arr_usd = 0 then starting_arr_usd else 0 end as churned_arr_usd,
        case when ending_arr_usd < starting_arr_usd then ending_arr_usd else starting_arr_usd end
            as retained_arr_usd,
        ending_arr_usd = 0 as is_churned

    from ending_arr_joined

)

select * from final
