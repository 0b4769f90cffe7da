-- A check chunk's in-memory database, used again for the next chunk: its context emptied.
delete from agencies;
