-- Everything written is in the database file itself (no write-ahead log left beside it).
checkpoint;
