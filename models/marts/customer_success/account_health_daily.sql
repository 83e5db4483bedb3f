-- Published health history: int_account_health_daily (computed there, incrementally),
-- as a view - the warehouse keeps one copy of the history.
{{ config(materialized='view') }}

select * from {{ ref('int_account_health_daily') }}
