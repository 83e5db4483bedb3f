select * from marts.segment_nrr
