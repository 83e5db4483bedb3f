{#-
    A line is active on start_date <= day < end_date; a feature unlocked by a
    core tier comes with every higher tier.
-#}
with

lines as (

    select * from {{ ref('int_subscription_lines_usd') }}

),

products as (

    select * from {{ ref('stg_billing__products') }}

),

final as (

    select
        lines.subscription_line_id,
        lines.account_id,
        lines.product_id,
        products.product_family,
        products.tier_rank,
        lines.start_date,
        lines.end_date
    from lines
    inner join products
        on lines.product_id = products.product_id

)

select * from final
