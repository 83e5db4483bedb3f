select * from marts.account_readiness_scores
