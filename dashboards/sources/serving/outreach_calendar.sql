select * from marts.outreach_calendar
