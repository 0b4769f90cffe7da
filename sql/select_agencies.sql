-- The bodies written by the last linking, with their descriptions (reused when relinking).
select agency_id, name, level, government_level, region, region_path
from agencies;
