select * from marts.alerts_outbox
