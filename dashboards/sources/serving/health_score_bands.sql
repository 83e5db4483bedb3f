select * from marts.health_score_bands
