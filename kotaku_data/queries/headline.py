"""The overview's headline: one figure per outcome indicator for the selection, each with its status."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .. import config
from ..data.db import Database
from ..filters import Filters
from ..targets import TARGETS, expected_progress, from_baseline, status
from .indicators import access_sql, pokja_sql, satisfaction_sql
from .slum_area import area_summary_sql
from .spending import spending_sql
from .sql import bind, location_where, num, row_where, rows_each


@dataclass(frozen=True)
class Headline:
    """The overview's figures for a selection and period. Percentages are 0-100; None where the selection has no
    value (e.g. no satisfaction survey in the period). "Since 2015" figures start at the 2015 baseline, "period"
    figures at the start year of the period."""

    luas_awal_ha: float  # slum area at the 2015 baseline
    luas_akhir_ha: float  # slum area at the end of the period
    berkurang_total_ha: float  # reduced since 2015
    berkurang_ha: float  # reduced during the period
    persen_berkurang: float | None  # reduced since 2015, % of the baseline
    akses_dasar: float | None  # households served (all services pooled), 2015 baseline
    akses_awal: float | None  # ... at the start of the period
    akses_akhir: float | None  # ... at the end of the period
    pokja_terbentuk: float | None  # kabupaten/kota with a Pokja PKP formed, end of the period
    pokja_berfungsi: float | None  # ... functioning
    puas: float | None  # beneficiaries satisfied, last survey of the period
    puas_tahun: int | None  # the year of that survey
    alokasi_rp: float | None  # allocated in the period
    realisasi_rp: float | None  # realised in the period
    persen_serapan: float | None  # realised, % of allocated
    n_prov: int  # provinces, kabupaten/kota and desa/kelurahan in the selection
    n_kab: int
    n_desa: int
    tahun_akhir: int  # the period's end year
    status: dict[str, str | None]  # per indicator (keys of targets.TARGETS): on_track, at_risk, off_track or None


def headline(db: Database, f: Filters) -> Headline:
    """The national (or filtered) headline figures of the overview, with a status for each."""
    where, params = bind(*location_where(f), "n")
    counts = (
        "SELECT count(DISTINCT l.kode_prov) AS prov, count(DISTINCT l.kode_kabkota) AS kab, count(*) AS desa "
        f"FROM lokasi l WHERE {where}",
        params,
    )
    [r], [[counts]] = selection_figures(db, [f], [counts])
    a = r["area"]
    share_expected = expected_progress(f.end_year)
    alloc, real = num(r["uang"], "alokasi_rp"), num(r["uang"], "realisasi_rp")
    absorption = 100 * real / alloc if alloc else None
    reduced_share = num(a, "persen_berkurang")
    access_2015, access_end = num(r["akses_dasar"], "persen_terlayani"), num(r["akses_akhir"], "persen_terlayani")
    pokja_working, satisfied = num(r["pokja"], "persen_berfungsi"), num(r["puas"], "persen_puas")
    return Headline(
        luas_awal_ha=num(a, "luas_awal_ha", 0.0),
        luas_akhir_ha=num(a, "luas_akhir_ha", 0.0),
        berkurang_total_ha=num(a, "berkurang_total_ha", 0.0),
        berkurang_ha=num(a, "berkurang_ha", 0.0),
        persen_berkurang=reduced_share,
        akses_dasar=access_2015,
        akses_awal=num(r["akses_awal"], "persen_terlayani"),
        akses_akhir=access_end,
        pokja_terbentuk=num(r["pokja"], "persen_terbentuk"),
        pokja_berfungsi=pokja_working,
        puas=satisfied,
        puas_tahun=int(r["puas"]["tahun"]) if r["puas"] is not None else None,
        alokasi_rp=alloc,
        realisasi_rp=real,
        persen_serapan=absorption,
        n_prov=int(counts["prov"]),
        n_kab=int(counts["kab"]),
        n_desa=int(counts["desa"]),
        tahun_akhir=f.end_year,
        status={
            "slum_area": status(reduced_share, TARGETS["slum_area"], share_expected),
            "access": status(access_end, from_baseline(access_2015, TARGETS["access"], share_expected)),
            "pokja": status(pokja_working, TARGETS["pokja"], share_expected),
            "satisfaction": status(satisfied, TARGETS["satisfaction"]),
            "absorption": status(absorption, TARGETS["absorption"]),
        },
    )


def selection_figures(db: Database, filters: list[Filters], extra: list[tuple[str, dict]] = ()) -> tuple[list[dict], list]:
    """The one-row figures of each selection, for the headline and the region profile: area (slum_area_summary,
    national level), akses_dasar/akses_awal/akses_akhir (all services pooled in 2015, at the start and at the end
    of the period), pokja (end of the period), puas (last survey of the period) and uang (spending totals); area
    has the average slum scores too. Each is a dict of its columns, or None when it has no row. Asked in one
    statement with the `extra` queries, whose rows come second."""
    parts = []
    for i, f in enumerate(filters):
        # access from the 2015 baseline: its status measures progress since then, whatever the period's start
        since_2015 = dataclasses.replace(f, tahun=(config.FIRST_YEAR, f.end_year))
        parts += [area_summary_sql(f, "nasional", f"a{i}", scores=True), access_sql(since_2015, "nasional", False, f"k{i}"),
                  pokja_sql(f, "nasional", f"p{i}"), satisfaction_sql(f, "nasional", f"q{i}"), spending_sql(f, (), f"m{i}")]
    rows = rows_each(db, [*parts, *extra])
    figures = []
    for i, f in enumerate(filters):
        area, access, pokja, survey, money = rows[5 * i:5 * i + 5]
        figures.append({
            "area": next(iter(area), None),
            "akses_dasar": row_where(access, tahun=config.FIRST_YEAR),
            "akses_awal": row_where(access, tahun=f.start_year),
            "akses_akhir": row_where(access, tahun=f.end_year),
            "pokja": row_where(pokja, tahun=f.end_year),
            "puas": max(survey, key=lambda r: r["tahun"], default=None),  # the national level: one place
            "uang": money[0],
        })
    return figures, rows[5 * len(filters):]
