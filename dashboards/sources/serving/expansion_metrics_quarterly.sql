select * from marts.expansion_metrics_quarterly
