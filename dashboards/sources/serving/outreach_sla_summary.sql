select * from marts.outreach_sla_summary
