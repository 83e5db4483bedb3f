-- The scorecard never pushes expansion on an account that is not ready: a
-- real motion is recommended exactly when the account passed its gate and no
-- risk suppression holds (otherwise "not ready: ..." or "on hold: ...").
with

scorecard as (

    select * from {{ ref('expansion_scorecard') }}

),

motions as (

    select motion from {{ ref('motion_uplift_ranges') }}

)

select
    scorecard.account_id,
    scorecard.is_expansion_eligible,
    scorecard.recommended_motion

from scorecard
left join motions
    on scorecard.recommended_motion = motions.motion
where
    (scorecard.is_expansion_eligible and motions.motion is null)
    or (not scorecard.is_expansion_eligible and motions.motion is not null)
