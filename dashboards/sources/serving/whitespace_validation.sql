select * from marts.whitespace_validation
