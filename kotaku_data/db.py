"""One DuckDB connection per data directory, with views over the Parquet files; bound parameters only.

DuckDB connections are not safe to share across threads, but cursors are: `query()` opens a cursor per call,
so Streamlit's script threads can query concurrently. Views (not registered pandas frames) are used because
a registered frame is invisible to a connection's cursors.
"""
from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pandas as pd

from . import config
from .schema import TABLES

REFERENCE_VIEWS = {
    "provinsi": "provinsi.csv",
    "kabkota": "kabkota.csv",
    "desa_ref": "desa.parquet",
}


class DataError(RuntimeError):
    """A data file is missing or unreadable; carries the path so the app can say which one."""

    def __init__(self, path: Path, detail: str):
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.detail = detail


def _literal(path: Path) -> str:
    # Paths are ours (the data directory), not user input; DuckDB cannot bind a parameter in DDL.
    return "'" + str(path).replace("'", "''") + "'"


def connect(data_dir: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with a view per programme table and per reference table."""
    con = duckdb.connect(":memory:", config={"threads": 2})
    for table in TABLES.values():
        path = data_dir / "program" / table.file
        if not path.exists():
            raise DataError(path, "file is missing")
        con.execute(f"CREATE VIEW {table.name} AS SELECT * FROM read_parquet({_literal(path)})")
    for view, name in REFERENCE_VIEWS.items():
        path = data_dir / "reference" / name
        if not path.exists():
            raise DataError(path, "file is missing")
        reader = "read_parquet" if path.suffix == ".parquet" else "read_csv_auto"
        opts = "" if path.suffix == ".parquet" else ", all_varchar = true, header = true"
        con.execute(f"CREATE VIEW {view} AS SELECT * FROM {reader}({_literal(path)}{opts})")
    # touch every view once so a corrupt file fails here, with its name, not in the middle of a page
    for view in [*TABLES, *REFERENCE_VIEWS]:
        try:
            con.execute(f"SELECT * FROM {view} LIMIT 1").fetchall()
        except duckdb.Error as exc:
            file = TABLES[view].file if view in TABLES else REFERENCE_VIEWS[view]
            raise DataError(data_dir / ("program" if view in TABLES else "reference") / file, str(exc)) from exc
    return con


class Database:
    """A connection to one data directory, opened once and shared by all threads through cursors."""

    def __init__(self, data_dir: Path | None = None):
        self.data_dir = Path(data_dir or config.data_dir())
        self._con = connect(self.data_dir)
        self._lock = threading.Lock()

    def query(self, sql: str, params: list | dict | None = None) -> pd.DataFrame:
        """Run SQL with bound parameters (`?` or `$name`) on a fresh cursor; returns a DataFrame."""
        with self._lock:
            cur = self._con.cursor()
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    def close(self) -> None:
        self._con.close()
