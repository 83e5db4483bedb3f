select * from marts.alert_candidates
