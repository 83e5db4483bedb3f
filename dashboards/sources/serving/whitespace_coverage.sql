select * from marts.whitespace_coverage
