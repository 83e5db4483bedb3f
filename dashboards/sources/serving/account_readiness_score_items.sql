select * from marts.account_readiness_score_items
