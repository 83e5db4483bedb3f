select * from marts.arr_movements
