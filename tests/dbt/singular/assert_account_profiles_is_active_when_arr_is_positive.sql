-- account_profiles.is_active is exactly "current ARR above zero".
with

accounts as (

    select * from {{ ref('account_profiles') }}

)

select
    account_id,
    current_arr_usd,
    is_active

from accounts
where is_active <> (current_arr_usd > 0)
