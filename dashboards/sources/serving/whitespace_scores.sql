select * from marts.whitespace_scores
