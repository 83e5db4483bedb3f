{#-
    The contact to address is the current champion, else the exec sponsor;
    their persona picks the talk track variant, else
    conversation_settings.default_persona. Open high-priority tickets are
    those matching the open_problem_ticket hold's match_terms; the fiscal
    quarter is conversation_settings.our_fiscal_year_start_month's.
-#}
with

inputs as (

    select * from {{ ref('int_readiness_inputs') }}

),

health as (

    select * from {{ ref('int_account_health_daily') }}

),

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

tickets as (

    select * from {{ ref('stg_support__tickets') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

holds as (

    select * from {{ ref('outreach_hold_rules') }}

),

settings as (

    select * from {{ ref('conversation_settings') }}

),

our_fiscal_quarter as (

    select * from {{ ref('int_our_fiscal_quarter') }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

active_accounts as (

    select inputs.*
    from inputs
    where inputs.evaluation_role = 'as_of'

),

current_contacts_ranked as (

    select
        contacts.account_id,
        contacts.full_name,
        contacts.persona,
        row_number() over (
            partition by contacts.account_id
            order by
                case when contacts.is_champion then 0 else 1 end,
                contacts.valid_from desc,
                contacts.contact_id asc
        ) as contact_rank

    from contacts
    cross join as_of
    where
        (contacts.is_champion or contacts.is_exec_sponsor)
        and contacts.valid_from <= as_of.as_of_date
        and (contacts.valid_to is null or contacts.valid_to > as_of.as_of_date)

),

primary_contacts as (

    select
        account_id,
        full_name,
        persona
    from current_contacts_ranked
    where contact_rank = 1

),

term_positions as (

    {{ integers_from_zero(10) }}

),

problem_priorities_split as (

    select
        lower(trim(
            {{ split_part_at('holds.match_terms', "';'", 'term_positions.n + 1') }}
        )) as priority
    from holds
    cross join term_positions
    where holds.hold_id = 'open_problem_ticket'

),

problem_priorities as (

    select distinct priority
    from problem_priorities_split
    where priority <> ''

),

open_problem_tickets as (

    select
        tickets.account_id,
        count(*) as open_problem_tickets
    from tickets
    cross join as_of
    inner join problem_priorities
        on lower(trim(tickets.priority)) = problem_priorities.priority
    where
        cast(tickets.created_at as date) <= as_of.as_of_date
        and (tickets.resolved_at is null or cast(tickets.resolved_at as date) > as_of.as_of_date)
    group by tickets.account_id

),

csat_ranked as (

    select
        tickets.account_id,
        tickets.csat_score,
        cast(tickets.resolved_at as date) as resolved_on,
        row_number() over (
            partition by tickets.account_id
            order by tickets.resolved_at desc, tickets.ticket_id desc
        ) as csat_rank
    from tickets
    cross join as_of
    where
        tickets.csat_score is not null
        and tickets.resolved_at is not null
        and cast(tickets.resolved_at as date) <= as_of.as_of_date

),

csat_latest_two as (

    select
        account_id,
        max(case when csat_rank = 1 then csat_score end) as latest_csat_score,
        max(case when csat_rank = 1 then resolved_on end) as latest_csat_resolved_on,
        max(case when csat_rank = 2 then csat_score end) as previous_csat_score
    from csat_ranked
    where csat_rank <= 2
    group by account_id

),

final as (

    select
        active_accounts.account_id,
        active_accounts.as_of_date,
        active_accounts.account_name,
        active_accounts.segment,
        active_accounts.csm_owner,
        active_accounts.current_arr_usd,
        coalesce(primary_contacts.persona, settings.default_persona) as persona,
        primary_contacts.full_name as contact_name,
        active_accounts.active_user_seat_ratio,
        active_accounts.usage_capacity_ratio,
        active_accounts.capacity_binding_dimension,
        active_accounts.days_to_renewal,
        cast(
            {{ dbt.dateadd(
                'day', 'active_accounts.days_to_renewal', 'active_accounts.as_of_date'
            ) }} as date
        ) as renewal_date,
        active_accounts.days_since_last_qbr,
        health.health_score,
        health.events_per_day_30d_vs_prior,
        health.days_since_last_touch,
        coalesce(open_problem_tickets.open_problem_tickets, 0) as open_problem_tickets,
        csat_latest_two.latest_csat_score,
        csat_latest_two.latest_csat_resolved_on,
        csat_latest_two.previous_csat_score,
        coalesce(accounts.is_expansion_outreach_opted_out, false)
            as is_expansion_outreach_opted_out,
        our_fiscal_quarter.quarter_end_date as our_quarter_end_date,
        {{ dbt.datediff(
            'active_accounts.as_of_date', 'our_fiscal_quarter.quarter_end_date', 'day'
        ) }} as days_to_our_quarter_end

    from active_accounts
    cross join settings
    cross join our_fiscal_quarter
    left join primary_contacts
        on active_accounts.account_id = primary_contacts.account_id
    left join health
        on
            active_accounts.account_id = health.account_id
            and active_accounts.as_of_date = health.score_date
    left join open_problem_tickets
        on active_accounts.account_id = open_problem_tickets.account_id
    left join csat_latest_two
        on active_accounts.account_id = csat_latest_two.account_id
    left join accounts
        on active_accounts.account_id = accounts.account_id

)

select * from final
