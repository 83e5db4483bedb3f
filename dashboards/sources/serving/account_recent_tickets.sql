select * from marts.account_recent_tickets
