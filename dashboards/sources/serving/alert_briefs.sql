select * from marts.alert_briefs
