"""One function per dashboard question. Each takes a Database and a Filters and returns a tidy DataFrame.

Period semantics: for a year range (y0, y1) the starting point is the end of year y0 - 1 (or the 2015 baseline),
the end point is the end of y1; flows (spending) are summed over y0..y1. Location filters (province,
kabupaten/kota, location type, financier, baseline slum level) select desa/kelurahan; tables kept per
kabupaten/kota (Pokja PKP, satisfaction, spending) follow the province, kabupaten/kota and financier filters.
All user values are bound parameters; only fixed SQL fragments chosen from whitelists are concatenated.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from . import config
from .db import Database
from .filters import Filters

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


def _named(where: str) -> str:
    """Turn the positional placeholders of a WHERE clause into $p0, $p1, ... (to mix with named ones)."""
    parts = where.split("?")
    return "".join(p + (f"$p{i}" if i < len(parts) - 1 else "") for i, p in enumerate(parts))


def _named_params(params: list) -> dict:
    return {f"p{i}": v for i, v in enumerate(params)}


# --- slum area ---------------------------------------------------------------------------------------------


def slum_area_by_year(db: Database, f: Filters, level: str = "nasional") -> pd.DataFrame:
    """Slum area at the end of each year of the period (plus its starting year), per place.

    Columns: kode, nama, tahun, luas_kumuh_ha, luas_awal_ha (2015 baseline), berkurang_ha (reduced since 2015).
    """
    code, name, join = _level(level, LEVELS)
    where, params = location_where(f)
    sql = (
        f"SELECT {code} AS kode, {name} AS nama, l.tahun, sum(l.luas_kumuh_ha) AS luas_kumuh_ha, "
        f"sum(l.luas_awal_ha) AS luas_awal_ha FROM {_area_source(level)} {join} "
        f"WHERE {where} AND l.tahun BETWEEN ? AND ? GROUP BY ALL ORDER BY kode, l.tahun"
    )
    df = db.query(sql, [*params, f.start_year, f.end_year])
    df["tahun"] = df["tahun"].astype(int)
    df["berkurang_ha"] = df["luas_awal_ha"] - df["luas_kumuh_ha"]
    return df


def slum_area_summary(db: Database, f: Filters, level: str = "prov") -> pd.DataFrame:
    """Per place: slum area at the start and end of the period, reduction, share reduced, locations, rank.

    Columns: kode, nama, lokasi, lokasi_peningkatan, luas_awal_ha (2015), luas_mulai_ha (start of period),
    luas_akhir_ha (end of period), berkurang_ha (during the period), berkurang_total_ha (since 2015),
    persen_berkurang (since 2015, % of baseline), peringkat (1 = largest share reduced).
    """
    code, name, join = _level(level, LEVELS)
    where, params = location_where(f)
    sql = (
        f"SELECT {code} AS kode, {name} AS nama, "
        "CAST(sum(l.lokasi) FILTER (WHERE l.tahun = $end) AS BIGINT) AS lokasi, "
        "CAST(sum(l.lokasi_peningkatan) FILTER (WHERE l.tahun = $end) AS BIGINT) AS lokasi_peningkatan, "
        "sum(l.luas_awal_ha) FILTER (WHERE l.tahun = $end) AS luas_awal_ha, "
        "sum(l.luas_kumuh_ha) FILTER (WHERE l.tahun = $start) AS luas_mulai_ha, "
        "sum(l.luas_kumuh_ha) FILTER (WHERE l.tahun = $end) AS luas_akhir_ha "
        f"FROM {_area_source(level)} {join} "
        f"WHERE {_named(where)} AND l.tahun IN ($start, $end) GROUP BY ALL ORDER BY kode"
    )
    df = db.query(sql, {"start": f.start_year, "end": f.end_year, **_named_params(params)})
    # the national level groups by constants only, so an empty selection still gives one row of NULLs: drop it
    df = df[df["lokasi"].fillna(0) > 0].reset_index(drop=True)
    df["berkurang_ha"] = df["luas_mulai_ha"] - df["luas_akhir_ha"]
    df["berkurang_total_ha"] = df["luas_awal_ha"] - df["luas_akhir_ha"]
    df["persen_berkurang"] = (100 * df["berkurang_total_ha"] / df["luas_awal_ha"]).where(df["luas_awal_ha"] > 0)
    df["peringkat"] = df["persen_berkurang"].rank(ascending=False, method="min").astype("Int64")
    return df


def kelurahan_table(db: Database, f: Filters) -> pd.DataFrame:
    """One row per desa/kelurahan in the selection: baseline, start, end, reduction, slum level."""
    where, params = location_where(f)
    sql = (
        "SELECT l.kode_desa, l.nama_desa, k.nama_kabkota, p.nama_prov, l.tipe_lokasi, l.sumber_dana, "
        "l.luas_kumuh_awal_ha AS luas_awal_ha, s.luas_kumuh_ha AS luas_mulai_ha, e.luas_kumuh_ha AS luas_akhir_ha, "
        "l.luas_kumuh_awal_ha - e.luas_kumuh_ha AS berkurang_total_ha, l.skor_kumuh_awal, l.tingkat_kumuh_awal, "
        "e.skor_kumuh AS skor_kumuh_akhir, e.tingkat_kumuh AS tingkat_kumuh_akhir "
        "FROM lokasi l JOIN kabkota k ON k.kode_kabkota = l.kode_kabkota "
        "JOIN provinsi p ON p.kode_prov = l.kode_prov "
        "JOIN luas_kumuh_tahunan s ON s.kode_desa = l.kode_desa AND s.tahun = ? "
        "JOIN luas_kumuh_tahunan e ON e.kode_desa = l.kode_desa AND e.tahun = ? "
        f"WHERE {where} ORDER BY berkurang_total_ha DESC, l.kode_desa"
    )
    return db.query(sql, [f.start_year, f.end_year, *params])


def zero_slum_projection(db: Database, f: Filters, level: str = "prov", window: int = 3) -> pd.DataFrame:
    """Year each place reaches zero slum area if it keeps the average pace of its last `window` years.

    A projection, not a forecast: linear at the recent pace; None when the pace is zero (never at that pace).
    Columns: kode, nama, luas_akhir_ha, laju_ha_per_tahun, tahun_nol.
    """
    series = slum_area_by_year(
        db,
        Filters(
            tahun=(config.FIRST_YEAR, f.end_year), prov=f.prov, kab=f.kab, tipe=f.tipe, dana=f.dana, tingkat=f.tingkat
        ),
        level,
    )
    rows = []
    for (kode, nama), g in series.groupby(["kode", "nama"], sort=True):
        g = g.sort_values("tahun")
        last = g.iloc[-1]
        past = g[g["tahun"] == last["tahun"] - window]
        pace = (past["luas_kumuh_ha"].iloc[0] - last["luas_kumuh_ha"]) / window if len(past) else 0.0
        if last["luas_kumuh_ha"] <= 0.005:
            year = int(g.loc[g["luas_kumuh_ha"] <= 0.005, "tahun"].iloc[0])
        elif pace > 0:
            year = int(last["tahun"] + -(-last["luas_kumuh_ha"] // pace))
        else:
            year = None
        rows.append((kode, nama, float(last["luas_kumuh_ha"]), float(pace), year))
    return pd.DataFrame(rows, columns=["kode", "nama", "luas_akhir_ha", "laju_ha_per_tahun", "tahun_nol"]).astype(
        {"tahun_nol": "Int64"}
    )


# --- outcome indicators --------------------------------------------------------------------------------------


def service_access(db: Database, f: Filters, level: str = "nasional", by_service: bool = True) -> pd.DataFrame:
    """Indicator 1: households served per service (or all services pooled), per place and year.

    Columns: kode, nama, tahun, [layanan], kk_total, kk_terlayani, persen_terlayani.
    """
    code, name, join = _level(level, LEVELS)
    where, params = location_where(f)
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
        f"SELECT {code} AS kode, {name} AS nama, l.tahun, {service}"
        "sum(l.kk_total) AS kk_total, sum(l.kk_terlayani) AS kk_terlayani "
        f"FROM {source} {join} "
        f"WHERE {where} AND l.tahun BETWEEN ? AND ? GROUP BY ALL ORDER BY ALL"
    )
    df = db.query(sql, [*params, f.start_year, f.end_year])
    df["tahun"] = df["tahun"].astype(int)
    df["persen_terlayani"] = 100 * df["kk_terlayani"] / df["kk_total"]
    return df


def pokja_status(db: Database, f: Filters, level: str = "nasional") -> pd.DataFrame:
    """Indicator 3: kabupaten/kota with a Pokja PKP formed and functioning, per place and year.

    Columns: kode, nama, tahun, kabkota, terbentuk, berfungsi, persen_terbentuk, persen_berfungsi.
    """
    code, name, join = _level(level, KAB_LEVELS)
    where, params = kabkota_where(f)
    sql = (
        f"SELECT {code} AS kode, {name} AS nama, x.tahun, count(*) AS kabkota, "
        "count(*) FILTER (WHERE x.terbentuk) AS terbentuk, count(*) FILTER (WHERE x.berfungsi) AS berfungsi "
        f"FROM pokja_pkp x {join} WHERE {where} AND x.tahun BETWEEN ? AND ? GROUP BY ALL ORDER BY ALL"
    )
    df = db.query(sql, [*params, f.start_year, f.end_year])
    df["tahun"] = df["tahun"].astype(int)
    df["persen_terbentuk"] = 100 * df["terbentuk"] / df["kabkota"]
    df["persen_berfungsi"] = 100 * df["berfungsi"] / df["kabkota"]
    return df


def satisfaction(db: Database, f: Filters, level: str = "nasional") -> pd.DataFrame:
    """Indicator 4: beneficiaries satisfied, per place and survey year within the period.

    Columns: kode, nama, tahun, responden, puas, persen_puas.
    """
    code, name, join = _level(level, KAB_LEVELS)
    where, params = kabkota_where(f)
    sql = (
        f"SELECT {code} AS kode, {name} AS nama, x.tahun, sum(x.responden) AS responden, sum(x.puas) AS puas "
        f"FROM kepuasan x {join} WHERE {where} AND x.tahun BETWEEN ? AND ? GROUP BY ALL ORDER BY ALL"
    )
    df = db.query(sql, [*params, f.tahun[0], f.end_year])
    df["tahun"] = df["tahun"].astype(int)
    df["persen_puas"] = 100 * df["puas"] / df["responden"]
    return df


# --- spending --------------------------------------------------------------------------------------------

SPENDING_DIMENSIONS = {
    "tahun": "x.tahun",
    "komponen": "x.komponen",
    "sumber_dana": "x.sumber_dana",
    "kode_prov": "substr(x.kode_kabkota, 1, 2)",
    "kode_kabkota": "x.kode_kabkota",
}


def spending(db: Database, f: Filters, by: tuple[str, ...] = ("komponen",)) -> pd.DataFrame:
    """Allocated and realised spending in the period, grouped by any of tahun, komponen, sumber_dana,
    kode_prov, kode_kabkota. Columns: <by...>, alokasi_rp, realisasi_rp, persen_serapan (absorption %)."""
    unknown = [b for b in by if b not in SPENDING_DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown spending dimension(s) {unknown}")
    where, params = kabkota_where(f, financier_col="sumber_dana")
    select = "".join(f"{SPENDING_DIMENSIONS[b]} AS {b}, " for b in by)
    group = "GROUP BY ALL ORDER BY ALL" if by else ""
    sql = (
        f"SELECT {select}sum(x.alokasi_rp) AS alokasi_rp, sum(x.realisasi_rp) AS realisasi_rp "
        f"FROM anggaran x WHERE {where} AND x.tahun BETWEEN ? AND ? {group}"
    )
    df = db.query(sql, [*params, f.tahun[0], f.end_year])
    for col in ("tahun", "komponen"):
        if col in df:
            df[col] = df[col].astype(int)
    if not by:  # the one row of totals: nothing selected sums to 0, not to NULL
        df[["alokasi_rp", "realisasi_rp"]] = df[["alokasi_rp", "realisasi_rp"]].fillna(0.0)
    df["persen_serapan"] = (100 * df["realisasi_rp"] / df["alokasi_rp"]).where(df["alokasi_rp"] > 0)
    return df


def spending_per_ha(db: Database, f: Filters, level: str = "prov") -> pd.DataFrame:
    """Realised spending in the period per hectare of slum reduced in the period, per province or kab/kota.

    Spending follows the place and financier filters; hectares follow all location filters.
    Columns: kode, nama, realisasi_rp, berkurang_ha, rp_per_ha.
    """
    if level not in ("prov", "kab"):
        raise ValueError("spending per hectare is by 'prov' or 'kab'")
    area = slum_area_summary(db, f, level)[["kode", "nama", "berkurang_ha"]]
    dim = "kode_prov" if level == "prov" else "kode_kabkota"
    money = spending(db, f, by=(dim,)).rename(columns={dim: "kode"})[["kode", "realisasi_rp"]]
    df = area.merge(money, on="kode", how="inner")
    df["rp_per_ha"] = (df["realisasi_rp"] / df["berkurang_ha"]).where(df["berkurang_ha"] > 0)
    return df.sort_values("kode").reset_index(drop=True)[["kode", "nama", "realisasi_rp", "berkurang_ha", "rp_per_ha"]]


# --- headline and status --------------------------------------------------------------------------------

# Working targets for the dashboard status. Only the slum-area target (38,431 ha) is published; the others
# are the dashboard's own working targets for the end of the programme period (see Data & Methods).
TARGETS = {
    "slum_area": 100.0,  # % of the baseline slum area handled (38,431 ha nationally)
    "access": 100.0,  # % of households served (zero slum means every service criterion met)
    "pokja": 100.0,  # % of kabupaten/kota with a functioning Pokja PKP
    "satisfaction": 80.0,  # % of beneficiaries satisfied
    "absorption": 100.0,  # % of the allocation realised
}
STATUS_ON_TRACK, STATUS_AT_RISK = 0.95, 0.80


def expected_progress(year: int, first: int = config.FIRST_YEAR, last: int = config.LAST_YEAR) -> float:
    """Share of the end target expected by the end of `year` on a straight line from the baseline."""
    return min(max((year - first) / (last - first), 0.0), 1.0)


def status(actual: float | None, target: float, expected_share: float = 1.0) -> str | None:
    """on_track when actual reaches 95 % of the expected value, at_risk from 80 %, else off_track."""
    if actual is None or pd.isna(actual):
        return None
    expected = target * expected_share
    if expected <= 0:
        return "on_track"
    ratio = actual / expected
    if ratio >= STATUS_ON_TRACK:
        return "on_track"
    return "at_risk" if ratio >= STATUS_AT_RISK else "off_track"


def _from_baseline(baseline: float | None, target: float, share: float) -> float:
    """Expected value after `share` of the way from the baseline to the target."""
    return target if baseline is None else baseline + (target - baseline) * share


def headline(db: Database, f: Filters) -> dict:
    """The national (or filtered) headline numbers of the overview, with a status for each."""
    area = slum_area_summary(db, f, "nasional")
    a = area.iloc[0] if len(area) else None
    # from the 2015 baseline: the access status measures progress since then, whatever the period's start
    access = service_access(
        db, dataclasses.replace(f, tahun=(config.FIRST_YEAR, f.end_year)), "nasional", by_service=False
    )
    pokja = pokja_status(db, f, "nasional")
    sat = satisfaction(db, f, "nasional")
    money = spending(db, f, by=())
    counts = db.query(
        "SELECT count(DISTINCT l.kode_prov) AS prov, count(DISTINCT l.kode_kabkota) AS kab, count(*) AS desa "
        "FROM lokasi l WHERE " + location_where(f)[0],
        location_where(f)[1],
    ).iloc[0]

    def at(df: pd.DataFrame, year: int, col: str) -> float | None:
        row = df[df["tahun"] == year]
        return float(row[col].iloc[0]) if len(row) else None

    share_expected = expected_progress(f.end_year)
    out = {
        "luas_awal_ha": float(a["luas_awal_ha"]) if a is not None else 0.0,
        "luas_akhir_ha": float(a["luas_akhir_ha"]) if a is not None else 0.0,
        "berkurang_ha": float(a["berkurang_total_ha"]) if a is not None else 0.0,
        "berkurang_periode_ha": float(a["berkurang_ha"]) if a is not None else 0.0,
        "persen_berkurang": float(a["persen_berkurang"]) if a is not None and pd.notna(a["persen_berkurang"]) else None,
        "akses_dasar": at(access, config.FIRST_YEAR, "persen_terlayani"),  # 2015 baseline
        "akses_awal": at(access, f.start_year, "persen_terlayani"),  # start of the period
        "akses_akhir": at(access, f.end_year, "persen_terlayani"),
        "pokja_berfungsi": at(pokja, f.end_year, "persen_berfungsi"),
        "pokja_terbentuk": at(pokja, f.end_year, "persen_terbentuk"),
        "puas": float(sat["persen_puas"].iloc[-1]) if len(sat) else None,
        "puas_tahun": int(sat["tahun"].iloc[-1]) if len(sat) else None,
        "alokasi_rp": float(money["alokasi_rp"].iloc[0] or 0) if len(money) else 0.0,
        "realisasi_rp": float(money["realisasi_rp"].iloc[0] or 0) if len(money) else 0.0,
        "n_prov": int(counts["prov"]),
        "n_kab": int(counts["kab"]),
        "n_desa": int(counts["desa"]),
        "tahun_akhir": f.end_year,
    }
    out["persen_serapan"] = 100 * out["realisasi_rp"] / out["alokasi_rp"] if out["alokasi_rp"] else None
    out["status"] = {
        "slum_area": status(out["persen_berkurang"], TARGETS["slum_area"], share_expected),
        "access": status(out["akses_akhir"], _from_baseline(out["akses_dasar"], TARGETS["access"], share_expected)),
        "pokja": status(out["pokja_berfungsi"], TARGETS["pokja"], share_expected),
        "satisfaction": status(out["puas"], TARGETS["satisfaction"]),
        "absorption": status(out["persen_serapan"], TARGETS["absorption"]),
    }
    return out


def region_index(db: Database) -> pd.DataFrame:
    """Every programme province, kabupaten/kota and desa/kelurahan, for search: level, kode, nama, parent."""
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
    return db.query(
        "SELECT DISTINCT l.kode_prov, p.nama_prov, p.nama_prov_en, l.kode_kabkota, k.nama_kabkota "
        "FROM lokasi l JOIN provinsi p ON p.kode_prov = l.kode_prov "
        "JOIN kabkota k ON k.kode_kabkota = l.kode_kabkota ORDER BY l.kode_prov, l.kode_kabkota"
    )


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
    from .reference import PUBLISHED_FILES, read_reference

    if f"{name}.csv" not in PUBLISHED_FILES:
        raise ValueError(f"unknown published table {name!r}")
    return read_reference(f"published/{name}.csv", db.data_dir / "reference")


def published_highlights(db: Database, f: Filters | None = None) -> pd.DataFrame:
    """The key published national figures for the overview, each with its source.

    Columns: key (i18n label key), periode, nilai (float), unit ('ha' or 'usd_m' = US$ million),
    persen_target (% of target as published, or None), source_url.
    """
    rows = []
    for table, col, value, key, value_col, unit in PUBLISHED_HIGHLIGHTS:
        df = published_table(db, f, table)
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


def _services_first(df: pd.DataFrame) -> pd.DataFrame:
    """Rows in the order of config.SERVICES within each place."""
    order = {s: i for i, s in enumerate(config.SERVICES)}
    return df.assign(_o=df["layanan"].map(order)).sort_values(["kode", "_o"]).drop(columns="_o").reset_index(drop=True)


def service_access_change(db: Database, f: Filters, level: str = "nasional") -> pd.DataFrame:
    """Indicator 1 at the start of the period against its end, per place and service.

    Columns: kode, nama, layanan, tahun_awal, tahun_akhir, kk_total (end), kk_terlayani (end), persen_awal,
    persen_akhir, selisih_poin (percentage points gained).
    """
    df = service_access(db, f, level)
    keys = ["kode", "layanan"]
    start = df[df["tahun"] == f.start_year][[*keys, "persen_terlayani"]].rename(
        columns={"persen_terlayani": "persen_awal"}
    )
    end = df[df["tahun"] == f.end_year][[*keys, "nama", "kk_total", "kk_terlayani", "persen_terlayani"]].rename(
        columns={"persen_terlayani": "persen_akhir"}
    )
    out = end.merge(start, on=keys, how="left")
    out["tahun_awal"], out["tahun_akhir"] = f.start_year, f.end_year
    out["selisih_poin"] = out["persen_akhir"] - out["persen_awal"]
    cols = [
        "kode",
        "nama",
        "layanan",
        "tahun_awal",
        "tahun_akhir",
        "kk_total",
        "kk_terlayani",
        "persen_awal",
        "persen_akhir",
        "selisih_poin",
    ]
    return _services_first(out[cols])


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
        df = slum_area_by_year(db, f, "nasional")
    elif region_level(code) == "desa":
        df = slum_area_by_year(db, region_filters(f, code), "desa")
        df = df[df["kode"] == code]
    else:
        df = slum_area_by_year(db, region_filters(f, code), "nasional")
    out = df[["tahun", "luas_kumuh_ha", "luas_awal_ha", "berkurang_ha"]].reset_index(drop=True)
    out["target_ha"] = out["luas_awal_ha"]
    share = out["tahun"].map(expected_progress)
    out["diharapkan_ha"] = out["target_ha"] * share
    base = out["target_ha"].where(out["target_ha"] > 0)
    out["persen_capaian"] = 100 * out["berkurang_ha"] / base
    out["persen_diharapkan"] = 100 * share
    out["status"] = [status(a, TARGETS["slum_area"], s) for a, s in zip(out["persen_capaian"], share, strict=True)]
    return out


def spending_summary(db: Database, f: Filters) -> dict:
    """Spending headline for the period: alokasi_rp, realisasi_rp, persen_serapan (absorption %, with its status),
    belum_terserap_rp (allocated, not realised), berkurang_ha (slum reduced in the period, all location filters)
    and rp_per_ha (realised rupiah per hectare reduced)."""
    money = spending(db, f, by=())
    area = slum_area_summary(db, f, "nasional")
    alloc = float(money["alokasi_rp"].iloc[0] or 0) if len(money) else 0.0
    real = float(money["realisasi_rp"].iloc[0] or 0) if len(money) else 0.0
    reduced = float(area["berkurang_ha"].iloc[0]) if len(area) else 0.0
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
    dim = "kode_prov" if level == "prov" else "kode_kabkota"
    money = spending(db, f, by=(dim,)).rename(columns={dim: "kode"})
    area = slum_area_summary(db, f, level)[["kode", "nama", "berkurang_ha"]]
    names = db.query(
        "SELECT kode_prov AS kode, nama_prov AS nama FROM provinsi"
        if level == "prov"
        else "SELECT kode_kabkota AS kode, nama_kabkota AS nama FROM kabkota"
    )
    df = money.merge(area.drop(columns="nama"), on="kode", how="outer").merge(names, on="kode", how="left")
    df["rp_per_ha"] = (df["realisasi_rp"] / df["berkurang_ha"]).where(df["berkurang_ha"] > 0)
    cols = ["kode", "nama", "alokasi_rp", "realisasi_rp", "persen_serapan", "berkurang_ha", "rp_per_ha"]
    return df.sort_values("kode").reset_index(drop=True)[cols]


# --- region profile ------------------------------------------------------------------------------------------


def region_name(db: Database, code: str) -> tuple[str, str | None]:
    """(name, parent name) of a region code; ("Indonesia", None) for the national code."""
    from .search import region_level

    level = region_level(code)
    if level == "nasional":
        return "Indonesia", None
    sql = {
        "prov": "SELECT nama_prov, NULL FROM provinsi WHERE kode_prov = ?",
        "kab": "SELECT k.nama_kabkota, p.nama_prov FROM kabkota k JOIN provinsi p USING (kode_prov) "
        "WHERE k.kode_kabkota = ?",
        "desa": "SELECT l.nama_desa, k.nama_kabkota FROM lokasi l JOIN kabkota k USING (kode_kabkota) "
        "WHERE l.kode_desa = ?",
    }[level]
    row = db.query(sql, [code])
    if row.empty:
        return code, None
    parent = row.iloc[0, 1]
    return str(row.iloc[0, 0]), (str(parent) if isinstance(parent, str) else None)


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


def _profile_row(db: Database, f: Filters, code: str) -> dict:
    from .search import region_filters, region_level

    level = region_level(code)
    rf = region_filters(f, code)
    nama, induk = region_name(db, code)
    row: dict = dict.fromkeys(PROFILE_COLUMNS)
    row.update(kode=code, level=level, nama=nama, induk=induk)

    def at(df: pd.DataFrame, year: int, col: str) -> float | None:
        hit = df[df["tahun"] == year]
        return float(hit[col].iloc[0]) if len(hit) else None

    if level == "desa":
        kel = kelurahan_table(db, rf)
        kel = kel[kel["kode_desa"] == code]
        if kel.empty:
            return row
        k = kel.iloc[0]
        access = service_access(db, rf, "desa", by_service=False)
        access = access[access["kode"] == code]
        base = float(k["luas_awal_ha"])
        row.update(
            lokasi=1,
            luas_awal_ha=base,
            luas_mulai_ha=float(k["luas_mulai_ha"]),
            luas_akhir_ha=float(k["luas_akhir_ha"]),
            berkurang_ha=float(k["luas_mulai_ha"] - k["luas_akhir_ha"]),
            berkurang_total_ha=float(k["berkurang_total_ha"]),
            persen_berkurang=100 * float(k["berkurang_total_ha"]) / base if base > 0 else None,
            skor_awal=float(k["skor_kumuh_awal"]),
            skor_akhir=float(k["skor_kumuh_akhir"]),
            tingkat_awal=k["tingkat_kumuh_awal"],
            tingkat_akhir=k["tingkat_kumuh_akhir"],
            tipe_lokasi=k["tipe_lokasi"],
            sumber_dana=k["sumber_dana"],
        )
    else:
        area = slum_area_summary(db, rf, "nasional")
        if area.empty:
            return row
        a = area.iloc[0]
        access = service_access(db, rf, "nasional", by_service=False)
        where, params = location_where(rf)
        scores = db.query(
            "SELECT avg(l.skor_kumuh_awal) AS skor_awal, avg(e.skor_kumuh) AS skor_akhir FROM lokasi l "
            "JOIN luas_kumuh_tahunan e ON e.kode_desa = l.kode_desa AND e.tahun = ? WHERE " + where,
            [rf.end_year, *params],
        ).iloc[0]
        pokja = pokja_status(db, rf, "nasional")
        sat = satisfaction(db, rf, "nasional")
        money = spending(db, rf, by=())
        real = float(money["realisasi_rp"].iloc[0]) if len(money) and pd.notna(money["realisasi_rp"].iloc[0]) else None
        alloc = float(money["alokasi_rp"].iloc[0]) if len(money) and pd.notna(money["alokasi_rp"].iloc[0]) else None
        reduced = float(a["berkurang_ha"])
        row.update(
            lokasi=int(a["lokasi"]),
            luas_awal_ha=float(a["luas_awal_ha"]),
            luas_mulai_ha=float(a["luas_mulai_ha"]),
            luas_akhir_ha=float(a["luas_akhir_ha"]),
            berkurang_ha=reduced,
            berkurang_total_ha=float(a["berkurang_total_ha"]),
            persen_berkurang=float(a["persen_berkurang"]) if pd.notna(a["persen_berkurang"]) else None,
            skor_awal=float(scores["skor_awal"]),
            skor_akhir=float(scores["skor_akhir"]),
            pokja_terbentuk=at(pokja, rf.end_year, "persen_terbentuk"),
            pokja_berfungsi=at(pokja, rf.end_year, "persen_berfungsi"),
            puas=float(sat["persen_puas"].iloc[-1]) if len(sat) else None,
            puas_tahun=int(sat["tahun"].iloc[-1]) if len(sat) else None,
            alokasi_rp=alloc,
            realisasi_rp=real,
            persen_serapan=100 * real / alloc if real is not None and alloc else None,
            rp_per_ha=real / reduced if real is not None and reduced > 0 else None,
        )
    row.update(
        akses_awal=at(access, rf.start_year, "persen_terlayani"),
        akses_akhir=at(access, rf.end_year, "persen_terlayani"),
        # households: the pooled total counts each household once per service
        kk_total=at(access.assign(kk=access["kk_total"] / len(config.SERVICES)), rf.end_year, "kk"),
    )
    return row


def profile_summary(db: Database, f: Filters, codes: tuple[str, ...]) -> pd.DataFrame:
    """One row per region code ("ID" = national, province, kabupaten/kota or desa code), in the given order.

    Each region keeps the year range and, except a desa/kelurahan, the type, financier and slum-level filters
    of `f`; its place filters are the region's own. Indicators kept per kabupaten/kota (Pokja PKP,
    satisfaction) and spending are empty for a desa/kelurahan; slum level and location type only for a desa.
    Columns: PROFILE_COLUMNS (skor_* are averages over the locations for a larger region).
    """
    return pd.DataFrame([_profile_row(db, f, c) for c in codes], columns=PROFILE_COLUMNS)


PROFILE_SERIES = ("sisa_kumuh", "akses", "pokja", "puas")


def profile_series(db: Database, f: Filters, codes: tuple[str, ...]) -> pd.DataFrame:
    """Yearly percentages of each region code, comparable across regions of any size.

    indikator: sisa_kumuh (slum area left, % of the 2015 baseline), akses (households served, all services),
    pokja (kabupaten/kota with a functioning Pokja PKP), puas (beneficiaries satisfied, survey years only);
    pokja and puas are absent for a desa/kelurahan. Columns: kode, nama, indikator, tahun, nilai (%).
    """
    from .search import region_filters, region_level

    parts = []
    for code in codes:
        level = region_level(code)
        rf = region_filters(f, code)
        nama, _ = region_name(db, code)
        lvl = "desa" if level == "desa" else "nasional"
        area = slum_area_by_year(db, rf, lvl)
        access = service_access(db, rf, lvl, by_service=False)
        if level == "desa":
            area, access = area[area["kode"] == code], access[access["kode"] == code]
        left = 100 * area["luas_kumuh_ha"] / area["luas_awal_ha"].where(area["luas_awal_ha"] > 0)
        pieces = [
            ("sisa_kumuh", area["tahun"], left),
            ("akses", access["tahun"], access["persen_terlayani"]),
        ]
        if level != "desa":
            pokja = pokja_status(db, rf, "nasional")
            sat = satisfaction(db, rf, "nasional")
            pieces += [("pokja", pokja["tahun"], pokja["persen_berfungsi"]), ("puas", sat["tahun"], sat["persen_puas"])]
        for name, years, values in pieces:
            parts.append(
                pd.DataFrame(
                    {
                        "kode": code,
                        "nama": nama,
                        "indikator": name,
                        "tahun": years.to_numpy(),
                        "nilai": values.to_numpy(),
                    }
                )
            )
    cols = ["kode", "nama", "indikator", "tahun", "nilai"]
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True)
    out["tahun"] = out["tahun"].astype(int)
    return out[cols]


def profile_access(db: Database, f: Filters, codes: tuple[str, ...]) -> pd.DataFrame:
    """Households served per service at the start and end of the period, per region code (same filters as
    profile_summary). Columns: kode, nama, layanan, persen_awal, persen_akhir, selisih_poin."""
    from .search import region_filters, region_level

    parts = []
    for code in codes:
        level = region_level(code)
        df = service_access_change(db, region_filters(f, code), "desa" if level == "desa" else "nasional")
        if level == "desa":
            df = df[df["kode"] == code]
        df = df.assign(kode=code, nama=region_name(db, code)[0])
        parts.append(df[["kode", "nama", "layanan", "persen_awal", "persen_akhir", "selisih_poin"]])
    return (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=["kode", "nama", "layanan", "persen_awal", "persen_akhir", "selisih_poin"])
    )


def region_choices(db: Database, f: Filters) -> pd.DataFrame:
    """Regions a profile can be compared with: every programme province and kabupaten/kota, plus the
    desa/kelurahan of the selected kabupaten/kota, sorted by code (a province, then its kabupaten/kota).
    Columns: level, kode, nama, induk."""
    idx = region_index(db)
    keep = idx["level"].isin(["prov", "kab"])
    if f.kab:
        keep |= (idx["level"] == "desa") & idx["kode"].str.startswith(f.kab + ".")
    return idx[keep].sort_values("kode").reset_index(drop=True)


_SEARCH_INDEX: dict[int, tuple[object, object]] = {}


def region_search(db: Database, f: Filters, text: str, limit: int = 10) -> pd.DataFrame:
    """Provinces, kabupaten/kota and desa/kelurahan whose name begins like `text` (typo-tolerant; see
    kotaku_data.search). The filters do not restrict the search. Columns: level, kode, nama, induk, kesalahan."""
    from .search import RegionIndex

    cached = _SEARCH_INDEX.get(id(db))
    if cached is None or cached[0] is not db:
        cached = (db, RegionIndex(region_index(db)))
        _SEARCH_INDEX.clear()  # one data set at a time: the index of an older Database is dropped
        _SEARCH_INDEX[id(db)] = cached
    return cached[1].search(text, limit)


def map_attribution(db: Database, f: Filters | None = None) -> str:
    """Attribution text of the province map (data/reference/provinsi.geojson.ATTRIBUTION.txt), '' if missing."""
    path = db.data_dir / "reference" / "provinsi.geojson.ATTRIBUTION.txt"
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""
