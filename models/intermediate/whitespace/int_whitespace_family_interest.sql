{#-
    Tickets are dated by created_at, activities by occurred_at. Terms are
    matched whole on int_event_tags, whatever the case. One signal per tagged
    ticket or activity and product; the family counts the signals of its
    products. Ownership is not looked at here: the scoring model keeps
    families the account does not own.
-#}

with

evaluation_dates as (

    select * from {{ ref('int_whitespace_evaluation_dates') }}

),

event_tags as (

    select * from {{ ref('int_event_tags') }}

),

products as (

    select * from {{ ref('stg_billing__products') }}

),

interest_terms as (

    select * from {{ ref('whitespace_interest_terms') }}

),

interest_tags as (

    select
        products.product_id,
        products.product_family,
        {{ dbt.concat(["lower(interest_terms.tag_term)", "':'", "lower(products.product_id)"]) }}
            as tag

    from products
    cross join interest_terms

),

-- events holding an interest tag, with the product it names
tagged_events as (

    select
        event_tags.event_source as signal_source,
        event_tags.event_id,
        event_tags.account_id,
        event_tags.event_date,
        interest_tags.product_id,
        interest_tags.product_family

    from event_tags
    inner join interest_tags
        on event_tags.tag = interest_tags.tag

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
        events_in_window.product_id,
        events_in_window.product_family

    from events_in_window

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
