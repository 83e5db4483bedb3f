{#-
    Segment, ARR and the segment median are the as-of date's business and
    are null on opportunity_created rows. as_of_date is the point's day;
    every CTE is keyed by (account_id, as_of_date).

    Windows come from seeds.signal_points.window_days. Point in time: every
    row read is dated on or before the point's day. Tags
    (feature_request:<product>, unmet_need:<product>,
    new_initiative:<product>, positive_outcome) are matched whole on
    int_event_tags, whatever their case.
-#}
{{ config(materialized='table') }}
{%- set activity_days_ago = dbt.datediff(
    'event_tags.event_date', 'unowned_modules.as_of_date', 'day'
) %}

with

accounts as (

    select * from {{ ref('int_accounts_segmented') }}

),

subscription_lines as (

    select * from {{ ref('stg_billing__subscriptions') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

products as (

    select * from {{ ref('stg_billing__products') }}

),

product_usage as (

    select * from {{ ref('int_product_usage_account_daily') }}

),

support as (

    select * from {{ ref('int_support_account_daily') }}

),

relationship as (

    select * from {{ ref('int_relationship_account_daily') }}

),

event_tags as (

    select * from {{ ref('int_event_tags') }}

),

activities as (

    select * from {{ ref('stg_crm__activities') }}

),

nps_responses as (

    select * from {{ ref('stg_survey__nps_responses') }}

),

firmographics as (

    select * from {{ ref('stg_enrichment__firmographics') }}

),

users as (

    select * from {{ ref('stg_product__users') }}

),

signal_points as (

    select * from {{ ref('signal_points') }}

),

as_of_points as (

    select
        account_id,
        as_of_date,
        'as_of' as evaluation_role,
        segment,
        account_name,
        csm_owner,
        ae_owner,
        onboarded_date,
        current_arr_usd
    from accounts
    where current_arr_usd > 0

),

opportunity_points as (

    select distinct
        opportunities.account_id,
        cast(opportunities.created_at as date) as as_of_date,
        'opportunity_created' as evaluation_role,
        cast(null as {{ dbt.type_string() }}) as segment,
        accounts.account_name,
        accounts.csm_owner,
        accounts.ae_owner,
        accounts.onboarded_date,
        cast(null as decimal(18, 2)) as current_arr_usd
    from opportunities
    inner join accounts
        on opportunities.account_id = accounts.account_id
    where cast(opportunities.created_at as date) <= accounts.as_of_date

),

evaluation_points as (

    select * from as_of_points
    union all
    select * from opportunity_points

),

-- the days inputs are computed for, once each (both kinds of point can share one)
evaluation_days as (

    select distinct
        account_id,
        as_of_date
    from evaluation_points

),

signal_windows as (

    select
        max(case when signal_id = 'positive_outcome' then window_days end) as positive_outcome_days,
        max(
            case when signal_id = 'asked_for_missing_features' then window_days end
        ) as feature_request_days,
        max(case when signal_id = 'new_initiative' then window_days end) as new_initiative_days,
        max(case when signal_id = 'recent_promoter_nps' then window_days end) as promoter_nps_days,
        max(
            case when signal_id = 'recent_promoter_nps' then min_value end
        ) as promoter_nps_min_score,
        max(
            case when signal_id = 'usage_near_capacity' then min_value end
        ) as capacity_threshold

    from signal_points

),

lines_active as (

    select
        evaluation_days.account_id,
        evaluation_days.as_of_date,
        subscription_lines.product_id,
        subscription_lines.start_date,
        subscription_lines.end_date

    from evaluation_days
    inner join subscription_lines
        on
            evaluation_days.account_id = subscription_lines.account_id
            and evaluation_days.as_of_date >= subscription_lines.start_date
            and (
                subscription_lines.end_date is null
                or evaluation_days.as_of_date < subscription_lines.end_date
            )

),

owned_products as (

    select distinct
        account_id,
        as_of_date,
        product_id

    from lines_active

),

-- "purchase": the start of the current core subscription line (the latest
-- term, renewal or upgrade), against which growth "since purchase" is measured
current_purchases as (

    select
        lines_active.account_id,
        lines_active.as_of_date,
        max(lines_active.start_date) as purchase_date

    from lines_active
    inner join products
        on lines_active.product_id = products.product_id
    where products.product_family = 'core'
    group by lines_active.account_id, lines_active.as_of_date

),

-- the earliest contracted end of a line active on the day
renewals as (

    select
        account_id,
        as_of_date,
        min(end_date) as next_renewal_date

    from lines_active
    where end_date is not null
    group by account_id, as_of_date

),

unowned_modules as (

    select
        evaluation_days.account_id,
        evaluation_days.as_of_date,
        products.product_id

    from evaluation_days
    cross join products
    left join owned_products
        on
            evaluation_days.account_id = owned_products.account_id
            and evaluation_days.as_of_date = owned_products.as_of_date
            and products.product_id = owned_products.product_id
    where products.product_family = 'module' and owned_products.product_id is null

),

unowned_module_counts as (

    select
        account_id,
        as_of_date,
        count(*) as modules_not_owned

    from unowned_modules
    group by account_id, as_of_date

),

-- feature_request:<product> ticket tags and unmet_need:<product> CRM tags for unowned modules
feature_requests as (

    select
        unowned_modules.account_id,
        unowned_modules.as_of_date,
        count(*) as feature_requests

    from unowned_modules
    inner join event_tags
        on
            unowned_modules.account_id = event_tags.account_id
            and event_tags.tag = {{ dbt.concat([
                "'feature_request:'", "lower(unowned_modules.product_id)"
            ]) }}
    cross join signal_windows
    where
        event_tags.event_source = 'support_ticket'
        and event_tags.event_date <= unowned_modules.as_of_date
        and {{ dbt.datediff('event_tags.event_date', 'unowned_modules.as_of_date', 'day') }}
        < signal_windows.feature_request_days
    group by unowned_modules.account_id, unowned_modules.as_of_date

),

positive_outcome_activities as (

    select event_id as activity_id
    from event_tags
    where event_source = 'crm_activity' and tag = 'positive_outcome'

),

activities_known as (

    select
        activities.account_id,
        evaluation_days.as_of_date,
        activities.activity_type,
        positive_outcome_activities.activity_id is not null as is_positive_outcome,
        {{ dbt.datediff(
            'cast(activities.occurred_at as date)', 'evaluation_days.as_of_date', 'day'
        ) }}
            as days_ago

    from activities
    inner join evaluation_days
        on activities.account_id = evaluation_days.account_id
    left join positive_outcome_activities
        on activities.activity_id = positive_outcome_activities.activity_id
    where cast(activities.occurred_at as date) <= evaluation_days.as_of_date

),

activity_signals as (

    select
        activities_known.account_id,
        activities_known.as_of_date,
        sum(
            case
                when
                    activities_known.is_positive_outcome
                    and activities_known.days_ago < signal_windows.positive_outcome_days
                    then 1
                else 0
            end
        ) as positive_outcomes,
        min(case when activities_known.activity_type = 'qbr' then activities_known.days_ago end)
            as days_since_last_qbr

    from activities_known
    cross join signal_windows
    group by activities_known.account_id, activities_known.as_of_date

),

activity_product_tags as (

    select
        unowned_modules.account_id,
        unowned_modules.as_of_date,
        sum(
            case
                when
                    event_tags.tag
                    = {{ dbt.concat(["'unmet_need:'", "lower(unowned_modules.product_id)"]) }}
                    and {{ activity_days_ago }}
                    < signal_windows.feature_request_days
                    then 1
                else 0
            end
        ) as unmet_need_tags,
        sum(
            case
                when
                    event_tags.tag
                    = {{ dbt.concat(["'new_initiative:'", "lower(unowned_modules.product_id)"]) }}
                    and {{ activity_days_ago }}
                    < signal_windows.new_initiative_days
                    then 1
                else 0
            end
        ) as new_initiatives

    from unowned_modules
    inner join event_tags
        on
            unowned_modules.account_id = event_tags.account_id
            and event_tags.event_source = 'crm_activity'
            and unowned_modules.as_of_date >= event_tags.event_date
    cross join signal_windows
    group by unowned_modules.account_id, unowned_modules.as_of_date

),

promoter_nps as (

    select
        nps_responses.account_id,
        evaluation_days.as_of_date,
        max(nps_responses.nps_score) as best_recent_nps_score

    from nps_responses
    inner join evaluation_days
        on nps_responses.account_id = evaluation_days.account_id
    cross join signal_windows
    where
        cast(nps_responses.responded_at as date) <= evaluation_days.as_of_date
        and {{ dbt.datediff(
            'cast(nps_responses.responded_at as date)', 'evaluation_days.as_of_date', 'day'
        ) }}
        < signal_windows.promoter_nps_days
    group by nps_responses.account_id, evaluation_days.as_of_date

),

firmographics_known as (

    select
        firmographics.account_id,
        firmographics.snapshot_date,
        firmographics.employee_count,
        firmographics.open_roles,
        firmographics.last_funding_date,
        evaluation_days.as_of_date,
        current_purchases.purchase_date,
        row_number() over (
            partition by firmographics.account_id, evaluation_days.as_of_date
            order by firmographics.snapshot_date desc
        ) as recency_rank,
        row_number() over (
            partition by
                firmographics.account_id,
                evaluation_days.as_of_date,
                firmographics.snapshot_date >= current_purchases.purchase_date
            order by firmographics.snapshot_date
        ) as since_purchase_rank

    from firmographics
    inner join evaluation_days
        on firmographics.account_id = evaluation_days.account_id
    left join current_purchases
        on
            evaluation_days.account_id = current_purchases.account_id
            and evaluation_days.as_of_date = current_purchases.as_of_date
    where firmographics.snapshot_date <= evaluation_days.as_of_date

),

-- month arithmetic on its own (PORTABILITY: no day and month intervals in one select)
year_ago_bounds as (

    select
        account_id,
        as_of_date,
        cast({{ dbt.dateadd('month', -12, 'as_of_date') }} as date) as year_ago_date

    from evaluation_days

),

firmographics_year_ago as (

    select
        firmographics_known.account_id,
        firmographics_known.as_of_date,
        firmographics_known.employee_count,
        row_number() over (
            partition by firmographics_known.account_id, firmographics_known.as_of_date
            order by firmographics_known.snapshot_date desc
        ) as recency_rank

    from firmographics_known
    inner join year_ago_bounds
        on
            firmographics_known.account_id = year_ago_bounds.account_id
            and firmographics_known.as_of_date = year_ago_bounds.as_of_date
    where firmographics_known.snapshot_date <= year_ago_bounds.year_ago_date

),

firmographics_before_purchase as (

    select
        account_id,
        as_of_date,
        employee_count,
        row_number() over (
            partition by account_id, as_of_date order by snapshot_date desc
        ) as rank_before

    from firmographics_known
    where snapshot_date <= purchase_date

),

firmographic_growth as (

    select
        latest.account_id,
        latest.employee_count,
        latest.open_roles,
        latest.last_funding_date,
        latest.as_of_date,
        year_ago.employee_count as employee_count_year_ago,
        -- at purchase: the latest snapshot on or before it, else the first after it
        coalesce(
            before_purchase.employee_count, after_purchase.employee_count
        ) as employee_count_at_purchase

    from firmographics_known as latest
    left join firmographics_year_ago as year_ago
        on
            latest.account_id = year_ago.account_id
            and latest.as_of_date = year_ago.as_of_date
            and year_ago.recency_rank = 1
    left join firmographics_known as after_purchase
        on
            latest.account_id = after_purchase.account_id
            and latest.as_of_date = after_purchase.as_of_date
            and after_purchase.snapshot_date >= after_purchase.purchase_date
            and after_purchase.since_purchase_rank = 1
    left join firmographics_before_purchase as before_purchase
        on
            latest.account_id = before_purchase.account_id
            and latest.as_of_date = before_purchase.as_of_date
            and before_purchase.rank_before = 1
    where latest.recency_rank = 1

),

funding_windows as (

    select
        account_id,
        as_of_date,
        cast({{ dbt.dateadd('month', 12, 'last_funding_date') }} as date) as funding_recent_until

    from firmographic_growth

),

departments_since_purchase as (

    select
        users.account_id,
        evaluation_days.as_of_date,
        count(distinct users.department) as departments_now,
        count(
            distinct case
                when cast(users.created_at as date) <= current_purchases.purchase_date
                    then users.department
            end
        ) as departments_at_purchase

    from users
    inner join evaluation_days
        on users.account_id = evaluation_days.account_id
    left join current_purchases
        on
            evaluation_days.account_id = current_purchases.account_id
            and evaluation_days.as_of_date = current_purchases.as_of_date
    where cast(users.created_at as date) <= evaluation_days.as_of_date
    group by users.account_id, evaluation_days.as_of_date

),

-- purchased capacity on the day: seats, and the plan limits that count
-- as capacity at the usage_near_capacity threshold (macro plan_limit_counts)
capacity_ratios as (

    select
        product_usage.account_id,
        product_usage.usage_date,
        product_usage.active_user_seat_ratio as seats_ratio,
        {{ counted_limit_ratio(
            'product_usage.events_limit_ratio',
            'product_usage.limit_events_monthly',
            'signal_windows.capacity_threshold',
        ) }} as events_ratio,
        {{ counted_limit_ratio(
            'product_usage.integrations_limit_ratio',
            'product_usage.limit_integrations',
            'signal_windows.capacity_threshold',
        ) }} as integrations_ratio,
        {{ counted_limit_ratio(
            'product_usage.environments_limit_ratio',
            'product_usage.limit_environments',
            'signal_windows.capacity_threshold',
        ) }} as environments_ratio,
        {{ counted_limit_ratio(
            'product_usage.storage_limit_ratio',
            'product_usage.limit_storage_gb',
            'signal_windows.capacity_threshold',
        ) }} as storage_ratio

    from product_usage
    inner join evaluation_days
        on
            product_usage.account_id = evaluation_days.account_id
            and product_usage.usage_date = evaluation_days.as_of_date
    cross join signal_windows

),

capacity_bound as (

    -- the most used share of what the account pays for (ties: the order below)
    select
        account_id,
        usage_date,
        case
            when
                coalesce(seats_ratio, -1) >= coalesce(events_ratio, -1)
                and coalesce(seats_ratio, -1) >= coalesce(integrations_ratio, -1)
                and coalesce(seats_ratio, -1) >= coalesce(environments_ratio, -1)
                and coalesce(seats_ratio, -1) >= coalesce(storage_ratio, -1)
                and seats_ratio is not null
                then 'seats'
            when
                coalesce(events_ratio, -1) >= coalesce(integrations_ratio, -1)
                and coalesce(events_ratio, -1) >= coalesce(environments_ratio, -1)
                and coalesce(events_ratio, -1) >= coalesce(storage_ratio, -1)
                and events_ratio is not null
                then 'events'
            when
                coalesce(integrations_ratio, -1) >= coalesce(environments_ratio, -1)
                and coalesce(integrations_ratio, -1) >= coalesce(storage_ratio, -1)
                and integrations_ratio is not null
                then 'integrations'
            when
                coalesce(environments_ratio, -1) >= coalesce(storage_ratio, -1)
                and environments_ratio is not null
                then 'environments'
            when storage_ratio is not null then 'storage'
        end as capacity_binding_dimension,
        seats_ratio,
        events_ratio,
        integrations_ratio,
        environments_ratio,
        storage_ratio

    from capacity_ratios

),

capacity as (

    select
        account_id,
        usage_date,
        capacity_binding_dimension,
        cast(
            case capacity_binding_dimension
                when 'seats' then seats_ratio
                when 'events' then events_ratio
                when 'integrations' then integrations_ratio
                when 'environments' then environments_ratio
                when 'storage' then storage_ratio
            end as {{ type_decimal() }}
        ) as usage_capacity_ratio

    from capacity_bound

),

segment_medians as (

    select
        segment,
        percentile_cont(0.5) within group (order by current_arr_usd) as median_arr_usd

    from as_of_points
    group by segment

),

final as (

    select
        evaluation_points.account_id,
        evaluation_points.as_of_date,
        cast(evaluation_points.evaluation_role as {{ dbt.type_string() }}) as evaluation_role,
        evaluation_points.segment,
        evaluation_points.account_name,
        evaluation_points.csm_owner,
        evaluation_points.ae_owner,
        evaluation_points.onboarded_date,
        evaluation_points.current_arr_usd,
        cast(segment_medians.median_arr_usd as decimal(18, 2)) as segment_median_arr_usd,
        cast(
            evaluation_points.current_arr_usd / nullif(segment_medians.median_arr_usd, 0)
            as {{ type_decimal() }}
        ) as arr_to_segment_median_ratio,
        coalesce(product_usage.has_usage_row, false) as has_usage_on_as_of_date,
        product_usage.active_users,
        product_usage.paid_seats,
        product_usage.users_to_date,
        product_usage.core_tier_rank,
        product_usage.active_user_seat_ratio,
        product_usage.weekly_active_user_ratio,
        product_usage.core_feature_adoption_ratio,
        capacity.usage_capacity_ratio,
        cast(capacity.capacity_binding_dimension as {{ dbt.type_string() }})
            as capacity_binding_dimension,
        support.ticket_trend,
        support.latest_csat_score,
        relationship.latest_nps_score,
        coalesce(relationship.contacts_present, 0) as contacts_present,
        coalesce(relationship.has_exec_sponsor, false) as has_exec_sponsor,
        activity_signals.days_since_last_qbr,
        coalesce(activity_signals.positive_outcomes, 0) as positive_outcomes,
        coalesce(feature_requests.feature_requests, 0)
        + coalesce(activity_product_tags.unmet_need_tags, 0) as unowned_product_requests,
        coalesce(activity_product_tags.new_initiatives, 0) as new_initiatives,
        promoter_nps.best_recent_nps_score,
        {{ dbt.datediff(
            'evaluation_points.as_of_date', 'renewals.next_renewal_date', 'day'
        ) }} as days_to_renewal,
        coalesce(unowned_module_counts.modules_not_owned, 0) as modules_not_owned,
        firmographic_growth.employee_count,
        firmographic_growth.open_roles,
        firmographic_growth.last_funding_date,
        coalesce(funding_windows.funding_recent_until > evaluation_points.as_of_date, false)
            as has_funding_in_last_year,
        cast(
            (firmographic_growth.employee_count - firmographic_growth.employee_count_year_ago)
            / nullif(cast(firmographic_growth.employee_count_year_ago as {{ type_decimal() }}), 0)
            as {{ type_decimal() }}
        ) as employee_growth_yoy,
        current_purchases.purchase_date,
        firmographic_growth.employee_count - firmographic_growth.employee_count_at_purchase
            as employees_added_since_purchase,
        cast(
            (firmographic_growth.employee_count - firmographic_growth.employee_count_at_purchase)
            / nullif(
                cast(firmographic_growth.employee_count_at_purchase as {{ type_decimal() }}), 0
            )
            as {{ type_decimal() }}
        ) as employee_growth_since_purchase,
        coalesce(departments_since_purchase.departments_now, 0)
        - coalesce(departments_since_purchase.departments_at_purchase, 0)
            as departments_added_since_purchase

    from evaluation_points
    left join segment_medians
        on evaluation_points.segment = segment_medians.segment
    left join product_usage
        on
            evaluation_points.account_id = product_usage.account_id
            and evaluation_points.as_of_date = product_usage.usage_date
    left join capacity
        on
            evaluation_points.account_id = capacity.account_id
            and evaluation_points.as_of_date = capacity.usage_date
    left join support
        on
            evaluation_points.account_id = support.account_id
            and evaluation_points.as_of_date = support.usage_date
    left join relationship
        on
            evaluation_points.account_id = relationship.account_id
            and evaluation_points.as_of_date = relationship.usage_date
    left join activity_signals
        on
            evaluation_points.account_id = activity_signals.account_id
            and evaluation_points.as_of_date = activity_signals.as_of_date
    left join activity_product_tags
        on
            evaluation_points.account_id = activity_product_tags.account_id
            and evaluation_points.as_of_date = activity_product_tags.as_of_date
    left join feature_requests
        on
            evaluation_points.account_id = feature_requests.account_id
            and evaluation_points.as_of_date = feature_requests.as_of_date
    left join promoter_nps
        on
            evaluation_points.account_id = promoter_nps.account_id
            and evaluation_points.as_of_date = promoter_nps.as_of_date
    left join renewals
        on
            evaluation_points.account_id = renewals.account_id
            and evaluation_points.as_of_date = renewals.as_of_date
    left join unowned_module_counts
        on
            evaluation_points.account_id = unowned_module_counts.account_id
            and evaluation_points.as_of_date = unowned_module_counts.as_of_date
    left join firmographic_growth
        on
            evaluation_points.account_id = firmographic_growth.account_id
            and evaluation_points.as_of_date = firmographic_growth.as_of_date
    left join funding_windows
        on
            evaluation_points.account_id = funding_windows.account_id
            and evaluation_points.as_of_date = funding_windows.as_of_date
    left join departments_since_purchase
        on
            evaluation_points.account_id = departments_since_purchase.account_id
            and evaluation_points.as_of_date = departments_since_purchase.as_of_date
    left join current_purchases
        on
            evaluation_points.account_id = current_purchases.account_id
            and evaluation_points.as_of_date = current_purchases.as_of_date

)

select * from final
