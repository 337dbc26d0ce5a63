"""Slum area: per year, per place at the start and end of the period, per kelurahan, projected zero year and
against the target (indicator 2).

Naming: `berkurang_ha` is the reduction during the period (its start year to its end year); `berkurang_total_ha`
the reduction since the 2015 baseline.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from .. import config
from ..data.db import Database
from ..filters import Filters
from ..search import region_filters, region_level
from ..targets import TARGETS, status
from .sql import LEVELS, bind, level_sql, location_where, memo


def area_source(level: str) -> str:
    """Slum area per year: the pre-aggregated cube for national/province/kab-kota, per location for desa."""
    if level != "desa":
        return "luas_cube l"
    return (
        "(SELECT l.*, y.tahun, 1 AS lokasi, CAST(l.tipe_lokasi = 'peningkatan' AS INTEGER) AS lokasi_peningkatan, "
        "l.luas_kumuh_awal_ha AS luas_awal_ha, y.luas_kumuh_ha FROM luas_kumuh_tahunan y "
        "JOIN lokasi l USING (kode_desa)) l"
    )


def slum_area_by_year(db: Database, f: Filters, level: str = "nasional") -> pd.DataFrame:
    """Slum area at the end of each year of the period (plus its starting year), per place.

    Columns: kode, nama, tahun, luas_kumuh_ha, luas_awal_ha (2015 baseline), berkurang_ha (reduced since 2015).
    """
    return db.query(*slum_series_sql(f, level))


def slum_series_sql(f: Filters, level: str, tag: str = "s", desa: str | None = None) -> tuple[str, dict]:
    """SQL of slum_area_by_year (only the desa/kelurahan `desa` if given, at the desa level)."""
    code, name, join = level_sql(level, LEVELS)
    where, params = bind(*location_where(f), tag)
    if desa is not None:
        where += f" AND l.kode_desa = ${tag}_desa"
        params[f"{tag}_desa"] = desa
    sql = (
        f"SELECT *, luas_awal_ha - luas_kumuh_ha AS berkurang_ha FROM (SELECT {code} AS kode, {name} AS nama, "
        "CAST(l.tahun AS BIGINT) AS tahun, sum(l.luas_kumuh_ha) AS luas_kumuh_ha, "
        f"sum(l.luas_awal_ha) AS luas_awal_ha FROM {area_source(level)} {join} "
        f"WHERE {where} AND l.tahun BETWEEN ${tag}_start AND ${tag}_end GROUP BY ALL) ORDER BY kode, tahun"
    )
    return sql, {**params, f"{tag}_start": f.start_year, f"{tag}_end": f.end_year}


def slum_area_summary(db: Database, f: Filters, level: str = "prov") -> pd.DataFrame:
    """Per place: slum area at the start and end of the period, reduction, share reduced, locations, rank.

    Columns: kode, nama, lokasi, lokasi_peningkatan, luas_awal_ha (2015), luas_mulai_ha (start of period),
    luas_akhir_ha (end of period), berkurang_ha (during the period), berkurang_total_ha (since 2015),
    persen_berkurang (since 2015, % of baseline), peringkat (1 = largest share reduced).
    """
    sql, params = area_summary_sql(f, level)
    df = db.query(
        "SELECT *, CASE WHEN persen_berkurang IS NOT NULL THEN "
        f"rank() OVER (ORDER BY persen_berkurang DESC NULLS LAST) END AS peringkat FROM ({sql}) ORDER BY kode",
        params,
    )
    df["peringkat"] = df["peringkat"].astype("Int64")
    return df


def area_summary_sql(f: Filters, level: str, tag: str = "a", scores: bool = False) -> tuple[str, dict]:
    """SQL of slum_area_summary without its rank column, unordered. With `scores` (not at the desa level) also
    the average baseline and end-of-period slum score of the locations (skor_awal, skor_akhir), from the sums
    and counts of the cube."""
    code, name, join = level_sql(level, LEVELS)
    where, params = bind(*location_where(f), tag)
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
        f"FROM {area_source(level)} {join} WHERE {where} AND l.tahun IN ({start}, {end}) GROUP BY ALL) "
        # the national level groups by constants only, so an empty selection still gives one row of NULLs: not kept
        "WHERE lokasi > 0"
    )
    return sql, {**params, f"{tag}_start": f.start_year, f"{tag}_end": f.end_year}


def kelurahan_table(db: Database, f: Filters) -> pd.DataFrame:
    """One row per desa/kelurahan in the selection: baseline, start, end, reduction, slum level.

    Locations with a value for both the start and the end year, sorted by reduction since 2015 (largest first,
    empty last), then code. Columns: KELURAHAN_COLUMNS.
    """
    y = memo(db, "yearly", _yearly)
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
    series, params = slum_series_sql(dataclasses.replace(f, tahun=(config.FIRST_YEAR, f.end_year)), level)
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


def slum_area_vs_target(db: Database, f: Filters, code: str | None = None) -> pd.DataFrame:
    """Indicator 2 over time against the target, for the filtered selection or one region `code`
    ("ID", a province, kabupaten/kota or desa code; see search.region_filters).

    The target is the whole baseline (2015) slum area; the expected reduction is a straight line from the
    baseline year to config.LAST_YEAR (expected_progress). Years: start of the period to its end.
    Columns: tahun, luas_kumuh_ha, luas_awal_ha, berkurang_ha (since 2015), target_ha, diharapkan_ha (expected
    reduction), persen_capaian (reduced, % of target), persen_diharapkan, status.
    """
    if code is None:
        series, params = slum_series_sql(f, "nasional")
    elif region_level(code) == "desa":
        series, params = slum_series_sql(region_filters(f, code), "desa", desa=code)
    else:
        series, params = slum_series_sql(region_filters(f, code), "nasional")
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
