{#-
    One row per account per evaluation date per product family with at least
    one interest signal in the expressed-interest window: support tickets
    (by created_at) and CRM activities (by occurred_at) dated after
    interest_window_after_date and on or before the evaluation date (the
    last 6 months, seeds.whitespace_weights) whose tags hold
    `<tag_term>:<product_id>` for a term of seeds.whitespace_interest_terms
    (matched case-insensitively on whole ';'-separated tags). One signal per
    tagged ticket or activity and product; the family counts the signals of
    its products. Ownership is not looked at here: the scoring model keeps
    families the account does not own.
-#}
{%- set tag_pattern = dbt.concat(
    ["'%;'", "lower(interest_terms.tag_term)", "':'", "lower(products.product_id)", "';%'"]
) %}

with

evaluation_dates as (

    select * from {{ ref('int_whitespace_evaluation_dates') }}

),

tickets as (

    select * from {{ ref('stg_support__tickets') }}

),

activities as (

    select * from {{ ref('stg_crm__activities') }}

),

products as (

    select * from {{ ref('stg_billing__products') }}

),

interest_terms as (

    select * from {{ ref('whitespace_interest_terms') }}

),

tagged_events as (

    select
        'support_ticket' as signal_source,
        ticket_id as event_id,
        account_id,
        cast(created_at as date) as event_date,
        {{ dbt.concat(["';'", "lower(tags)", "';'"]) }} as tag_list
    from tickets
    where tags is not null

    union all

    select
        'crm_activity' as signal_source,
        activity_id as event_id,
        account_id,
        cast(occurred_at as date) as event_date,
        {{ dbt.concat(["';'", "lower(tags)", "';'"]) }} as tag_list
    from activities
    where tags is not null

),

events_in_window as (

    select
        tagged_events.*,
        evaluation_dates.evaluation_date

    from tagged_events
    inner join evaluation_dates
        on
            tagged_events.event_date > evaluation_dates.interest_window_after_date
            and tagged_events.event_date <= evaluation_dates.evaluation_date

),

signals as (

    select distinct
        events_in_window.account_id,
        events_in_window.evaluation_date,
        events_in_window.signal_source,
        events_in_window.event_id,
        products.product_id,
        products.product_family

    from events_in_window
    cross join products
    inner join interest_terms
        on events_in_window.tag_list like {{ tag_pattern }}

),

final as (

    select
        account_id,
        evaluation_date,
        product_family,
        count(*) as interest_signals,
        sum(
            case when signal_source = 'support_ticket' then 1 else 0 end
        ) as ticket_signals,
        sum(
            case when signal_source = 'crm_activity' then 1 else 0 end
        ) as crm_signals

    from signals
    group by
        account_id,
        evaluation_date,
        product_family

)

select * from final
