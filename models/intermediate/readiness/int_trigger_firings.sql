-- The scorecard's view of the trigger library: one row per firing (see trigger_firings)
-- of a trigger that is not quarantined - a quarantined trigger's alerts are held, and so is
-- the motion it would recommend.
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
where not is_quarantined
