"""The data set on disk: its contract (schema.py) and the DuckDB connection over it (db.py)."""
