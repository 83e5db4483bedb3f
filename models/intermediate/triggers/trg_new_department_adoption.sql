{#-
    Users created in the last window_value days whose department had no
    user before the window (its first user was created inside the window),
    at an account that already had users before the window.
-#}
{%- set window_days = trigger_setting('new_department_adoption', 'window_value', 30) %}

with

users as (

    select * from {{ ref('stg_product__users') }}

),

usage as (

    select * from {{ ref('int_product_usage_account_daily') }}

),

user_days as (

    select
        user_id,
        account_id,
        department,
        {{ day_number('cast(created_at as date)') }} as created_day_number  -- noqa: LT05
    from users
    where department is not null

),

with_firsts as (

    select
        user_id,
        account_id,
        created_day_number,
        min(created_day_number) over (
            partition by account_id, department
        ) as department_first_day_number,
        min(created_day_number) over (partition by account_id) as account_first_day_number
    from user_days

),

new_department_users_in_window as (

    select
        usage.account_id,
        usage.usage_date,
        count(*) as new_department_users
    from usage
    inner join with_firsts
        on
            usage.account_id = with_firsts.account_id
            and usage.day_number >= with_firsts.created_day_number
            and usage.day_number - {{ window_days }} < with_firsts.created_day_number
    where
        with_firsts.department_first_day_number > usage.day_number - {{ window_days }}
        and with_firsts.account_first_day_number <= usage.day_number - {{ window_days }}
    group by
        usage.account_id,
        usage.usage_date

),

final as (

    select
        new_department_users_in_window.account_id,
        new_department_users_in_window.usage_date as evaluated_on,
        new_department_users_in_window.new_department_users as signal_value
    from new_department_users_in_window

)

select * from final
