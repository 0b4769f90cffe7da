-- The facts a chunk's context holds, and the cells its reports have (they differ when some of
-- the reports' facts were not where the queue found them).
select
    (select count(*) from facts) as facts,
    (select coalesce(sum(n_cells), 0) from reports) as cells;
