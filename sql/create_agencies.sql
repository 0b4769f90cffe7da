-- One row per issuing body (pipeline/agencies.py): the same body's reports across years share
-- agency_id however its name is spelt. level: ministry, province, prefecture, county, township
-- (a government itself) or department (a body of a government at government_level); unknown
-- when the name gives no administrative unit. region_path: the units the name gives, ' › '
-- between them (平潭综合实验区 › 金井片区); region: the first of them.
create table if not exists agencies (
    agency_id varchar primary key,
    name varchar not null,
    level varchar not null,
    government_level varchar,
    region varchar,
    region_path varchar
);
