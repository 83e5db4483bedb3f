select * from marts.outreach_holds
