select * from marts.account_briefs
