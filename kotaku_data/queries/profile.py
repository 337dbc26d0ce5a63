"""Region profile: one region (national, province, kabupaten/kota or desa/kelurahan) against others."""

from __future__ import annotations

import pandas as pd

from .. import config
from ..data.db import Database
from ..filters import Filters
from ..search import region_filters, region_level
from .headline import selection_figures
from .indicators import access_change_sql, access_sql, pokja_sql, satisfaction_sql
from .regions import region_name
from .slum_area import kelurahan_table, slum_series_sql
from .sql import num, row_where, rows

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
    regions = [(code, region_level(code), region_filters(f, code)) for code in codes]
    larger = [rf for _, level, rf in regions if level != "desa"]
    figures = iter(selection_figures(db, larger)[0])  # for all larger regions at once
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
    real, alloc, reduced = num(money, "realisasi_rp"), num(money, "alokasi_rp"), num(a, "berkurang_ha")
    return {
        "lokasi": int(a["lokasi"]),
        "luas_awal_ha": num(a, "luas_awal_ha"),
        "luas_mulai_ha": num(a, "luas_mulai_ha"),
        "luas_akhir_ha": num(a, "luas_akhir_ha"),
        "berkurang_ha": reduced,
        "berkurang_total_ha": num(a, "berkurang_total_ha"),
        "persen_berkurang": num(a, "persen_berkurang"),
        "skor_awal": num(a, "skor_awal"),
        "skor_akhir": num(a, "skor_akhir"),
        "pokja_terbentuk": num(figures["pokja"], "persen_terbentuk"),
        "pokja_berfungsi": num(figures["pokja"], "persen_berfungsi"),
        "puas": num(figures["puas"], "persen_puas"),
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
    access = rows(db, access_sql(rf, "desa", False, desa=code))
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
    } | _access_profile(row_where(access, tahun=rf.start_year), row_where(access, tahun=rf.end_year))


def _access_profile(start: dict | None, end: dict | None) -> dict:
    return {
        "akses_awal": num(start, "persen_terlayani"),
        "akses_akhir": num(end, "persen_terlayani"),
        # households: the pooled total counts each household once per service
        "kk_total": None if end is None else num(end, "kk_total") / len(config.SERVICES),
    }


PROFILE_SERIES = ("sisa_kumuh", "akses", "pokja", "puas")


def profile_series(db: Database, f: Filters, codes: tuple[str, ...]) -> pd.DataFrame:
    """Yearly percentages of each region code, comparable across regions of any size.

    indikator: sisa_kumuh (slum area left, % of the 2015 baseline), akses (households served, all services),
    pokja (kabupaten/kota with a functioning Pokja PKP), puas (beneficiaries satisfied, survey years only);
    pokja and puas are absent for a desa/kelurahan. Columns: kode, nama, indikator, tahun, nilai (%).
    """
    cols = ["kode", "nama", "indikator", "tahun", "nilai"]
    if not codes:
        return pd.DataFrame(columns=cols)
    parts, params, selects = {}, {}, []
    for i, code in enumerate(codes):  # every region's series in one statement
        desa = code if region_level(code) == "desa" else None
        rf = region_filters(f, code)
        level = "desa" if desa else "nasional"
        parts |= {f"s{i}": slum_series_sql(rf, level, f"s{i}", desa), f"k{i}": access_sql(rf, level, False, f"k{i}", desa)}
        pieces = [
            (f"s{i}", "sisa_kumuh", "100 * luas_kumuh_ha / CASE WHEN luas_awal_ha > 0 THEN luas_awal_ha END"),
            (f"k{i}", "akses", "persen_terlayani"),
        ]
        if not desa:
            parts |= {f"p{i}": pokja_sql(rf, "nasional", f"p{i}"), f"q{i}": satisfaction_sql(rf, "nasional", f"q{i}")}
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
    cols = ["kode", "nama", "layanan", "persen_awal", "persen_akhir", "selisih_poin"]
    if not codes:
        return pd.DataFrame(columns=cols)
    params, selects = {}, []
    for i, code in enumerate(codes):  # every region in one statement
        desa = code if region_level(code) == "desa" else None
        sql, change_params = access_change_sql(region_filters(f, code), "desa" if desa else "nasional", desa, f"k{i}")
        params |= change_params | {f"kode{i}": code, f"nama{i}": region_name(db, code)[0]}
        selects.append(f"SELECT {i} AS r, $kode{i} AS kode, $nama{i} AS nama, layanan, persen_awal, persen_akhir, "
                       f"selisih_poin FROM ({sql})")
    return db.query(
        f"SELECT {', '.join(cols)} FROM ({' UNION ALL '.join(selects)}) "
        "ORDER BY r, list_position($services, layanan)",
        params,
    )
