-- Published readiness gate history: int_readiness_gate_daily (computed there,
-- incrementally), as a view - the warehouse keeps one copy of the history.
{{ config(materialized='view') }}

select * from {{ ref('int_readiness_gate_daily') }}
