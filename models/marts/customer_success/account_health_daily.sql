-- Published health history: int_account_health_daily (computed there, incrementally),
-- as a view on DuckDB - the warehouse keeps one copy of the history. A table on
-- Spark: the nightly job reads Spark's marts as Parquet folders (expansion/spark_marts.py),
-- and a view has none.
{{ config(materialized='table' if target.type == 'spark' else 'view') }}

-- columns named: on Spark the date column, a partition of the table, comes last
select
    account_id,
    score_date,
    health_score,
    health_band,
    scored_weight,
    has_missing_components,
    missing_components,
    usage_vs_seats_score,
    engagement_trend_score,
    feature_adoption_score,
    nps_score,
    csat_score,
    support_load_score,
    ticket_trend_score,
    relationship_score,
    days_since_last_touch_score,
    active_user_seat_ratio,
    events_per_day_30d_vs_prior,
    core_feature_adoption_ratio,
    latest_nps_score,
    latest_csat_score,
    open_tickets,
    tickets_opened_30d,
    tickets_opened_prior_30d,
    champion_and_exec_sponsor_present,
    days_since_last_touch
from {{ ref('int_account_health_daily') }}
