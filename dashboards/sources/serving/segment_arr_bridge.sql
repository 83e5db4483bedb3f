select * from marts.segment_arr_bridge
