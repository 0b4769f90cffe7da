-- The last chunk's context deleted from the in-memory database is freed, not held.
checkpoint check_scratch;
