"""Outcome indicators 1, 3 and 4: households served per service, Pokja PKP formed and functioning, beneficiaries
satisfied (indicator 2, slum area, is in slum_area.py)."""

from __future__ import annotations

import pandas as pd

from .. import config
from ..data.db import Database
from ..filters import Filters
from .sql import KAB_LEVELS, LEVELS, bind, kabkota_where, level_sql, location_where, ordered


def service_access(db: Database, f: Filters, level: str = "nasional", by_service: bool = True) -> pd.DataFrame:
    """Indicator 1: households served per service (or all services pooled), per place and year.

    Columns: kode, nama, tahun, [layanan], kk_total, kk_terlayani, persen_terlayani.
    """
    return db.query(*ordered(access_sql(f, level, by_service)))


def access_sql(
    f: Filters, level: str, by_service: bool = True, tag: str = "k", desa: str | None = None
) -> tuple[str, dict]:
    """SQL of service_access (only the desa/kelurahan `desa` if given, at the desa level), unordered."""
    code, name, join = level_sql(level, LEVELS)
    where, params = bind(*location_where(f), tag)
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


def service_access_change(db: Database, f: Filters, level: str = "nasional") -> pd.DataFrame:
    """Indicator 1 at the start of the period against its end, per place and service.

    Columns: kode, nama, layanan, tahun_awal, tahun_akhir, kk_total (end), kk_terlayani (end), persen_awal,
    persen_akhir, selisih_poin (percentage points gained).
    """
    return db.query(*access_change_sql(f, level))


def access_change_sql(f: Filters, level: str, desa: str | None = None, tag: str = "k") -> tuple[str, dict]:
    """SQL of service_access_change (only the desa/kelurahan `desa` if given, at the desa level); services in the
    order of config.SERVICES within each place."""
    access, params = access_sql(f, level, True, tag, desa)
    start, end = f"${tag}_start", f"${tag}_end"
    sql = (
        f"WITH {tag} AS ({access}) SELECT e.kode, e.nama, e.layanan, CAST({start} AS BIGINT) AS tahun_awal, "
        f"CAST({end} AS BIGINT) AS tahun_akhir, e.kk_total, e.kk_terlayani, s.persen_terlayani AS persen_awal, "
        "e.persen_terlayani AS persen_akhir, e.persen_terlayani - s.persen_terlayani AS selisih_poin "
        f"FROM {tag} e LEFT JOIN {tag} s ON s.kode = e.kode AND s.layanan = e.layanan AND s.tahun = {start} "
        f"WHERE e.tahun = {end} ORDER BY e.kode, list_position($services, e.layanan)"
    )
    return sql, {**params, "services": list(config.SERVICES)}


def pokja_status(db: Database, f: Filters, level: str = "nasional") -> pd.DataFrame:
    """Indicator 3: kabupaten/kota with a Pokja PKP formed and functioning, per place and year.

    Columns: kode, nama, tahun, kabkota, terbentuk, berfungsi, persen_terbentuk, persen_berfungsi.
    """
    return db.query(*ordered(pokja_sql(f, level)))


def pokja_sql(f: Filters, level: str, tag: str = "p") -> tuple[str, dict]:
    """SQL of pokja_status, unordered."""
    code, name, join = level_sql(level, KAB_LEVELS)
    where, params = bind(*kabkota_where(f), tag)
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
    return db.query(*ordered(satisfaction_sql(f, level)))


def satisfaction_sql(f: Filters, level: str, tag: str = "q") -> tuple[str, dict]:
    """SQL of satisfaction, unordered."""
    code, name, join = level_sql(level, KAB_LEVELS)
    where, params = bind(*kabkota_where(f), tag)
    sql = (
        "SELECT *, 100 * puas / responden AS persen_puas FROM ("
        f"SELECT {code} AS kode, {name} AS nama, CAST(x.tahun AS BIGINT) AS tahun, sum(x.responden) AS responden, "
        f"sum(x.puas) AS puas FROM kepuasan x {join} WHERE {where} AND x.tahun BETWEEN ${tag}_start AND ${tag}_end "
        "GROUP BY ALL)"
    )
    return sql, {**params, f"{tag}_start": f.tahun[0], f"{tag}_end": f.end_year}
