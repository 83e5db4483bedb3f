{#-
    One row per subscription line: the account, the product and its family and
    tier, and the dates the line is active (start_date <= day < end_date).
    What "the account owns the product on day D" means for the cross-sell
    triggers: a line of that product is active on D, or - for a product of the
    core family - a line of a core product with a higher or equal tier_rank
    (a feature unlocked by a core tier comes with every higher tier).
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
