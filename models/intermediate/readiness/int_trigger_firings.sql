-- The scorecard's view of the trigger library: one row per firing (see trigger_firings).
with firings as (
    select * from {{ ref('trigger_firings') }}
)

select
    account_id,
    trigger_id,
    fired_on,
    signal_value,
    threshold_value
from firings
