select *
from facts
where year is not distinct from $year;
