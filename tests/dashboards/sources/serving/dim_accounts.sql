select * from marts.dim_accounts
