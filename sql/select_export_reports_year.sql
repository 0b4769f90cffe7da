select *
from reports
where year is not distinct from $year;
