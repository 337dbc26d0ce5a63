"""Spending: allocated and realised rupiah by year, component, financier and place, absorption, and rupiah per
hectare of slum reduced."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..data.db import Database
from ..filters import Filters
from ..targets import TARGETS, status
from .slum_area import area_summary_sql
from .sql import bind, kabkota_where, num, ordered, rows_each

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
    return db.query(*ordered(spending_sql(f, by)))


def spending_sql(f: Filters, by: tuple[str, ...], tag: str = "m") -> tuple[str, dict]:
    """SQL of spending, unordered."""
    unknown = [b for b in by if b not in SPENDING_DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown spending dimension(s) {unknown}")
    where, params = bind(*kabkota_where(f, financier_col="sumber_dana"), tag)
    select = "".join(f"{SPENDING_DIMENSIONS[b]} AS {b}, " for b in by)
    # grouped: one row per group; otherwise the one row of totals, where nothing selected sums to 0, not to NULL
    total = "sum(x.{0}) AS {0}" if by else "coalesce(sum(x.{0}), 0.0) AS {0}"
    sql = (
        "SELECT *, CASE WHEN alokasi_rp > 0 THEN 100 * realisasi_rp / alokasi_rp END AS persen_serapan FROM ("
        f"SELECT {select}{total.format('alokasi_rp')}, {total.format('realisasi_rp')} FROM anggaran x "
        f"WHERE {where} AND x.tahun BETWEEN ${tag}_start AND ${tag}_end{' GROUP BY ALL' if by else ''})"
    )
    return sql, {**params, f"{tag}_start": f.tahun[0], f"{tag}_end": f.end_year}


@dataclass(frozen=True)
class SpendingSummary:
    """Spending of the period for the selection (place and financier filters) against the slum area reduced in
    the period (all location filters)."""

    alokasi_rp: float  # allocated
    realisasi_rp: float  # realised
    persen_serapan: float | None  # absorption: realised, % of allocated (None when nothing was allocated)
    belum_terserap_rp: float  # allocated, not realised
    berkurang_ha: float  # slum area reduced during the period
    rp_per_ha: float | None  # realised rupiah per hectare reduced (None when nothing was reduced)
    status: str | None  # status of the absorption against targets.TARGETS["absorption"]


def spending_summary(db: Database, f: Filters) -> SpendingSummary:
    """The spending headline of the period."""
    [money], area = rows_each(db, [spending_sql(f, ()), area_summary_sql(f, "nasional")])
    area = next(iter(area), None)
    alloc = float(money["alokasi_rp"]) or 0.0
    real = float(money["realisasi_rp"]) or 0.0
    reduced = num(area, "berkurang_ha", 0.0)
    absorption = 100 * real / alloc if alloc else None
    return SpendingSummary(
        alokasi_rp=alloc,
        realisasi_rp=real,
        persen_serapan=absorption,
        belum_terserap_rp=alloc - real,
        berkurang_ha=reduced,
        rp_per_ha=real / reduced if reduced > 0 else None,
        status=status(absorption, TARGETS["absorption"]),
    )


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
    money, money_params = spending_sql(f, (dim,))
    area, area_params = area_summary_sql(f, level)
    return db.query(
        f"WITH m AS ({money}), a AS ({area}), r AS (SELECT coalesce(m.{dim}, a.kode) AS kode, m.alokasi_rp, "
        f"m.realisasi_rp, m.persen_serapan, a.berkurang_ha FROM m FULL JOIN a ON a.kode = m.{dim}) "
        "SELECT r.kode, n.nama, r.alokasi_rp, r.realisasi_rp, r.persen_serapan, r.berkurang_ha, "
        "CASE WHEN r.berkurang_ha > 0 THEN r.realisasi_rp / r.berkurang_ha END AS rp_per_ha "
        f"FROM r LEFT JOIN ({names}) n ON n.kode = r.kode ORDER BY r.kode",
        {**money_params, **area_params},
    )
