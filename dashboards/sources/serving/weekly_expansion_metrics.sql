select * from marts.weekly_expansion_metrics
