"""Finding report files in the raw dir."""
