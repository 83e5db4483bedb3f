{#-
    QBR activities on the day tagged `<term>:<product_id>` for the registry
    row's match_terms (matched whole on int_event_tags, whatever the case),
    for a product the account does not own that day; the signal is the
    number of such tags that day.
-#}

with

event_tags as (

    select * from {{ ref('int_event_tags') }}

),

products as (

    select * from {{ ref('stg_billing__products') }}

),

owned_lines as (

    select * from {{ ref('int_trigger_owned_lines') }}

),

match_terms as (

    {{ trigger_match_terms('qbr_unmet_need') }}

),

qbr_needs as (

    select distinct
        event_tags.event_id as activity_id,
        event_tags.account_id,
        event_tags.event_date as occurred_date,
        products.product_id,
        products.product_family,
        products.tier_rank
    from event_tags
    inner join match_terms
        on match_terms.term <> ''
    inner join products
        on
            event_tags.tag
            = {{ dbt.concat(["match_terms.term", "':'", "lower(products.product_id)"]) }}
    where
        event_tags.event_source = 'crm_activity'
        and lower(event_tags.activity_type) = 'qbr'

),

unowned_needs as (

    select
        qbr_needs.activity_id,
        qbr_needs.account_id,
        qbr_needs.occurred_date,
        qbr_needs.product_id
    from qbr_needs
    left join owned_lines
        on
            qbr_needs.account_id = owned_lines.account_id
            and qbr_needs.occurred_date >= owned_lines.start_date
            and (owned_lines.end_date is null or qbr_needs.occurred_date < owned_lines.end_date)
            and (
                qbr_needs.product_id = owned_lines.product_id
                or (
                    qbr_needs.product_family = 'core'
                    and owned_lines.product_family = 'core'
                    and qbr_needs.tier_rank <= owned_lines.tier_rank
                )
            )
    group by
        qbr_needs.activity_id,
        qbr_needs.account_id,
        qbr_needs.occurred_date,
        qbr_needs.product_id
    having count(owned_lines.subscription_line_id) = 0

),

daily as (

    select
        account_id,
        occurred_date,
        count(*) as unmet_needs
    from unowned_needs
    group by
        account_id,
        occurred_date

),

final as (

    select
        daily.account_id,
        daily.occurred_date as evaluated_on,
        daily.unmet_needs as signal_value
    from daily

)

select * from final
