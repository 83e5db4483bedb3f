select * from marts.expansion_scorecard
