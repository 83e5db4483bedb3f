{#-
    The account-level inputs, as known on the evaluation date:

      - segment: the CRM's, else the seeds.segment_arr_bands band of the
        day's ARR; arr_size_band: the seeds.whitespace_peer_arr_bands band
        (peers for peer_propensity share segment, industry and this band);
      - health: account_health_daily on the date; is_above_health_threshold
        when it is strictly above whitespace_settings.health_score_above (an
        account without a score that day is not above it);
      - adoption depth: percent_rank of int_product_usage_account_daily.events_30d
        on the date among the segment's active accounts with usage that day:
        0 = least used, 1 = most used; ties share the lower rank; no usage row
        that day = 0;
      - budget timing: 1 when the next fiscal year start (from the CRM's
        fiscal_year_start_month; the date itself counts) or the next renewal
        (the earliest end_date of a line active that day) falls on or before
        budget_window_end_date, else 0;
      - champion availability: 1 when a contact valid that day
        (valid_from <= D < valid_to) is a champion or an executive sponsor.

    Point in time: lines started, contacts valid from, usage and health
    dated on or before the evaluation date. The CRM's account attributes
    (segment, industry, fiscal year) are a current snapshot.
-#}
{{ config(materialized='table') }}

with

evaluation_dates as (

    select * from {{ ref('int_whitespace_evaluation_dates') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

owned_families as (

    select * from {{ ref('int_whitespace_owned_families') }}

),

subscription_lines as (

    select * from {{ ref('stg_billing__subscriptions') }}

),

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

health as (

    select * from {{ ref('int_account_health_daily') }}

),

product_usage as (

    select * from {{ ref('int_product_usage_account_daily') }}

),

segment_arr_bands as (

    select * from {{ ref('segment_arr_bands') }}

),

peer_arr_bands as (

    select * from {{ ref('whitespace_peer_arr_bands') }}

),

settings as (

    select * from {{ ref('whitespace_settings') }}

),

arr_per_account as (

    select
        account_id,
        evaluation_date,
        sum(family_arr_usd) as arr_usd

    from owned_families
    group by
        account_id,
        evaluation_date

),

active_accounts as (

    select
        arr_per_account.account_id,
        arr_per_account.evaluation_date,
        evaluation_dates.evaluation_role,
        evaluation_dates.budget_window_end_date,
        accounts.account_name,
        accounts.industry,
        accounts.fiscal_year_start_month,
        coalesce(accounts.segment, segment_arr_bands.segment) as segment,
        arr_per_account.arr_usd,
        peer_arr_bands.arr_size_band

    from arr_per_account
    inner join evaluation_dates
        on arr_per_account.evaluation_date = evaluation_dates.evaluation_date
    inner join accounts
        on arr_per_account.account_id = accounts.account_id
    left join segment_arr_bands
        on
            arr_per_account.arr_usd >= segment_arr_bands.min_arr_usd
            and (
                segment_arr_bands.max_arr_usd is null
                or arr_per_account.arr_usd < segment_arr_bands.max_arr_usd
            )
    left join peer_arr_bands
        on
            arr_per_account.arr_usd >= peer_arr_bands.min_arr_usd
            and (
                peer_arr_bands.max_arr_usd is null
                or arr_per_account.arr_usd < peer_arr_bands.max_arr_usd
            )
    where arr_per_account.arr_usd > 0

),

usage_ranked as (

    select
        active_accounts.account_id,
        active_accounts.evaluation_date,
        product_usage.events_30d,
        percent_rank() over (
            partition by active_accounts.evaluation_date, active_accounts.segment
            order by product_usage.events_30d
        ) as usage_percentile

    from active_accounts
    inner join product_usage
        on
            active_accounts.account_id = product_usage.account_id
            and active_accounts.evaluation_date = product_usage.usage_date

),

renewals as (

    select
        active_accounts.account_id,
        active_accounts.evaluation_date,
        min(subscription_lines.end_date) as next_renewal_date

    from active_accounts
    inner join subscription_lines
        on
            active_accounts.account_id = subscription_lines.account_id
            and active_accounts.evaluation_date >= subscription_lines.start_date
            and active_accounts.evaluation_date < subscription_lines.end_date
    group by
        active_accounts.account_id,
        active_accounts.evaluation_date

),

fiscal_years_this_calendar_year as (

    select
        account_id,
        evaluation_date,
        cast(
            {{ dbt.dateadd(
                'month',
                'fiscal_year_start_month - 1',
                'cast(' ~ dbt.date_trunc('year', 'evaluation_date') ~ ' as date)',
            ) }} as date
        ) as fiscal_year_start_this_calendar_year

    from active_accounts
    where fiscal_year_start_month between 1 and 12

),

fiscal_years_next as (

    select
        account_id,
        evaluation_date,
        case
            when fiscal_year_start_this_calendar_year >= evaluation_date
                then fiscal_year_start_this_calendar_year
            else cast(
                    {{ dbt.dateadd('month', 12, 'fiscal_year_start_this_calendar_year') }} as date
                )
        end as next_fiscal_year_start_date

    from fiscal_years_this_calendar_year

),

sponsors as (

    select
        active_accounts.account_id,
        active_accounts.evaluation_date,
        max(case when contacts.is_champion then 1 else 0 end) as has_champion,
        max(case when contacts.is_exec_sponsor then 1 else 0 end) as has_exec_sponsor

    from active_accounts
    inner join contacts
        on
            active_accounts.account_id = contacts.account_id
            and active_accounts.evaluation_date >= contacts.valid_from
            and (contacts.valid_to is null or active_accounts.evaluation_date < contacts.valid_to)
    group by
        active_accounts.account_id,
        active_accounts.evaluation_date

),

joined as (

    select
        active_accounts.*,
        health.health_score,
        coalesce(health.health_score > settings.health_score_above, false)
            as is_above_health_threshold,
        usage_ranked.events_30d,
        usage_ranked.usage_percentile,
        fiscal_years_next.next_fiscal_year_start_date,
        renewals.next_renewal_date,
        coalesce(sponsors.has_champion, 0) = 1 as has_champion,
        coalesce(sponsors.has_exec_sponsor, 0) = 1 as has_exec_sponsor

    from active_accounts
    cross join settings
    left join health
        on
            active_accounts.account_id = health.account_id
            and active_accounts.evaluation_date = health.score_date
    left join usage_ranked
        on
            active_accounts.account_id = usage_ranked.account_id
            and active_accounts.evaluation_date = usage_ranked.evaluation_date
    left join fiscal_years_next
        on
            active_accounts.account_id = fiscal_years_next.account_id
            and active_accounts.evaluation_date = fiscal_years_next.evaluation_date
    left join renewals
        on
            active_accounts.account_id = renewals.account_id
            and active_accounts.evaluation_date = renewals.evaluation_date
    left join sponsors
        on
            active_accounts.account_id = sponsors.account_id
            and active_accounts.evaluation_date = sponsors.evaluation_date

),

final as (

    select
        account_id,
        evaluation_date,
        evaluation_role,
        account_name,
        segment,
        industry,
        cast(arr_usd as decimal(18, 2)) as arr_usd,
        arr_size_band,
        health_score,
        is_above_health_threshold,
        events_30d,
        cast(coalesce(usage_percentile, 0) as decimal(10, 4)) as adoption_depth_score,
        next_fiscal_year_start_date,
        next_renewal_date,
        cast(
            case
                when
                    next_fiscal_year_start_date <= budget_window_end_date
                    or next_renewal_date <= budget_window_end_date
                    then 1
                else 0
            end as decimal(10, 4)
        ) as budget_timing_score,
        has_champion,
        has_exec_sponsor,
        cast(
            case when has_champion or has_exec_sponsor then 1 else 0 end as decimal(10, 4)
        ) as champion_availability_score

    from joined

)

select * from final
