"""One function per dashboard question. Each takes a Database and a Filters and returns a tidy DataFrame.

Period semantics: for a year range (y0, y1) the starting point is the end of year y0 - 1 (or the 2015 baseline),
the end point is the end of y1; flows (spending) are summed over y0..y1. Location filters (province,
kabupaten/kota, location type, financier, baseline slum level) select desa/kelurahan; tables kept per
kabupaten/kota (Pokja PKP, satisfaction, spending) follow the province, kabupaten/kota and financier filters.
All user values are bound parameters; only fixed SQL fragments chosen from whitelists are concatenated.

Speed (see bench/README.md): national, province and kabupaten/kota questions read the pre-aggregated cubes of
db.py; what never changes while a Database is open (the region index and search index, place names, the
per-location yearly arrays of the kelurahan table) is built once per Database (`_memo`) and shared.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from . import config
from .data.db import Database
from .filters import Filters
from .targets import TARGETS, expected_progress, from_baseline, status

# level -> (code column on lokasi, name expression, join clause for names)
LEVELS = {
    "nasional": ("'ID'", "'Indonesia'", ""),
    "prov": ("l.kode_prov", "p.nama_prov", "JOIN provinsi p ON p.kode_prov = l.kode_prov"),
    "kab": ("l.kode_kabkota", "k.nama_kabkota", "JOIN kabkota k ON k.kode_kabkota = l.kode_kabkota"),
    "desa": ("l.kode_desa", "l.nama_desa", ""),
}
# the same for tables kept per kabupaten/kota (alias x)
KAB_LEVELS = {
    "nasional": ("'ID'", "'Indonesia'", ""),
    "prov": (
        "substr(x.kode_kabkota, 1, 2)",
        "p.nama_prov",
        "JOIN provinsi p ON p.kode_prov = substr(x.kode_kabkota, 1, 2)",
    ),
    "kab": ("x.kode_kabkota", "k.nama_kabkota", "JOIN kabkota k ON k.kode_kabkota = x.kode_kabkota"),
}


def _level(level: str, table: dict) -> tuple[str, str, str]:
    if level not in table:
        raise ValueError(f"unknown level {level!r}; expected one of {list(table)}")
    return table[level]


def location_where(f: Filters, alias: str = "l") -> tuple[str, list]:
    """WHERE clause over lokasi for the location filters, with its bound parameters."""
    clauses, params = ["TRUE"], []
    if f.prov:
        clauses.append(f"{alias}.kode_prov = ?")
        params.append(f.prov)
    if f.kab:
        clauses.append(f"{alias}.kode_kabkota = ?")
        params.append(f.kab)
    if f.tipe:
        clauses.append(f"{alias}.tipe_lokasi = ?")
        params.append(f.tipe)
    if f.dana:
        clauses.append(f"list_contains(?, {alias}.sumber_dana)")
        params.append(list(f.dana))
    if f.tingkat:
        clauses.append(f"list_contains(?, {alias}.tingkat_kumuh_awal)")
        params.append(list(f.tingkat))
    return " AND ".join(clauses), params


def kabkota_where(f: Filters, alias: str = "x", financier_col: str | None = None) -> tuple[str, list]:
    """WHERE clause for tables kept per kabupaten/kota; the financier filter selects kabupaten/kota whose
    locations it finances (or, for spending, the spending row's own financier column)."""
    clauses, params = ["TRUE"], []
    if f.prov:
        clauses.append(f"substr({alias}.kode_kabkota, 1, 2) = ?")
        params.append(f.prov)
    if f.kab:
        clauses.append(f"{alias}.kode_kabkota = ?")
        params.append(f.kab)
    if f.dana:
        if financier_col:
            clauses.append(f"list_contains(?, {alias}.{financier_col})")
        else:
            clauses.append(
                f"{alias}.kode_kabkota IN (SELECT kode_kabkota FROM lokasi WHERE list_contains(?, sumber_dana))"
            )
        params.append(list(f.dana))
    return " AND ".join(clauses), params


def _area_source(level: str) -> str:
    """Slum area per year: the pre-aggregated cube for national/province/kab-kota, per location for desa."""
    if level != "desa":
        return "luas_cube l"
    return (
        "(SELECT l.*, y.tahun, 1 AS lokasi, CAST(l.tipe_lokasi = 'peningkatan' AS INTEGER) AS lokasi_peningkatan, "
        "l.luas_kumuh_awal_ha AS luas_awal_ha, y.luas_kumuh_ha FROM luas_kumuh_tahunan y "
        "JOIN lokasi l USING (kode_desa)) l"
    )


def _bind(clause: str, params: list, tag: str) -> tuple[str, dict]:
    """A clause's positional placeholders turned into named ones ($<tag>_0, $<tag>_1, ...), with their values.

    Every SQL builder below names its parameters after its tag, so one statement can combine several questions
    (spending_by_region, profile_series, _rows_each, ...) without their parameters clashing."""
    parts = clause.split("?")
    text = "".join(part + (f"${tag}_{i}" if i < len(parts) - 1 else "") for i, part in enumerate(parts))
    return text, {f"{tag}_{i}": value for i, value in enumerate(params)}


def _ordered(query: tuple[str, dict]) -> tuple[str, dict]:
    """A query (SQL, parameters) with its rows sorted by all its columns. The SQL builders below (`_access`,
    `_pokja`, ...) leave their rows unordered: sorting costs almost a millisecond, wasted on the questions that
    combine them or read a few of their rows."""
    return f"{query[0]} ORDER BY ALL", query[1]


def _rows(db: Database, query: tuple[str, dict]) -> list[dict]:
    """The rows of a query (SQL, parameters) as dicts, for the questions that read a few numbers."""
    return _rows_each(db, [query])[0]


def _rows_each(db: Database, queries: list[tuple[str, dict]]) -> list[list[dict]]:
    """The rows of several queries (any columns, differently tagged parameters) from one statement: one list of
    rows (dicts) per query, in no particular order. A statement costs about 2 ms however small its tables, so
    the headline and the region profile ask their dozen small questions at once. Each query's rows travel as one
    JSON list (a UNION ALL of differently shaped rows needs one type; scalar subqueries side by side would be
    cross-joined, which DuckDB's join planner makes slow beyond a handful)."""
    if not queries:
        return []
    sql = " UNION ALL ".join(f"SELECT {i} AS q, to_json(list(t)) AS r FROM ({q}) t" for i, (q, _) in enumerate(queries))
    out: list[list[dict]] = [[] for _ in queries]
    for i, rows in db.fetchall(sql, {k: v for _, params in queries for k, v in params.items()}):
        out[i] = json.loads(rows) if rows is not None else []
    return out


def _row(rows: list[dict], **match) -> dict | None:
    """The first of `rows` with the given values (e.g. tahun=2024), None if there is none."""
    return next((r for r in rows if all(r[k] == v for k, v in match.items())), None)


def _num(row: dict | None, col: str, missing: float | None = None) -> float | None:
    """A number of a row as a float; `missing` when there is no row or the value is empty."""
    value = None if row is None else row[col]
    return missing if value is None or value != value else float(value)


_MEMO: weakref.WeakKeyDictionary[Database, dict[Any, Any]] = weakref.WeakKeyDictionary()
_MEMO_LOCK = threading.RLock()


def _memo(db: Database, key: Any, build: Callable[[Database], Any]) -> Any:
    """build(db), computed once per Database and kept as long as it is open (its data never changes).

    For constant lookups only; callers must not modify what they get (return a copy to outside callers).
    Built under a lock, so concurrent page runs build a large lookup once; forgotten with the Database.
    """
    with _MEMO_LOCK:
        slot = _MEMO.setdefault(db, {})
        if key not in slot:
            slot[key] = build(db)
        return slot[key]


# --- slum area ---------------------------------------------------------------------------------------------


def slum_area_by_year(db: Database, f: Filters, level: str = "nasional") -> pd.DataFrame:
    """Slum area at the end of each year of the period (plus its starting year), per place.

    Columns: kode, nama, tahun, luas_kumuh_ha, luas_awal_ha (2015 baseline), berkurang_ha (reduced since 2015).
    """
    return db.query(*_slum_series(f, level))


def _slum_series(f: Filters, level: str, tag: str = "s", desa: str | None = None) -> tuple[str, dict]:
    """SQL of slum_area_by_year (only the desa/kelurahan `desa` if given, at the desa level)."""
    code, name, join = _level(level, LEVELS)
    where, params = _bind(*location_where(f), tag)
    if desa is not None:
        where += f" AND l.kode_desa = ${tag}_desa"
        params[f"{tag}_desa"] = desa
    sql = (
        f"SELECT *, luas_awal_ha - luas_kumuh_ha AS berkurang_ha FROM (SELECT {code} AS kode, {name} AS nama, "
        "CAST(l.tahun AS BIGINT) AS tahun, sum(l.luas_kumuh_ha) AS luas_kumuh_ha, "
        f"sum(l.luas_awal_ha) AS luas_awal_ha FROM {_area_source(level)} {join} "
        f"WHERE {where} AND l.tahun BETWEEN ${tag}_start AND ${tag}_end GROUP BY ALL) ORDER BY kode, tahun"
    )
    return sql, {**params, f"{tag}_start": f.start_year, f"{tag}_end": f.end_year}


def slum_area_summary(db: Database, f: Filters, level: str = "prov") -> pd.DataFrame:
    """Per place: slum area at the start and end of the period, reduction, share reduced, locations, rank.

    Columns: kode, nama, lokasi, lokasi_peningkatan, luas_awal_ha (2015), luas_mulai_ha (start of period),
    luas_akhir_ha (end of period), berkurang_ha (during the period), berkurang_total_ha (since 2015),
    persen_berkurang (since 2015, % of baseline), peringkat (1 = largest share reduced).
    """
    sql, params = _area_summary(f, level)
    df = db.query(
        "SELECT *, CASE WHEN persen_berkurang IS NOT NULL THEN "
        f"rank() OVER (ORDER BY persen_berkurang DESC NULLS LAST) END AS peringkat FROM ({sql}) ORDER BY kode",
        params,
    )
    df["peringkat"] = df["peringkat"].astype("Int64")
    return df


def _area_summary(f: Filters, level: str, tag: str = "a", scores: bool = False) -> tuple[str, dict]:
    """SQL of slum_area_summary without its rank column, unordered. With `scores` (not at the desa level) also
    the average baseline and end-of-period slum score of the locations (skor_awal, skor_akhir), from the sums
    and counts of the cube."""
    code, name, join = _level(level, LEVELS)
    where, params = _bind(*location_where(f), tag)
    start, end = f"${tag}_start", f"${tag}_end"
    at_end = f"FILTER (WHERE l.tahun = {end})"
    score_columns = (
        f", sum(l.skor_awal_jumlah) {at_end} / nullif(sum(l.skor_awal_n) {at_end}, 0) AS skor_awal, "
        f"sum(l.skor_jumlah) {at_end} / nullif(sum(l.skor_n) {at_end}, 0) AS skor_akhir" if scores else ""
    )
    sql = (
        "SELECT *, luas_mulai_ha - luas_akhir_ha AS berkurang_ha, luas_awal_ha - luas_akhir_ha AS berkurang_total_ha, "
        "CASE WHEN luas_awal_ha > 0 THEN 100 * (luas_awal_ha - luas_akhir_ha) / luas_awal_ha END AS persen_berkurang "
        f"FROM (SELECT {code} AS kode, {name} AS nama, "
        f"CAST(sum(l.lokasi) FILTER (WHERE l.tahun = {end}) AS BIGINT) AS lokasi, "
        f"CAST(sum(l.lokasi_peningkatan) FILTER (WHERE l.tahun = {end}) AS BIGINT) AS lokasi_peningkatan, "
        f"sum(l.luas_awal_ha) FILTER (WHERE l.tahun = {end}) AS luas_awal_ha, "
        f"sum(l.luas_kumuh_ha) FILTER (WHERE l.tahun = {start}) AS luas_mulai_ha, "
        f"sum(l.luas_kumuh_ha) FILTER (WHERE l.tahun = {end}) AS luas_akhir_ha{score_columns} "
        f"FROM {_area_source(level)} {join} WHERE {where} AND l.tahun IN ({start}, {end}) GROUP BY ALL) "
        # the national level groups by constants only, so an empty selection still gives one row of NULLs: not kept
        "WHERE lokasi > 0"
    )
    return sql, {**params, f"{tag}_start": f.start_year, f"{tag}_end": f.end_year}


def kelurahan_table(db: Database, f: Filters) -> pd.DataFrame:
    """One row per desa/kelurahan in the selection: baseline, start, end, reduction, slum level.

    Locations with a value for both the start and the end year, sorted by reduction since 2015 (largest first,
    empty last), then code. Columns: KELURAHAN_COLUMNS.
    """
    y = _memo(db, "yearly", _yearly)
    where, params = location_where(f)
    pos = y.row_of[db.query(f"SELECT l.rowid AS rid FROM lokasi l WHERE {where}", params)["rid"].to_numpy()]
    start, end = y.column.get(f.start_year), y.column.get(f.end_year)
    pos = pos[pos >= 0] if start is not None and end is not None else pos[:0]
    if len(pos):
        pos = pos[y.present[pos, start] & y.present[pos, end]]
    base = y.rows["luas_awal_ha"].to_numpy()
    pos = pos[np.lexsort((pos, -(base[pos] - _at(y.luas, pos, end))))]  # reduction descending, then code
    out = y.rows.iloc[pos].reset_index(drop=True)
    out["luas_mulai_ha"] = _at(y.luas, pos, start)
    out["luas_akhir_ha"] = _at(y.luas, pos, end)
    out["berkurang_total_ha"] = out["luas_awal_ha"] - out["luas_akhir_ha"]
    out["skor_kumuh_akhir"] = _at(y.skor, pos, end)
    out["tingkat_kumuh_akhir"] = y.levels[_at(y.tingkat, pos, end)]
    if out.empty:  # text columns of an empty result are object columns, as DuckDB gives them
        out = out.astype(dict.fromkeys(out.select_dtypes(exclude="number").columns, object))
    return out[KELURAHAN_COLUMNS]


KELURAHAN_COLUMNS = [
    "kode_desa", "nama_desa", "nama_kabkota", "nama_prov", "tipe_lokasi", "sumber_dana", "luas_awal_ha",
    "luas_mulai_ha", "luas_akhir_ha", "berkurang_total_ha", "skor_kumuh_awal", "tingkat_kumuh_awal",
    "skor_kumuh_akhir", "tingkat_kumuh_akhir",
]


@dataclasses.dataclass(frozen=True)
class _Yearly:
    """Every location with its names (`rows`, in code order) and its slum area, score and level at the end of each
    year as arrays [row, year column]. Built once per Database, so the kelurahan table picks rows and two year
    columns from it instead of joining the yearly table (2.2 million rows at 20 times the bundled size) twice
    and making new Python strings of every name at every call."""

    rows: pd.DataFrame  # the lokasi columns of the kelurahan table, with the kabupaten/kota and province names
    row_of: np.ndarray  # lokasi rowid -> row of `rows`; -1 for a location without kabupaten/kota or province name
    column: dict[int, int]  # year -> column of the arrays
    present: np.ndarray  # bool: the location has a row for the year
    luas: np.ndarray  # float: luas_kumuh_ha
    skor: np.ndarray  # float: skor_kumuh
    tingkat: np.ndarray  # int: index into `levels` of tingkat_kumuh
    levels: np.ndarray  # object: None, then every slum level found


# lokasi joined to its names (as in the kelurahan table), numbered in code order
_YEARLY_ROWS = (
    "SELECT l.rowid AS rid, row_number() OVER (ORDER BY l.kode_desa) - 1 AS pos, l.kode_desa, l.nama_desa, "
    "k.nama_kabkota, p.nama_prov, l.tipe_lokasi, l.sumber_dana, l.luas_kumuh_awal_ha AS luas_awal_ha, "
    "l.skor_kumuh_awal, l.tingkat_kumuh_awal FROM lokasi l JOIN kabkota k ON k.kode_kabkota = l.kode_kabkota "
    "JOIN provinsi p ON p.kode_prov = l.kode_prov"
)


def _yearly(db: Database) -> _Yearly:
    rows = db.query(f"SELECT * FROM ({_YEARLY_ROWS}) ORDER BY pos")
    levels = db.query(
        "SELECT DISTINCT tingkat_kumuh AS t FROM luas_kumuh_tahunan WHERE tingkat_kumuh IS NOT NULL ORDER BY t"
    )["t"].tolist()
    # levels as small integers (1 + position in `levels`, 0 = none): no string per yearly row
    level = "coalesce(list_position(?, y.tingkat_kumuh), 0)" if levels else "0"
    values = db.query(
        f"SELECT r.pos, y.tahun, y.luas_kumuh_ha, y.skor_kumuh, {level} AS tingkat "
        f"FROM luas_kumuh_tahunan y JOIN ({_YEARLY_ROWS}) r USING (kode_desa)",
        [levels] if levels else [],
    )
    years = np.sort(values["tahun"].unique()).astype(int)
    shape = (len(rows), len(years))
    at = (values["pos"].to_numpy(), np.searchsorted(years, values["tahun"].to_numpy()))
    present = np.zeros(shape, dtype=bool)
    present[at] = True
    arrays = {}
    for col, empty in (("luas_kumuh_ha", np.nan), ("skor_kumuh", np.nan), ("tingkat", 0)):
        arrays[col] = np.full(shape, empty, dtype=values[col].dtype)
        arrays[col][at] = values[col].to_numpy()
    row_of = np.full(int(db.query("SELECT count(*) AS n FROM lokasi")["n"].iloc[0]), -1, dtype=np.int64)
    row_of[rows.pop("rid").to_numpy()] = rows.pop("pos").to_numpy()  # the rowids of a loaded table are 0..n-1
    return _Yearly(
        rows=rows, row_of=row_of, column={int(y): i for i, y in enumerate(years)}, present=present,
        luas=arrays["luas_kumuh_ha"], skor=arrays["skor_kumuh"], tingkat=arrays["tingkat"],
        levels=np.array([None, *levels], dtype=object),
    )


def _at(array: np.ndarray, pos: np.ndarray, column: int | None) -> np.ndarray:
    """array[pos, column]; empty when there is no row (or the year has no column)."""
    return array[pos, column] if len(pos) else np.empty(0, dtype=array.dtype)


def zero_slum_projection(db: Database, f: Filters, level: str = "prov", window: int = 3) -> pd.DataFrame:
    """Year each place reaches zero slum area if it keeps the average pace of its last `window` years.

    A projection, not a forecast: linear at the recent pace; None when the pace is zero (never at that pace).
    Columns: kode, nama, luas_akhir_ha, laju_ha_per_tahun, tahun_nol.
    """
    series, params = _slum_series(dataclasses.replace(f, tahun=(config.FIRST_YEAR, f.end_year)), level)
    # per place: its last year, the area then and `window` years before, and its first year at (near) zero
    df = db.query(
        f"WITH s AS ({series}), p AS (SELECT kode, nama, max(tahun) AS tahun, "
        "min(tahun) FILTER (WHERE luas_kumuh_ha <= 0.005) AS tahun_nol FROM s "
        "WHERE kode IS NOT NULL AND nama IS NOT NULL GROUP BY ALL) "
        "SELECT p.kode, p.nama, p.tahun, p.tahun_nol, e.luas_kumuh_ha AS luas_akhir_ha, "
        "coalesce((b.luas_kumuh_ha - e.luas_kumuh_ha) / $window, 0.0) AS laju_ha_per_tahun "
        "FROM p JOIN s e USING (kode, nama, tahun) LEFT JOIN s b ON b.kode = p.kode AND b.nama = p.nama "
        "AND b.tahun = p.tahun - $window ORDER BY p.kode, p.nama",
        {**params, "window": window},
    )
    if df.empty:
        return pd.DataFrame([], columns=["kode", "nama", "luas_akhir_ha", "laju_ha_per_tahun", "tahun_nol"]).astype(
            {"tahun_nol": "Int64"}
        )
    area, pace = df["luas_akhir_ha"].to_numpy(), df["laju_ha_per_tahun"].to_numpy()
    # at the recent pace: the ceiling of area / pace more years, -(-a // b) as Python computes it for floats
    ahead = -np.floor_divide(-area, np.where(pace > 0, pace, 1.0))
    years = np.where(area <= 0.005, df["tahun_nol"], np.where(pace > 0, df["tahun"] + ahead, np.nan))
    return df.drop(columns=["tahun", "tahun_nol"]).assign(tahun_nol=pd.array(years, dtype="Int64"))


# --- outcome indicators --------------------------------------------------------------------------------------


def service_access(db: Database, f: Filters, level: str = "nasional", by_service: bool = True) -> pd.DataFrame:
    """Indicator 1: households served per service (or all services pooled), per place and year.

    Columns: kode, nama, tahun, [layanan], kk_total, kk_terlayani, persen_terlayani.
    """
    return db.query(*_ordered(_access(f, level, by_service)))


def _access(
    f: Filters, level: str, by_service: bool = True, tag: str = "k", desa: str | None = None
) -> tuple[str, dict]:
    """SQL of service_access (only the desa/kelurahan `desa` if given, at the desa level), unordered."""
    code, name, join = _level(level, LEVELS)
    where, params = _bind(*location_where(f), tag)
    if desa is not None:
        where += f" AND l.kode_desa = ${tag}_desa"
        params[f"{tag}_desa"] = desa
    service = "l.layanan, " if by_service else ""
    source = (
        "akses_cube l"
        if level != "desa"
        else (
            "(SELECT l.*, a.tahun, a.layanan, a.kk_total, a.kk_terlayani "
            "FROM akses_layanan a JOIN lokasi l USING (kode_desa)) l"
        )
    )
    sql = (
        "SELECT *, 100 * kk_terlayani / kk_total AS persen_terlayani FROM ("
        f"SELECT {code} AS kode, {name} AS nama, CAST(l.tahun AS BIGINT) AS tahun, {service}"
        "sum(l.kk_total) AS kk_total, sum(l.kk_terlayani) AS kk_terlayani "
        f"FROM {source} {join} "
        f"WHERE {where} AND l.tahun BETWEEN ${tag}_start AND ${tag}_end GROUP BY ALL)"
    )
    return sql, {**params, f"{tag}_start": f.start_year, f"{tag}_end": f.end_year}


def pokja_status(db: Database, f: Filters, level: str = "nasional") -> pd.DataFrame:
    """Indicator 3: kabupaten/kota with a Pokja PKP formed and functioning, per place and year.

    Columns: kode, nama, tahun, kabkota, terbentuk, berfungsi, persen_terbentuk, persen_berfungsi.
    """
    return db.query(*_ordered(_pokja(f, level)))


def _pokja(f: Filters, level: str, tag: str = "p") -> tuple[str, dict]:
    """SQL of pokja_status, unordered."""
    code, name, join = _level(level, KAB_LEVELS)
    where, params = _bind(*kabkota_where(f), tag)
    sql = (
        "SELECT *, 100 * terbentuk / kabkota AS persen_terbentuk, 100 * berfungsi / kabkota AS persen_berfungsi "
        f"FROM (SELECT {code} AS kode, {name} AS nama, CAST(x.tahun AS BIGINT) AS tahun, count(*) AS kabkota, "
        "count(*) FILTER (WHERE x.terbentuk) AS terbentuk, count(*) FILTER (WHERE x.berfungsi) AS berfungsi "
        f"FROM pokja_pkp x {join} WHERE {where} AND x.tahun BETWEEN ${tag}_start AND ${tag}_end GROUP BY ALL)"
    )
    return sql, {**params, f"{tag}_start": f.start_year, f"{tag}_end": f.end_year}


def satisfaction(db: Database, f: Filters, level: str = "nasional") -> pd.DataFrame:
    """Indicator 4: beneficiaries satisfied, per place and survey year within the period.

    Columns: kode, nama, tahun, responden, puas, persen_puas.
    """
    return db.query(*_ordered(_satisfaction(f, level)))


def _satisfaction(f: Filters, level: str, tag: str = "q") -> tuple[str, dict]:
    """SQL of satisfaction, unordered."""
    code, name, join = _level(level, KAB_LEVELS)
    where, params = _bind(*kabkota_where(f), tag)
    sql = (
        "SELECT *, 100 * puas / responden AS persen_puas FROM ("
        f"SELECT {code} AS kode, {name} AS nama, CAST(x.tahun AS BIGINT) AS tahun, sum(x.responden) AS responden, "
        f"sum(x.puas) AS puas FROM kepuasan x {join} WHERE {where} AND x.tahun BETWEEN ${tag}_start AND ${tag}_end "
        "GROUP BY ALL)"
    )
    return sql, {**params, f"{tag}_start": f.tahun[0], f"{tag}_end": f.end_year}


# --- spending --------------------------------------------------------------------------------------------

SPENDING_DIMENSIONS = {
    "tahun": "CAST(x.tahun AS BIGINT)",
    "komponen": "CAST(x.komponen AS BIGINT)",
    "sumber_dana": "x.sumber_dana",
    "kode_prov": "substr(x.kode_kabkota, 1, 2)",
    "kode_kabkota": "x.kode_kabkota",
}


def spending(db: Database, f: Filters, by: tuple[str, ...] = ("komponen",)) -> pd.DataFrame:
    """Allocated and realised spending in the period, grouped by any of tahun, komponen, sumber_dana,
    kode_prov, kode_kabkota. Columns: <by...>, alokasi_rp, realisasi_rp, persen_serapan (absorption %)."""
    return db.query(*_ordered(_spending(f, by)))


def _spending(f: Filters, by: tuple[str, ...], tag: str = "m") -> tuple[str, dict]:
    """SQL of spending, unordered."""
    unknown = [b for b in by if b not in SPENDING_DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown spending dimension(s) {unknown}")
    where, params = _bind(*kabkota_where(f, financier_col="sumber_dana"), tag)
    select = "".join(f"{SPENDING_DIMENSIONS[b]} AS {b}, " for b in by)
    # grouped: one row per group; otherwise the one row of totals, where nothing selected sums to 0, not to NULL
    total = "sum(x.{0}) AS {0}" if by else "coalesce(sum(x.{0}), 0.0) AS {0}"
    sql = (
        "SELECT *, CASE WHEN alokasi_rp > 0 THEN 100 * realisasi_rp / alokasi_rp END AS persen_serapan FROM ("
        f"SELECT {select}{total.format('alokasi_rp')}, {total.format('realisasi_rp')} FROM anggaran x "
        f"WHERE {where} AND x.tahun BETWEEN ${tag}_start AND ${tag}_end{' GROUP BY ALL' if by else ''})"
    )
    return sql, {**params, f"{tag}_start": f.tahun[0], f"{tag}_end": f.end_year}


def spending_per_ha(db: Database, f: Filters, level: str = "prov") -> pd.DataFrame:
    """Realised spending in the period per hectare of slum reduced in the period, per province or kab/kota.

    Spending follows the place and financier filters; hectares follow all location filters.
    Columns: kode, nama, realisasi_rp, berkurang_ha, rp_per_ha.
    """
    if level not in ("prov", "kab"):
        raise ValueError("spending per hectare is by 'prov' or 'kab'")
    dim = "kode_prov" if level == "prov" else "kode_kabkota"
    area, area_params = _area_summary(f, level)
    money, money_params = _spending(f, (dim,))
    return db.query(
        f"WITH a AS ({area}), m AS ({money}) SELECT a.kode, a.nama, m.realisasi_rp, a.berkurang_ha, "
        f"CASE WHEN a.berkurang_ha > 0 THEN m.realisasi_rp / a.berkurang_ha END AS rp_per_ha "
        f"FROM a JOIN m ON m.{dim} = a.kode ORDER BY a.kode",
        {**area_params, **money_params},
    )


# --- headline and status --------------------------------------------------------------------------------

def headline(db: Database, f: Filters) -> dict:
    """The national (or filtered) headline numbers of the overview, with a status for each."""
    where, params = _bind(*location_where(f), "n")
    counts = (
        "SELECT count(DISTINCT l.kode_prov) AS prov, count(DISTINCT l.kode_kabkota) AS kab, count(*) AS desa "
        f"FROM lokasi l WHERE {where}",
        params,
    )
    [r], [[counts]] = _figures(db, [f], [counts])
    a = r["area"]
    share_expected = expected_progress(f.end_year)
    out = {
        "luas_awal_ha": _num(a, "luas_awal_ha", 0.0),
        "luas_akhir_ha": _num(a, "luas_akhir_ha", 0.0),
        "berkurang_ha": _num(a, "berkurang_total_ha", 0.0),
        "berkurang_periode_ha": _num(a, "berkurang_ha", 0.0),
        "persen_berkurang": _num(a, "persen_berkurang"),
        "akses_dasar": _num(r["akses_dasar"], "persen_terlayani"),  # 2015 baseline
        "akses_awal": _num(r["akses_awal"], "persen_terlayani"),  # start of the period
        "akses_akhir": _num(r["akses_akhir"], "persen_terlayani"),
        "pokja_berfungsi": _num(r["pokja"], "persen_berfungsi"),
        "pokja_terbentuk": _num(r["pokja"], "persen_terbentuk"),
        "puas": _num(r["puas"], "persen_puas"),
        "puas_tahun": int(r["puas"]["tahun"]) if r["puas"] is not None else None,
        "alokasi_rp": _num(r["uang"], "alokasi_rp"),
        "realisasi_rp": _num(r["uang"], "realisasi_rp"),
        "n_prov": int(counts["prov"]),
        "n_kab": int(counts["kab"]),
        "n_desa": int(counts["desa"]),
        "tahun_akhir": f.end_year,
    }
    out["persen_serapan"] = 100 * out["realisasi_rp"] / out["alokasi_rp"] if out["alokasi_rp"] else None
    out["status"] = {
        "slum_area": status(out["persen_berkurang"], TARGETS["slum_area"], share_expected),
        "access": status(out["akses_akhir"], from_baseline(out["akses_dasar"], TARGETS["access"], share_expected)),
        "pokja": status(out["pokja_berfungsi"], TARGETS["pokja"], share_expected),
        "satisfaction": status(out["puas"], TARGETS["satisfaction"]),
        "absorption": status(out["persen_serapan"], TARGETS["absorption"]),
    }
    return out


def _figures(db: Database, filters: list[Filters], extra: list[tuple[str, dict]] = ()) -> tuple[list[dict], list]:
    """The one-row figures of each selection, for the headline and the region profile: area (slum_area_summary,
    national level), akses_dasar/akses_awal/akses_akhir (all services pooled in 2015, at the start and at the end
    of the period), pokja (end of the period), puas (last survey of the period) and uang (spending totals); area
    has the average slum scores too. Each is a dict of its columns, or None when it has no row. Asked in one
    statement with the `extra` queries, whose rows come second."""
    parts = []
    for i, f in enumerate(filters):
        # access from the 2015 baseline: its status measures progress since then, whatever the period's start
        since_2015 = dataclasses.replace(f, tahun=(config.FIRST_YEAR, f.end_year))
        parts += [_area_summary(f, "nasional", f"a{i}", scores=True), _access(since_2015, "nasional", False, f"k{i}"),
                  _pokja(f, "nasional", f"p{i}"), _satisfaction(f, "nasional", f"q{i}"), _spending(f, (), f"m{i}")]
    rows = _rows_each(db, [*parts, *extra])
    figures = []
    for i, f in enumerate(filters):
        area, access, pokja, survey, money = rows[5 * i:5 * i + 5]
        figures.append({
            "area": next(iter(area), None),
            "akses_dasar": _row(access, tahun=config.FIRST_YEAR),
            "akses_awal": _row(access, tahun=f.start_year),
            "akses_akhir": _row(access, tahun=f.end_year),
            "pokja": _row(pokja, tahun=f.end_year),
            "puas": max(survey, key=lambda r: r["tahun"], default=None),  # the national level: one place
            "uang": money[0],
        })
    return figures, rows[5 * len(filters):]


def region_index(db: Database) -> pd.DataFrame:
    """Every programme province, kabupaten/kota and desa/kelurahan, for search: level, kode, nama, parent."""
    return _memo(db, "region_index", _region_index).copy()


def _region_index(db: Database) -> pd.DataFrame:
    sql = (
        "SELECT 'prov' AS level, p.kode_prov AS kode, p.nama_prov AS nama, NULL AS induk "
        "FROM provinsi p WHERE p.kode_prov IN (SELECT kode_prov FROM lokasi) "
        "UNION ALL SELECT 'kab', k.kode_kabkota, k.nama_kabkota, p.nama_prov FROM kabkota k "
        "JOIN provinsi p ON p.kode_prov = k.kode_prov WHERE k.kode_kabkota IN (SELECT kode_kabkota FROM lokasi) "
        "UNION ALL SELECT 'desa', l.kode_desa, l.nama_desa, k.nama_kabkota FROM lokasi l "
        "JOIN kabkota k ON k.kode_kabkota = l.kode_kabkota ORDER BY 1, 2"
    )
    return db.query(sql)


def places(db: Database) -> pd.DataFrame:
    """Programme kabupaten/kota with their province (codes and names), for filters and URL validation."""
    return _memo(db, "places", lambda db: db.query(
        "SELECT DISTINCT l.kode_prov, p.nama_prov, p.nama_prov_en, l.kode_kabkota, k.nama_kabkota "
        "FROM lokasi l JOIN provinsi p ON p.kode_prov = l.kode_prov "
        "JOIN kabkota k ON k.kode_kabkota = l.kode_kabkota ORDER BY l.kode_prov, l.kode_kabkota"
    )).copy()


# --- published reference figures (real, cited; never mixed with the illustrative monitoring data) -----------

# (file stem, row selector column, row selector value, period, label key, value column, unit)
PUBLISHED_HIGHLIGHTS = (
    (
        "kotaku_national_slum_reduction",
        "metric",
        "national_slum_baseline_target",
        "published.baseline_target",
        "value_ha",
        "ha",
    ),
    (
        "kotaku_national_slum_reduction",
        "metric",
        "reduced RPJMN 2015-2019 total",
        "published.reduced_2015_2019",
        "value_ha",
        "ha",
    ),
    (
        "kotaku_national_slum_reduction",
        "metric",
        "RPJMN 2020-2024 target",
        "published.target_2020_2024",
        "value_ha",
        "ha",
    ),
    ("kotaku_national_slum_reduction", "metric", "reduced cumulative", "published.reduced_2020_2022", "value_ha", "ha"),
    ("kotaku_financing", "financier", "IBRD (World Bank) Ln.8636-ID", "published.loan_ibrd", "amount", "usd_m"),
    ("kotaku_financing", "financier", "AIIB Ln.0004-ID", "published.loan_aiib", "amount", "usd_m"),
    ("kotaku_financing", "financier", "IsDB (parallel)", "published.loan_isdb", "amount", "usd_m"),
    ("kotaku_financing", "financier", "Government of Indonesia (APBN)", "published.apbn", "amount", "usd_m"),
)


def published_table(
    db: Database, f: Filters | None = None, name: str = "kotaku_national_slum_reduction"
) -> pd.DataFrame:
    """A published reference CSV (data/reference/published/<name>.csv) as stated, every row with its source_url.

    Not filtered: these are national published figures. Columns as in the file.
    """
    from .build.reference import PUBLISHED_FILES, read_reference

    if f"{name}.csv" not in PUBLISHED_FILES:
        raise ValueError(f"unknown published table {name!r}")
    return read_reference(f"published/{name}.csv", db.data_dir / "reference")


def published_highlights(db: Database, f: Filters | None = None) -> pd.DataFrame:
    """The key published national figures for the overview, each with its source.

    Columns: key (i18n label key), periode, nilai (float), unit ('ha' or 'usd_m' = US$ million),
    persen_target (% of target as published, or None), source_url.
    """
    rows = []
    tables = {name: published_table(db, f, name) for name in dict.fromkeys(h[0] for h in PUBLISHED_HIGHLIGHTS)}
    for table, col, value, key, value_col, unit in PUBLISHED_HIGHLIGHTS:
        df = tables[table]
        hit = df[df[col] == value]
        if not len(hit):
            continue
        r = hit.iloc[0]
        pct = pd.to_numeric(r.get("pct_of_target"), errors="coerce") if "pct_of_target" in r else None
        rows.append(
            (
                key,
                r.get("period", ""),
                float(r[value_col]),
                unit,
                None if pct is None or pd.isna(pct) else float(pct),
                r["source_url"],
            )
        )
    return pd.DataFrame(rows, columns=["key", "periode", "nilai", "unit", "persen_target", "source_url"])


# --- page questions: outcome indicators, spending, region profile, region search ---------------------------


def service_access_change(db: Database, f: Filters, level: str = "nasional") -> pd.DataFrame:
    """Indicator 1 at the start of the period against its end, per place and service.

    Columns: kode, nama, layanan, tahun_awal, tahun_akhir, kk_total (end), kk_terlayani (end), persen_awal,
    persen_akhir, selisih_poin (percentage points gained).
    """
    return db.query(*_access_change(f, level))


def _access_change(f: Filters, level: str, desa: str | None = None, tag: str = "k") -> tuple[str, dict]:
    """SQL of service_access_change (only the desa/kelurahan `desa` if given, at the desa level); services in the
    order of config.SERVICES within each place."""
    access, params = _access(f, level, True, tag, desa)
    start, end = f"${tag}_start", f"${tag}_end"
    sql = (
        f"WITH {tag} AS ({access}) SELECT e.kode, e.nama, e.layanan, CAST({start} AS BIGINT) AS tahun_awal, "
        f"CAST({end} AS BIGINT) AS tahun_akhir, e.kk_total, e.kk_terlayani, s.persen_terlayani AS persen_awal, "
        "e.persen_terlayani AS persen_akhir, e.persen_terlayani - s.persen_terlayani AS selisih_poin "
        f"FROM {tag} e LEFT JOIN {tag} s ON s.kode = e.kode AND s.layanan = e.layanan AND s.tahun = {start} "
        f"WHERE e.tahun = {end} ORDER BY e.kode, list_position($services, e.layanan)"
    )
    return sql, {**params, "services": list(config.SERVICES)}


def slum_area_vs_target(db: Database, f: Filters, code: str | None = None) -> pd.DataFrame:
    """Indicator 2 over time against the target, for the filtered selection or one region `code`
    ("ID", a province, kabupaten/kota or desa code; see search.region_filters).

    The target is the whole baseline (2015) slum area; the expected reduction is a straight line from the
    baseline year to config.LAST_YEAR (expected_progress). Years: start of the period to its end.
    Columns: tahun, luas_kumuh_ha, luas_awal_ha, berkurang_ha (since 2015), target_ha, diharapkan_ha (expected
    reduction), persen_capaian (reduced, % of target), persen_diharapkan, status.
    """
    from .search import region_filters, region_level

    if code is None:
        series, params = _slum_series(f, "nasional")
    elif region_level(code) == "desa":
        series, params = _slum_series(region_filters(f, code), "desa", desa=code)
    else:
        series, params = _slum_series(region_filters(f, code), "nasional")
    # expected_progress(tahun) in SQL: the straight line from the baseline year, kept between 0 and 1
    out = db.query(
        "SELECT *, target_ha * share AS diharapkan_ha, "
        "100 * berkurang_ha / CASE WHEN target_ha > 0 THEN target_ha END AS persen_capaian, "
        "100 * share AS persen_diharapkan FROM (SELECT tahun, luas_kumuh_ha, luas_awal_ha, berkurang_ha, "
        "luas_awal_ha AS target_ha, least(greatest((tahun - $first) / ($last - $first), 0.0), 1.0) AS share "
        f"FROM ({series})) ORDER BY tahun",
        {**params, "first": config.FIRST_YEAR, "last": config.LAST_YEAR},
    )
    out["status"] = [
        status(a, TARGETS["slum_area"], s) for a, s in zip(out["persen_capaian"], out.pop("share"), strict=True)
    ]
    return out


def spending_summary(db: Database, f: Filters) -> dict:
    """Spending headline for the period: alokasi_rp, realisasi_rp, persen_serapan (absorption %, with its status),
    belum_terserap_rp (allocated, not realised), berkurang_ha (slum reduced in the period, all location filters)
    and rp_per_ha (realised rupiah per hectare reduced)."""
    [money], area = _rows_each(db, [_spending(f, ()), _area_summary(f, "nasional")])
    area = next(iter(area), None)
    alloc = float(money["alokasi_rp"]) or 0.0
    real = float(money["realisasi_rp"]) or 0.0
    reduced = _num(area, "berkurang_ha", 0.0)
    absorption = 100 * real / alloc if alloc else None
    return {
        "alokasi_rp": alloc,
        "realisasi_rp": real,
        "persen_serapan": absorption,
        "belum_terserap_rp": alloc - real,
        "berkurang_ha": reduced,
        "rp_per_ha": real / reduced if reduced > 0 else None,
        "status": status(absorption, TARGETS["absorption"]),
    }


def spending_by_region(db: Database, f: Filters, level: str = "prov") -> pd.DataFrame:
    """Spending per province (or kabupaten/kota) with hectares reduced in the period and rupiah per hectare.

    Columns: kode, nama, alokasi_rp, realisasi_rp, persen_serapan, berkurang_ha, rp_per_ha (realised / reduced;
    empty where nothing was reduced). Sorted by code.
    """
    if level not in ("prov", "kab"):
        raise ValueError("spending by region is by 'prov' or 'kab'")
    dim, names = (
        ("kode_prov", "SELECT kode_prov AS kode, nama_prov AS nama FROM provinsi")
        if level == "prov"
        else ("kode_kabkota", "SELECT kode_kabkota AS kode, nama_kabkota AS nama FROM kabkota")
    )
    money, money_params = _spending(f, (dim,))
    area, area_params = _area_summary(f, level)
    return db.query(
        f"WITH m AS ({money}), a AS ({area}), r AS (SELECT coalesce(m.{dim}, a.kode) AS kode, m.alokasi_rp, "
        f"m.realisasi_rp, m.persen_serapan, a.berkurang_ha FROM m FULL JOIN a ON a.kode = m.{dim}) "
        "SELECT r.kode, n.nama, r.alokasi_rp, r.realisasi_rp, r.persen_serapan, r.berkurang_ha, "
        "CASE WHEN r.berkurang_ha > 0 THEN r.realisasi_rp / r.berkurang_ha END AS rp_per_ha "
        f"FROM r LEFT JOIN ({names}) n ON n.kode = r.kode ORDER BY r.kode",
        {**money_params, **area_params},
    )


# --- region profile ------------------------------------------------------------------------------------------


def region_name(db: Database, code: str) -> tuple[str, str | None]:
    """(name, parent name) of a region code; ("Indonesia", None) for the national code."""
    from .search import region_level

    level = region_level(code)
    if level == "nasional":
        return "Indonesia", None
    if level == "desa":
        choices = _memo(db, "region_choices", _region_choices)
        i = int(np.searchsorted(choices.codes, code))
        hit = i < len(choices.codes) and choices.codes[i] == code
        found = (choices.desa["nama"].iloc[i], choices.desa["induk"].iloc[i]) if hit else None
    else:
        found = _memo(db, "region_names", _region_names).get(code)
    if found is None:
        return code, None
    name, parent = found
    return str(name), (str(parent) if isinstance(parent, str) else None)


def _region_names(db: Database) -> dict[str, tuple]:
    """code -> (name, parent name) of every province and kabupaten/kota of the reference tables."""
    df = db.query(
        "SELECT kode_prov AS kode, nama_prov AS nama, NULL AS induk FROM provinsi UNION ALL "
        "SELECT k.kode_kabkota, k.nama_kabkota, p.nama_prov FROM kabkota k JOIN provinsi p USING (kode_prov)"
    )
    df = df.drop_duplicates("kode")  # the first row of a code, as a lookup by code would find
    return dict(zip(df["kode"], zip(df["nama"], df["induk"], strict=True), strict=True))


PROFILE_COLUMNS = [
    "kode",
    "level",
    "nama",
    "induk",
    "lokasi",
    "luas_awal_ha",
    "luas_mulai_ha",
    "luas_akhir_ha",
    "berkurang_ha",
    "berkurang_total_ha",
    "persen_berkurang",
    "akses_awal",
    "akses_akhir",
    "kk_total",
    "pokja_terbentuk",
    "pokja_berfungsi",
    "puas",
    "puas_tahun",
    "alokasi_rp",
    "realisasi_rp",
    "persen_serapan",
    "rp_per_ha",
    "skor_awal",
    "skor_akhir",
    "tingkat_awal",
    "tingkat_akhir",
    "tipe_lokasi",
    "sumber_dana",
]


def profile_summary(db: Database, f: Filters, codes: tuple[str, ...]) -> pd.DataFrame:
    """One row per region code ("ID" = national, province, kabupaten/kota or desa code), in the given order.

    Each region keeps the year range and, except a desa/kelurahan, the type, financier and slum-level filters
    of `f`; its place filters are the region's own. Indicators kept per kabupaten/kota (Pokja PKP,
    satisfaction) and spending are empty for a desa/kelurahan; slum level and location type only for a desa.
    Columns: PROFILE_COLUMNS (skor_* are averages over the locations for a larger region).
    """
    from .search import region_filters, region_level

    regions = [(code, region_level(code), region_filters(f, code)) for code in codes]
    larger = [rf for _, level, rf in regions if level != "desa"]
    figures = iter(_figures(db, larger)[0])  # for all larger regions at once
    rows = []
    for code, level, rf in regions:
        nama, induk = region_name(db, code)
        row = dict.fromkeys(PROFILE_COLUMNS) | {"kode": code, "level": level, "nama": nama, "induk": induk}
        row.update(_desa_profile(db, code, rf) if level == "desa" else _region_profile(next(figures)))
        rows.append(row)
    return pd.DataFrame(rows, columns=PROFILE_COLUMNS)


def _region_profile(figures: dict) -> dict:
    """The profile columns of a province, kabupaten/kota or the whole programme (empty without locations)."""
    a = figures["area"]
    if a is None:
        return {}
    money = figures["uang"]
    real, alloc, reduced = _num(money, "realisasi_rp"), _num(money, "alokasi_rp"), _num(a, "berkurang_ha")
    return {
        "lokasi": int(a["lokasi"]),
        "luas_awal_ha": _num(a, "luas_awal_ha"),
        "luas_mulai_ha": _num(a, "luas_mulai_ha"),
        "luas_akhir_ha": _num(a, "luas_akhir_ha"),
        "berkurang_ha": reduced,
        "berkurang_total_ha": _num(a, "berkurang_total_ha"),
        "persen_berkurang": _num(a, "persen_berkurang"),
        "skor_awal": _num(a, "skor_awal"),
        "skor_akhir": _num(a, "skor_akhir"),
        "pokja_terbentuk": _num(figures["pokja"], "persen_terbentuk"),
        "pokja_berfungsi": _num(figures["pokja"], "persen_berfungsi"),
        "puas": _num(figures["puas"], "persen_puas"),
        "puas_tahun": int(figures["puas"]["tahun"]) if figures["puas"] is not None else None,
        "alokasi_rp": alloc,
        "realisasi_rp": real,
        "persen_serapan": 100 * real / alloc if real is not None and alloc else None,
        "rp_per_ha": real / reduced if real is not None and reduced > 0 else None,
    } | _access_profile(figures["akses_awal"], figures["akses_akhir"])


def _desa_profile(db: Database, code: str, rf: Filters) -> dict:
    """The profile columns of one desa/kelurahan (empty when it is not a programme location)."""
    kel = kelurahan_table(db, rf)
    kel = kel[kel["kode_desa"] == code]
    if kel.empty:
        return {}
    k = kel.iloc[0]
    access = _rows(db, _access(rf, "desa", False, desa=code))
    base = float(k["luas_awal_ha"])
    return {
        "lokasi": 1,
        "luas_awal_ha": base,
        "luas_mulai_ha": float(k["luas_mulai_ha"]),
        "luas_akhir_ha": float(k["luas_akhir_ha"]),
        "berkurang_ha": float(k["luas_mulai_ha"] - k["luas_akhir_ha"]),
        "berkurang_total_ha": float(k["berkurang_total_ha"]),
        "persen_berkurang": 100 * float(k["berkurang_total_ha"]) / base if base > 0 else None,
        "skor_awal": float(k["skor_kumuh_awal"]),
        "skor_akhir": float(k["skor_kumuh_akhir"]),
        "tingkat_awal": k["tingkat_kumuh_awal"],
        "tingkat_akhir": k["tingkat_kumuh_akhir"],
        "tipe_lokasi": k["tipe_lokasi"],
        "sumber_dana": k["sumber_dana"],
    } | _access_profile(_row(access, tahun=rf.start_year), _row(access, tahun=rf.end_year))


def _access_profile(start: dict | None, end: dict | None) -> dict:
    return {
        "akses_awal": _num(start, "persen_terlayani"),
        "akses_akhir": _num(end, "persen_terlayani"),
        # households: the pooled total counts each household once per service
        "kk_total": None if end is None else _num(end, "kk_total") / len(config.SERVICES),
    }


PROFILE_SERIES = ("sisa_kumuh", "akses", "pokja", "puas")


def profile_series(db: Database, f: Filters, codes: tuple[str, ...]) -> pd.DataFrame:
    """Yearly percentages of each region code, comparable across regions of any size.

    indikator: sisa_kumuh (slum area left, % of the 2015 baseline), akses (households served, all services),
    pokja (kabupaten/kota with a functioning Pokja PKP), puas (beneficiaries satisfied, survey years only);
    pokja and puas are absent for a desa/kelurahan. Columns: kode, nama, indikator, tahun, nilai (%).
    """
    from .search import region_filters, region_level

    cols = ["kode", "nama", "indikator", "tahun", "nilai"]
    if not codes:
        return pd.DataFrame(columns=cols)
    parts, params, selects = {}, {}, []
    for i, code in enumerate(codes):  # every region's series in one statement
        desa = code if region_level(code) == "desa" else None
        rf = region_filters(f, code)
        level = "desa" if desa else "nasional"
        parts |= {f"s{i}": _slum_series(rf, level, f"s{i}", desa), f"k{i}": _access(rf, level, False, f"k{i}", desa)}
        pieces = [
            (f"s{i}", "sisa_kumuh", "100 * luas_kumuh_ha / CASE WHEN luas_awal_ha > 0 THEN luas_awal_ha END"),
            (f"k{i}", "akses", "persen_terlayani"),
        ]
        if not desa:
            parts |= {f"p{i}": _pokja(rf, "nasional", f"p{i}"), f"q{i}": _satisfaction(rf, "nasional", f"q{i}")}
            pieces += [(f"p{i}", "pokja", "persen_berfungsi"), (f"q{i}", "puas", "persen_puas")]
        params |= {f"kode{i}": code, f"nama{i}": region_name(db, code)[0]}
        selects += [
            f"SELECT {i} AS r, {j} AS i, $kode{i} AS kode, $nama{i} AS nama, '{indicator}' AS indikator, tahun, "
            f"{value} AS nilai FROM {table}"
            for j, (table, indicator, value) in enumerate(pieces)
        ]
    ctes = ", ".join(f"{name} AS ({sql})" for name, (sql, _) in parts.items())
    params |= {k: v for _, part_params in parts.values() for k, v in part_params.items()}
    return db.query(
        f"WITH {ctes} SELECT {', '.join(cols)} FROM ({' UNION ALL '.join(selects)}) ORDER BY r, i, tahun", params
    )


def profile_access(db: Database, f: Filters, codes: tuple[str, ...]) -> pd.DataFrame:
    """Households served per service at the start and end of the period, per region code (same filters as
    profile_summary). Columns: kode, nama, layanan, persen_awal, persen_akhir, selisih_poin."""
    from .search import region_filters, region_level

    cols = ["kode", "nama", "layanan", "persen_awal", "persen_akhir", "selisih_poin"]
    if not codes:
        return pd.DataFrame(columns=cols)
    params, selects = {}, []
    for i, code in enumerate(codes):  # every region in one statement
        desa = code if region_level(code) == "desa" else None
        sql, change_params = _access_change(region_filters(f, code), "desa" if desa else "nasional", desa, f"k{i}")
        params |= change_params | {f"kode{i}": code, f"nama{i}": region_name(db, code)[0]}
        selects.append(f"SELECT {i} AS r, $kode{i} AS kode, $nama{i} AS nama, layanan, persen_awal, persen_akhir, "
                       f"selisih_poin FROM ({sql})")
    return db.query(
        f"SELECT {', '.join(cols)} FROM ({' UNION ALL '.join(selects)}) "
        "ORDER BY r, list_position($services, layanan)",
        params,
    )


def region_choices(db: Database, f: Filters) -> pd.DataFrame:
    """Regions a profile can be compared with: every programme province and kabupaten/kota, plus the
    desa/kelurahan of the selected kabupaten/kota, sorted by code (a province, then its kabupaten/kota).
    Columns: level, kode, nama, induk."""
    choices = _memo(db, "region_choices", _region_choices)
    if not f.kab:
        return choices.regions.copy()
    # the desa/kelurahan codes of a kabupaten/kota are the ones from "<kab>." up to "<kab>/" ("/" follows ".")
    lo, hi = np.searchsorted(choices.codes, [f.kab + ".", f.kab + "/"])
    return pd.concat([choices.regions, choices.desa.iloc[lo:hi]]).sort_values("kode").reset_index(drop=True)


@dataclasses.dataclass(frozen=True)
class _Choices:
    regions: pd.DataFrame  # every programme province and kabupaten/kota, by code
    desa: pd.DataFrame  # every programme desa/kelurahan, by code
    codes: np.ndarray  # their codes, for binary search


def _region_choices(db: Database) -> _Choices:
    idx = _memo(db, "region_index", _region_index)
    desa = idx["level"] == "desa"
    regions = idx[~desa & idx["level"].isin(["prov", "kab"])].sort_values("kode").reset_index(drop=True)
    desa = idx[desa].sort_values("kode").reset_index(drop=True)
    return _Choices(regions, desa, desa["kode"].to_numpy(dtype=object))


def region_search(db: Database, f: Filters, text: str, limit: int = 10) -> pd.DataFrame:
    """Provinces, kabupaten/kota and desa/kelurahan whose name begins like `text` (typo-tolerant; see
    kotaku_data.search). The filters do not restrict the search. Columns: level, kode, nama, induk, kesalahan."""
    from .search import RegionIndex

    index = _memo(db, "region_search", lambda db: RegionIndex(_memo(db, "region_index", _region_index)))
    return index.search(text, limit)


def map_attribution(db: Database, f: Filters | None = None) -> str:
    """Attribution text of the province map (data/reference/provinsi.geojson.ATTRIBUTION.txt), '' if missing."""
    path = db.data_dir / "reference" / "provinsi.geojson.ATTRIBUTION.txt"
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""
