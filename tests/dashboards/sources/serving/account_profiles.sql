select * from marts.account_profiles
