with

users as (

    select * from {{ ref('stg_product__users') }}

),

usage as (

    select * from {{ ref('int_product_usage_account_daily') }}

),

domain_first_days as (

    select
        account_id,
        lower(email_domain) as email_domain,
        min(cast(created_at as date)) as first_seen_on
    from users
    where email_domain is not null
    group by
        account_id,
        lower(email_domain)

),

domain_counts as (

    select
        account_id,
        first_seen_on,
        count(*) over (
            partition by account_id
            order by first_seen_on
            range between unbounded preceding and current row
        ) as domains_to_date
    from domain_first_days

),

domain_steps as (

    select
        account_id,
        first_seen_on,
        max(domains_to_date) as domains_to_date
    from domain_counts
    group by
        account_id,
        first_seen_on

),

domain_step_ranges as (

    select
        account_id,
        first_seen_on,
        domains_to_date,
        lead(first_seen_on) over (partition by account_id order by first_seen_on) as next_step_on
    from domain_steps

),

final as (

    select
        usage.account_id,
        usage.usage_date as evaluated_on,
        domain_step_ranges.domains_to_date as signal_value
    from usage
    inner join domain_step_ranges
        on
            usage.account_id = domain_step_ranges.account_id
            and usage.usage_date >= domain_step_ranges.first_seen_on
            and (
                domain_step_ranges.next_step_on is null
                or usage.usage_date < domain_step_ranges.next_step_on
            )

)

select * from final
