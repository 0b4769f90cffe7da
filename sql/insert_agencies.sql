-- Bodies not in the table (new, or deleted above because their row changed).
insert into agencies by name
select * from staged_agencies
where agency_id not in (select agency_id from agencies)
order by agency_id;
