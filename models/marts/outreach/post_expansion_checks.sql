{#-
    check_type
      - seats: the peak of weekly active users over the peak_usage_window_days
        up to the check date - people against seats bought, like with
        like - against the paid seats before the expansion (the last day
        before expansion_date) and after it (the first day on or after it);
      - capacity: the same with the pack's dimension - the peak of events_30d
        against the monthly events limit, else of storage, integrations or
        environments against their limits;
      - feature_adoption: distinct features the product unlocks
        (features.unlocking_product_id) used in the feature_window_days up to
        the check date.
    did_stick: seats / capacity - the share of the added capacity in use,
    (peak used - before) / (after - before). False when the account reported
    no usage in the usage_lookback_days up to the check date. Null (not
    checked) when the usage history does not reach back to the expansion (no
    day on record in the lookback before it), or the product unlocks no
    feature.
-#}
with

expansions as (

    select * from {{ ref('int_expansions_identified') }}

),

usage_daily as (

    select * from {{ ref('int_product_usage_account_daily') }}

),

feature_usage as (

    select * from {{ ref('int_feature_usage_account_feature_daily') }}

),

features as (

    select * from {{ ref('stg_product__features') }}

),

products as (

    select * from {{ ref('stg_billing__products') }}

),

check_rules as (

    select * from {{ ref('post_expansion_check_rules') }}

),

settings as (

    select * from {{ ref('post_expansion_check_settings') }}

),

alert_policy as (

    select * from {{ ref('alert_policy') }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

due_expansions as (

    select
        expansions.*,
        check_rules.check_type,
        case
            when check_rules.check_type = 'seats' then 'seats'
            when check_rules.check_type <> 'capacity' then null
            when products.limit_events_monthly is not null then 'events'
            when products.limit_storage_gb is not null then 'storage'
            when products.limit_integrations is not null then 'integrations'
            when products.limit_environments is not null then 'environments'
        end as capacity_dimension,
        as_of.as_of_date,
        cast({{ dbt.dateadd(
            'day', 'alert_policy.post_expansion_check_days', 'expansions.expansion_date'
        ) }} as date) as check_date

    from expansions
    inner join check_rules
        on
            expansions.expansion_motion = check_rules.expansion_motion
            and expansions.product_family = check_rules.product_family
    inner join products
        on expansions.product_id = products.product_id
    cross join alert_policy
    cross join as_of
    where
        check_rules.check_type <> 'none'
        and {{ dbt.datediff('expansions.expansion_date', 'as_of.as_of_date', 'day') }}
        >= alert_policy.post_expansion_check_days

),

usage_measured as (

    -- the capacity and its use per dimension, one row per account and day
    select
        account_id,
        usage_date,
        has_usage_row,
        cast(active_users as {{ type_decimal() }}) as seats_used,
        cast(paid_seats as {{ type_decimal() }}) as seats_capacity,
        cast(events_30d as {{ type_decimal() }}) as events_used,
        cast(limit_events_monthly as {{ type_decimal() }}) as events_capacity,
        cast(storage_gb as {{ type_decimal() }}) as storage_used,
        cast(limit_storage_gb as {{ type_decimal() }}) as storage_capacity,
        cast(integrations_connected as {{ type_decimal() }}) as integrations_used,
        cast(limit_integrations as {{ type_decimal() }}) as integrations_capacity,
        cast(environments as {{ type_decimal() }}) as environments_used,
        cast(limit_environments as {{ type_decimal() }}) as environments_capacity

    from usage_daily

),

usage_in_windows as (

    -- usage rows in the lookback before the expansion, from the expansion
    -- day on, and up to the check date (never after it)
    select
        due_expansions.expansion_id,
        due_expansions.capacity_dimension,
        usage_measured.usage_date,
        usage_measured.has_usage_row,
        {{ dbt.datediff('usage_measured.usage_date', 'due_expansions.check_date', 'day') }}
        < settings.peak_usage_window_days as is_in_peak_window,
        case
            when usage_measured.usage_date < due_expansions.expansion_date then 'before'
            when {{ dbt.datediff('usage_measured.usage_date', 'due_expansions.check_date', 'day') }}
                < settings.usage_lookback_days then 'at_check'
            else 'after'
        end as window_name,
        case due_expansions.capacity_dimension
            when 'seats' then usage_measured.seats_used
            when 'events' then usage_measured.events_used
            when 'storage' then usage_measured.storage_used
            when 'integrations' then usage_measured.integrations_used
            when 'environments' then usage_measured.environments_used
        end as used_amount,
        case due_expansions.capacity_dimension
            when 'seats' then usage_measured.seats_capacity
            when 'events' then usage_measured.events_capacity
            when 'storage' then usage_measured.storage_capacity
            when 'integrations' then usage_measured.integrations_capacity
            when 'environments' then usage_measured.environments_capacity
        end as capacity_amount

    from due_expansions
    cross join settings
    inner join usage_measured
        on
            due_expansions.account_id = usage_measured.account_id
            and due_expansions.check_date >= usage_measured.usage_date
            and {{ dbt.datediff(
                'usage_measured.usage_date', 'due_expansions.expansion_date', 'day'
            ) }} <= settings.usage_lookback_days

),

usage_ranked as (

    select
        *,
        row_number() over (
            partition by expansion_id, window_name
            order by
                case when window_name = 'after' then usage_date end asc nulls last,
                usage_date desc
        ) as window_rank

    from usage_in_windows

),

usage_picked as (

    -- before: the last day before the expansion; after: the first day on or
    -- after it; at_check: the last day in the lookback up to the check date
    select
        expansion_id,
        max(case when window_name = 'before' then 1 else 0 end) as has_usage_before,
        max(case when window_name = 'before' then capacity_amount end) as capacity_before,
        max(case when window_name = 'after' then capacity_amount end) as capacity_after_first_row,
        max(case when window_name = 'at_check' then capacity_amount end) as capacity_at_check

    from usage_ranked
    where window_rank = 1
    group by expansion_id

),

usage_peaks as (

    -- the most used on any day of the peak window up to the check date, and
    -- whether any usage was reported in the lookback up to it
    select
        expansion_id,
        max(case when is_in_peak_window then used_amount end) as used_at_check,
        max(
            case when window_name = 'at_check' and has_usage_row then 1 else 0 end
        ) as has_usage_at_check

    from usage_in_windows
    group by expansion_id

),

product_features as (

    select
        unlocking_product_id as product_id,
        count(*) as product_feature_count

    from features
    where unlocking_product_id is not null
    group by unlocking_product_id

),

features_used as (

    select
        due_expansions.expansion_id,
        count(distinct feature_usage.feature_id) as features_adopted

    from due_expansions
    cross join settings
    inner join feature_usage
        on
            due_expansions.account_id = feature_usage.account_id
            and due_expansions.product_id = feature_usage.unlocking_product_id
            and due_expansions.check_date >= feature_usage.usage_date
            and {{ dbt.datediff('feature_usage.usage_date', 'due_expansions.check_date', 'day') }}
            < settings.feature_window_days
    where due_expansions.check_type = 'feature_adoption'
    group by due_expansions.expansion_id

),

measured as (

    select
        due_expansions.*,
        coalesce(usage_picked.has_usage_before, 0) = 1 as has_usage_before,
        coalesce(usage_peaks.has_usage_at_check, 0) = 1 as has_usage_at_check,
        usage_picked.capacity_before,
        -- a second expansion before the first usage row after this one
        -- would not be this one's: fall back on the check date's capacity
        coalesce(
            usage_picked.capacity_after_first_row, usage_picked.capacity_at_check
        ) as capacity_after,
        usage_peaks.used_at_check,
        coalesce(features_used.features_adopted, 0) as features_adopted,
        coalesce(product_features.product_feature_count, 0) as product_feature_count,
        settings.min_new_capacity_used_share,
        settings.min_features_adopted,
        settings.usage_lookback_days,
        settings.peak_usage_window_days,
        settings.feature_window_days

    from due_expansions
    cross join settings
    left join usage_picked
        on due_expansions.expansion_id = usage_picked.expansion_id
    left join usage_peaks
        on due_expansions.expansion_id = usage_peaks.expansion_id
    left join features_used
        on due_expansions.expansion_id = features_used.expansion_id
    left join product_features
        on due_expansions.product_id = product_features.product_id

),

shares_computed as (

    select
        *,
        case
            when check_type in ('seats', 'capacity')
                and capacity_after > coalesce(capacity_before, 0)
                then cast(
                        (used_at_check - coalesce(capacity_before, 0))
                        / (capacity_after - coalesce(capacity_before, 0))
                        as {{ type_decimal() }}
                    )
        end as raw_new_capacity_used_share

    from measured

),

statuses_decided as (

    select
        *,
        case
            when raw_new_capacity_used_share < 0 then cast(0 as {{ type_decimal() }})
            when raw_new_capacity_used_share > 1 then cast(1 as {{ type_decimal() }})
            else raw_new_capacity_used_share
        end as new_capacity_used_share,
        case
            when check_type = 'feature_adoption' and product_feature_count = 0
                then 'not_checked_no_features'
            when not has_usage_before then 'not_checked_no_history'
            when not has_usage_at_check then 'no_usage_at_check'
            when check_type = 'feature_adoption' then 'checked'
            when capacity_after is null or capacity_after <= coalesce(capacity_before, 0)
                then 'not_checked_no_capacity_change'
            else 'checked'
        end as check_status

    from shares_computed

),

outcomes as (

    select
        *,
        case
            when check_status = 'no_usage_at_check' then false
            when check_status <> 'checked' then null
            when check_type = 'feature_adoption' then features_adopted >= min_features_adopted
            else raw_new_capacity_used_share >= min_new_capacity_used_share
        end as did_stick

    from statuses_decided

),

reasons_written as (

    select
        *,
        case
            when check_status = 'not_checked_no_features'
                then 'Not checked: the product unlocks no feature in the catalogue'
            when check_status = 'not_checked_no_history'
                then 'Not checked: the usage history does not reach back to the expansion'
            when check_status = 'not_checked_no_capacity_change'
                then 'Not checked: the paid capacity did not grow in the usage data'
            when check_status = 'no_usage_at_check'
                then {{ dbt.concat([
                    "'No product usage in the '",
                    "cast(usage_lookback_days as " ~ dbt.type_string() ~ ")",
                    "' days up to the check date'",
                ]) }}
            when did_stick then null
            when check_type = 'feature_adoption'
                then {{ dbt.concat([
                    "cast(features_adopted as " ~ dbt.type_string() ~ ")",
                    "' of the '",
                    "cast(product_feature_count as " ~ dbt.type_string() ~ ")",
                    "' features of '", "product_id", "' used in the '",
                    "cast(feature_window_days as " ~ dbt.type_string() ~ ")",
                    "' days to the check date (needs '",
                    "cast(min_features_adopted as " ~ dbt.type_string() ~ ")",
                    "')'",
                ]) }}
            else {{ dbt.concat([
                "'New '", "capacity_dimension", "' unused: '",
                "cast(cast(round(used_at_check, 0) as " ~ dbt.type_bigint() ~ ") as " ~ dbt.type_string() ~ ")",
                "' at its peak in the '",
                "cast(peak_usage_window_days as " ~ dbt.type_string() ~ ")",
                "' days to the check date against '",
                "cast(cast(round(capacity_before, 0) as " ~ dbt.type_bigint() ~ ") as " ~ dbt.type_string() ~ ")",
                "' before and '",
                "cast(cast(round(capacity_after, 0) as " ~ dbt.type_bigint() ~ ") as " ~ dbt.type_string() ~ ")",
                "' after the expansion: '",
                "cast(cast(round(100 * new_capacity_used_share, 0) as int) as " ~ dbt.type_string() ~ ")",
                "'% of the added '", "capacity_dimension", "' in use (needs '",
                "cast(cast(round(100 * min_new_capacity_used_share, 0) as int) as " ~ dbt.type_string() ~ ")",
                "'%)'",
            ]) }}
        end as reason

    from outcomes

),

final as (

    select
        cast(expansion_id as {{ dbt.type_string() }}) as expansion_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(product_id as {{ dbt.type_string() }}) as product_id,
        cast(product_family as {{ dbt.type_string() }}) as product_family,
        cast(expansion_motion as {{ dbt.type_string() }}) as expansion_motion,
        cast(opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
        cast(opportunity_motion as {{ dbt.type_string() }}) as opportunity_motion,
        cast(expansion_source as {{ dbt.type_string() }}) as expansion_source,
        expansion_date,
        check_date,
        cast(check_type as {{ dbt.type_string() }}) as check_type,
        cast(capacity_dimension as {{ dbt.type_string() }}) as capacity_dimension,
        cast(capacity_before as {{ type_decimal() }}) as capacity_before,
        cast(capacity_after as {{ type_decimal() }}) as capacity_after,
        cast(used_at_check as {{ type_decimal() }}) as used_at_check,
        new_capacity_used_share,
        cast(features_adopted as int) as features_adopted,
        cast(product_feature_count as int) as product_feature_count,
        cast(check_status as {{ dbt.type_string() }}) as check_status,
        did_stick,
        cast(reason as {{ dbt.type_string() }}) as reason,
        as_of_date

    from reasons_written

)

select * from final
