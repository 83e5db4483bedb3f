select * from marts.post_expansion_checks
