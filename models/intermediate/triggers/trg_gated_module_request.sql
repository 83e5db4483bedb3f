{#-
    Requests for one product the account does not own - ticket and CRM
    activity tags `<term>:<product_id>` for the registry row's match_terms
    (matched whole on int_event_tags, whatever the case) - in the last
    window_value days. Requests are joined to the usage days they count for
    (at most window_value each). The signal is the most requests for one
    product.
-#}
{%- set window_days = trigger_setting('gated_module_request', 'window_value', 180) %}

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

usage as (

    select * from {{ ref('int_product_usage_account_daily') }}

),

match_terms as (

    {{ trigger_match_terms('gated_module_request') }}

),

requests as (

    select
        event_tags.account_id,
        event_tags.event_date as requested_on,
        {{ day_number('event_tags.event_date') }} as requested_day_number,  -- noqa: LT05
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

),

requests_in_window as (

    select
        usage.account_id,
        usage.usage_date,
        requests.product_id,
        requests.product_family,
        requests.tier_rank,
        count(*) as request_count
    from usage
    inner join requests
        on
            usage.account_id = requests.account_id
            and usage.day_number >= requests.requested_day_number
            and usage.day_number - {{ window_days }} < requests.requested_day_number
    group by
        usage.account_id,
        usage.usage_date,
        requests.product_id,
        requests.product_family,
        requests.tier_rank

),

unowned_requests as (

    select
        requests_in_window.account_id,
        requests_in_window.usage_date,
        requests_in_window.product_id,
        max(requests_in_window.request_count) as request_count
    from requests_in_window
    left join owned_lines
        on
            requests_in_window.account_id = owned_lines.account_id
            and requests_in_window.usage_date >= owned_lines.start_date
            and (
                owned_lines.end_date is null
                or requests_in_window.usage_date < owned_lines.end_date
            )
            and (
                requests_in_window.product_id = owned_lines.product_id
                or (
                    requests_in_window.product_family = 'core'
                    and owned_lines.product_family = 'core'
                    and requests_in_window.tier_rank <= owned_lines.tier_rank
                )
            )
    group by
        requests_in_window.account_id,
        requests_in_window.usage_date,
        requests_in_window.product_id
    having count(owned_lines.subscription_line_id) = 0

),

most_requested as (

    select
        account_id,
        usage_date,
        max(request_count) as request_count
    from unowned_requests
    group by
        account_id,
        usage_date

),

final as (

    select
        most_requested.account_id,
        most_requested.usage_date as evaluated_on,
        most_requested.request_count as signal_value
    from most_requested

)

select * from final
