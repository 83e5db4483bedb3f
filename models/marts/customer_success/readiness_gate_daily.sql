-- Published readiness gate history: int_readiness_gate_daily (computed there,
-- incrementally), as a view on DuckDB - the warehouse keeps one copy of the history.
-- A table on Spark: the nightly job reads Spark's marts as Parquet folders
-- (expansion/spark_marts.py), and a view has none.
{{ config(materialized='table' if target.type == 'spark' else 'view') }}

-- columns named: on Spark the date column, a partition of the table, comes last
select
    account_id,
    as_of_date,
    segment,
    is_gate_passed,
    failed_criteria,
    failed_criteria_count,
    passes_days_since_onboarding,
    passes_core_features_adopted,
    passes_departments,
    passes_health_score,
    passes_active_user_seat_ratio,
    passes_ticket_trend,
    passes_nps,
    passes_exec_sponsor,
    is_low_csat,
    has_too_many_open_tickets,
    has_champion_left_recently,
    has_recent_price_increase,
    has_outreach_fatigue,
    is_suppressed,
    suppressions,
    is_expansion_eligible,
    days_since_onboarding,
    core_features_used_30d,
    departments_active_30d,
    health_score,
    active_user_seat_ratio,
    ticket_trend,
    latest_nps_score,
    has_exec_sponsor,
    latest_csat_score,
    open_tickets,
    days_since_champion_departure,
    latest_price_increase_date,
    expansion_outreaches_qtd
from {{ ref('int_readiness_gate_daily') }}
