select * from marts.trigger_outreach_sla
