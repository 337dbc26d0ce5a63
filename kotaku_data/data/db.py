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

from .. import config
from .schema import TABLES

REFERENCE_VIEWS = {
    "provinsi": "provinsi.csv",
    "kabkota": "kabkota.csv",
    "desa_ref": "desa.parquet",
}
# columns the queries read from each reference table: a file without them is reported as damaged, not left to
# fail later with a binder error in the middle of a page
REFERENCE_COLUMNS = {
    "provinsi": ("kode_prov", "nama_prov", "nama_prov_en"),
    "kabkota": ("kode_kabkota", "kode_prov", "nama_kabkota"),
    "desa_ref": ("kode_desa",),
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


# the two large tables stay views over their Parquet files (read in full only to build the cubes); the others
# are loaded into memory
LARGE_TABLES = {"akses_layanan", "luas_kumuh_tahunan"}
OPTIONAL_DEFAULTS = {"skor_kumuh": "CAST(NULL AS DOUBLE)", "tingkat_kumuh": "CAST(NULL AS VARCHAR)",
                     "jenis_desa": "CAST(NULL AS VARCHAR)", "sintetis": "FALSE"}
DIMENSIONS = "l.kode_prov, l.kode_kabkota, l.tipe_lokasi, l.sumber_dana, l.tingkat_kumuh_awal"
# Pre-aggregated per kabupaten/kota and filter dimensions: national, province and kabupaten/kota questions
# read these small tables instead of scanning every location (see README, Performance). Slum scores are kept as
# sums and counts of the non-empty values, so an average over any selection is sum / count. Built when a data set
# is opened (0.1 s for the bundled set, 1 s at 20 times its size).
CUBES = {
    "luas_cube": (
        f"SELECT {DIMENSIONS}, y.tahun, count(*) AS lokasi, "
        "count(*) FILTER (WHERE l.tipe_lokasi = 'peningkatan') AS lokasi_peningkatan, "
        "sum(l.luas_kumuh_awal_ha) AS luas_awal_ha, sum(y.luas_kumuh_ha) AS luas_kumuh_ha, "
        "sum(l.skor_kumuh_awal) AS skor_awal_jumlah, count(l.skor_kumuh_awal) AS skor_awal_n, "
        "sum(y.skor_kumuh) AS skor_jumlah, count(y.skor_kumuh) AS skor_n "
        "FROM luas_kumuh_tahunan y JOIN lokasi l USING (kode_desa) GROUP BY ALL ORDER BY ALL"
    ),
    "akses_cube": (
        f"SELECT {DIMENSIONS}, a.tahun, a.layanan, CAST(sum(a.kk_total) AS BIGINT) AS kk_total, "
        "CAST(sum(a.kk_terlayani) AS BIGINT) AS kk_terlayani "
        "FROM akses_layanan a JOIN lokasi l USING (kode_desa) GROUP BY ALL ORDER BY ALL"
    ),
}


def _create(con: duckdb.DuckDBPyConnection, name: str, source: str, table: bool) -> None:
    kind = "TABLE" if table else "VIEW"
    con.execute(f"CREATE {kind} {name} AS SELECT * FROM {source}")


def _check_columns(con: duckdb.DuckDBPyConnection, name: str, path: Path, required) -> None:
    """DataError naming the file if the table/view `name` lacks one of the `required` columns."""
    have = {r[0] for r in con.execute(f"DESCRIBE {name}").fetchall()}
    missing = [c for c in required if c not in have]
    if missing:
        raise DataError(path, "missing column(s): " + ", ".join(missing))


def connect(data_dir: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with every programme and reference table, plus the pre-aggregated cubes.

    A missing or corrupt file raises DataError naming it, so the app can say which file and how to fix it.
    """
    con = duckdb.connect(":memory:", config={"threads": 2})
    for table in TABLES.values():
        path = data_dir / "program" / table.file
        if not path.exists():
            raise DataError(path, "file is missing")
        try:
            cols = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet({_literal(path)})").fetchall()}
            extra = "".join(f", {expr} AS {c}" for c, expr in OPTIONAL_DEFAULTS.items()
                            if c in {col.name for col in table.columns} and c not in cols)
            _create(con, table.name, f"(SELECT *{extra} FROM read_parquet({_literal(path)}))",
                    table.name not in LARGE_TABLES)
        except duckdb.Error as exc:
            raise DataError(path, str(exc).splitlines()[0]) from exc
        _check_columns(con, table.name, path, table.required)
    for view, name in REFERENCE_VIEWS.items():
        path = data_dir / "reference" / name
        if not path.exists():
            raise DataError(path, "file is missing")
        reader = "read_parquet" if path.suffix == ".parquet" else "read_csv"
        opts = "" if path.suffix == ".parquet" else ", all_varchar = true, header = true"
        try:
            _create(con, view, f"{reader}({_literal(path)}{opts})", True)
        except duckdb.Error as exc:
            raise DataError(path, str(exc).splitlines()[0]) from exc
        _check_columns(con, view, path, REFERENCE_COLUMNS.get(view, ()))
    for name, sql in CUBES.items():
        try:
            con.execute(f"CREATE TABLE {name} AS {sql}")
        except duckdb.Error as exc:
            raise DataError(data_dir / "program", str(exc).splitlines()[0]) from exc
    return con


class Database:
    """A connection to one data directory, opened once and shared by all threads through cursors."""

    def __init__(self, data_dir: Path | None = None):
        self.data_dir = Path(data_dir or config.data_dir())
        self._con = connect(self.data_dir)
        self._lock = threading.Lock()

    def query(self, sql: str, params: list | dict | None = None) -> pd.DataFrame:
        """Run SQL with bound parameters (`?` or `$name`) on a fresh cursor; returns a DataFrame.

        A data file read at query time (the large tables stay views over their Parquet file) that has gone
        missing or been damaged since the connection was opened raises DataError naming it.
        """
        return self._run(sql, params, duckdb.DuckDBPyConnection.df)

    def fetchall(self, sql: str, params: list | dict | None = None) -> list[tuple]:
        """Like query(), the rows as tuples of Python values (for a few rows, cheaper than a DataFrame)."""
        return self._run(sql, params, duckdb.DuckDBPyConnection.fetchall)

    def _run(self, sql: str, params: list | dict | None, fetch):
        with self._lock:
            cur = self._con.cursor()
        try:
            return fetch(cur.execute(sql, params or []))
        except (duckdb.IOException, duckdb.InvalidInputException) as exc:
            path = self._file_in(str(exc))
            if path is None:
                raise
            raise DataError(path, str(exc).splitlines()[0]) from exc
        finally:
            cur.close()

    def _file_in(self, message: str) -> Path | None:
        """The data file a DuckDB error message is about, if it is one of the files read at query time."""
        for name in LARGE_TABLES:
            path = self.data_dir / "program" / TABLES[name].file
            if str(path) in message:
                return path
        return None

    def close(self) -> None:
        self._con.close()
