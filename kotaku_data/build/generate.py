"""Seeded generator of the bundled *illustrative* programme monitoring data set.

The real per-kelurahan monitoring data of KOTAKU is not public. This module produces a realistic stand-in
with real place names and codes (Kemendagri list in data/reference/), calibrated to published totals:

* 34 provinces, 271 kabupaten/kota, 11,064 desa/kelurahan (kotaku.pu.go.id FAQ). Which places are programme
  locations is not published in a form we have: every kota is taken, then the most urban kabupaten (most
  kelurahan); within a kabupaten/kota kelurahan come before desa, desa of urban kecamatan before others.
  Province counts published in kotaku_slum_area_by_province.csv are matched where they exist.
* Baseline slum area of upgrading locations sums to 38,431 ha; published province slum areas are matched
  where they exist; bigger slums in bigger cities (lognormal sizes weighted by the city's kelurahan count).
* Slum area never rises; national cumulative reduction at end of 2019 is calibrated to the published
  32,221 ha, with pace varying by province and location, and some locations never handled (as reported).
* Spending by financier is of the order of the published financing (IBRD and AIIB US$216.5m each, IsDB
  US$329.6m, APBN about Rp 2.8 T for 2015-2018 and Rp 0.3-0.4 T a year after).

Same seed and scale give byte-identical Parquet files. Scale K > 1 (benchmarks) adds K-1 synthetic copies of
every location, with kecamatan codes 81..99 that do not exist in the official list and `sintetis = true`.
"""
from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import config
from .reference import read_reference

DEFAULT_SEED = 2016

# Published per-province location counts (kotaku_slum_area_by_province.csv): kab/kota, and desa/kelurahan.
# "all" counts cover every programme location; "upgrading" counts are of slum (upgrading) locations only.
PUBLISHED_KABKOTA = {"33": 35, "12": 14, "13": 19, "14": 12, "21": 7, "61": 5, "73": 14, "74": 4,
                     "71": 7, "52": 10, "63": 13}
PUBLISHED_DESA_ALL = {"12": 621, "33": 630}
PUBLISHED_DESA_UPGRADING = {"73": 129, "74": 127, "61": 27}
# Published province slum area in KOTAKU locations (ha), used as province baseline totals.
PUBLISHED_PROVINCE_HA = {"33": 3982.88, "35": 1792.59, "21": 823.71, "61": 377.81, "73": 1574.45,
                         "74": 691.66, "71": 392.91}
# Target national cumulative reduction (share of 38,431 ha) at the end of each year; 2018 and 2019 follow
# published figures (23,407 ha with local government; 32,221 ha), later years the slower RPJMN 2020-2024 pace.
CUMULATIVE_SHARE = {2015: 0.0, 2016: 0.09, 2017: 0.25, 2018: 0.609, 2019: 32_221 / 38_431, 2020: 0.855,
                    2021: 0.87, 2022: 0.882, 2023: 0.892, 2024: 0.9}
UPGRADING_SHARE = 0.36
# Financier of a kabupaten/kota (illustrative): IsDB provinces, then APBN, the rest NSUP (IBRD or AIIB).
ISDB_PROVINCES = {"13", "14", "16", "18", "63", "64", "73", "74"}
APBN_PROVINCES = {"11", "17", "19", "53", "62", "65", "76", "81", "82", "91", "92"}
FINANCE_YEARS = {"ibrd": range(2016, 2023), "aiib": range(2016, 2023), "isdb": range(2017, 2024),
                 "apbn": range(2015, 2025)}
# Rupiah per financier over its whole period (order of the published loans at about Rp 13,500-14,000/US$).
FINANCE_TOTAL_RP = {"ibrd": 2.95e12, "aiib": 2.95e12, "isdb": 4.45e12, "apbn": 4.1e12}
COMPONENT_SHARE = {1: 0.04, 2: 0.13, 3: 0.70, 4: 0.11, 5: 0.02}
# Component 5 (emergency response) used after the 2018 Lombok (NTB) and Palu (Sulawesi Tengah) disasters.
EMERGENCY_PROVINCES = {"52", "72"}
SERVICE_BASE = {"air_minum": 0.62, "drainase": 0.48, "air_limbah": 0.41, "persampahan": 0.45,
                "proteksi_kebakaran": 0.22, "jalan_lingkungan": 0.58, "rth": 0.30}
SURVEY_YEARS = (2017, 2019, 2021, 2023)


# --- location selection ------------------------------------------------------------------------------------


def _select_kabkota(kab: pd.DataFrame, desa: pd.DataFrame) -> pd.DataFrame:
    kel = desa[desa["jenis"] == "kelurahan"].groupby("kode_kabkota").size()
    kab = kab.assign(n_kel=kab["kode_kabkota"].map(kel).fillna(0).astype(int))
    kab["urban_rank"] = (kab["jenis"] == "kota") * 10_000 + kab["n_kel"]
    kab = kab.sort_values(["urban_rank", "kode_kabkota"], ascending=[False, True])
    chosen = []
    fixed = set(PUBLISHED_KABKOTA)
    for prov, n in PUBLISHED_KABKOTA.items():
        chosen += list(kab.loc[kab["kode_prov"] == prov, "kode_kabkota"].head(n))
    free = kab[~kab["kode_prov"].isin(fixed)]
    # every province keeps at least its most urban kabupaten/kota, then every kota, then the most urban kabupaten
    firsts = list(free.groupby("kode_prov", sort=False).head(1)["kode_kabkota"])
    kota = list(free.loc[free["jenis"] == "kota", "kode_kabkota"])
    rest = list(free["kode_kabkota"])
    for code in firsts + kota + rest:
        if len(chosen) >= config.N_KABKOTA:
            break
        if code not in chosen:
            chosen.append(code)
    return kab[kab["kode_kabkota"].isin(chosen)].sort_values("kode_kabkota").reset_index(drop=True)


def _candidates(desa: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Order the desa/kelurahan of each kabupaten/kota: kelurahan, desa of urban kecamatan, other desa."""
    urban_kec = set(desa.loc[desa["jenis"] == "kelurahan", "kode_kecamatan"])
    tier = np.where(desa["jenis"] == "kelurahan", 0, np.where(desa["kode_kecamatan"].isin(urban_kec), 1, 2))
    out = desa.assign(tier=tier, shuffle=rng.random(len(desa)))
    out = out.sort_values(["kode_kabkota", "tier", "shuffle"])
    out["rank"] = out.groupby("kode_kabkota").cumcount()
    return out


def _quota(weight: pd.Series, cap: pd.Series, total: int) -> pd.Series:
    """Integer counts proportional to weight, each within [min(15, cap), cap], summing to total."""
    lo, hi = 0.0, 1e4
    floor = np.minimum(15, cap)
    for _ in range(100):
        mid = (lo + hi) / 2
        n = np.clip(np.round(weight * mid), floor, cap)
        lo, hi = (mid, hi) if n.sum() < total else (lo, mid)
    n = np.clip(np.round(weight * hi), floor, cap).astype(int)
    # fix the rounding remainder on the largest places that still have room
    diff = total - int(n.sum())
    order = weight.sort_values(ascending=False).index
    for idx in order:
        if diff == 0:
            break
        step = 1 if diff > 0 else -1
        if floor[idx] <= n[idx] + step <= cap[idx]:
            n[idx] += step
            diff -= step
    if diff:
        raise ValueError(f"cannot place {total} locations in these kabupaten/kota")
    return n


def select_locations(ref_dir: Path, rng: np.random.Generator) -> pd.DataFrame:
    kab = read_reference("kabkota.csv", ref_dir)
    desa = read_reference("desa.parquet", ref_dir)
    kab = _select_kabkota(kab, desa)
    cand = _candidates(desa[desa["kode_kabkota"].isin(kab["kode_kabkota"])], rng)
    cap = cand.groupby("kode_kabkota").size().reindex(kab["kode_kabkota"]).to_numpy()
    kab["cap"] = cap
    # more locations in more urban places (kelurahan count), with some noise
    kab["weight"] = (kab["n_kel"] + 6) * rng.lognormal(0, 0.25, len(kab)) * np.where(kab["jenis"] == "kota", 1.3, 1)
    kab["n_loc"] = 0
    fixed = kab["kode_prov"].isin(PUBLISHED_DESA_ALL)
    for prov, total in PUBLISHED_DESA_ALL.items():
        m = kab["kode_prov"] == prov
        kab.loc[m, "n_loc"] = _quota(kab.loc[m, "weight"], kab.loc[m, "cap"], total)
    rest = config.N_DESA - int(kab["n_loc"].sum())
    kab.loc[~fixed, "n_loc"] = _quota(kab.loc[~fixed, "weight"], kab.loc[~fixed, "cap"], rest)
    cand = cand.merge(kab[["kode_kabkota", "n_loc"]], on="kode_kabkota")
    loc = cand[cand["rank"] < cand["n_loc"]]
    loc = loc.merge(kab[["kode_kabkota", "jenis", "n_kel"]].rename(columns={"jenis": "jenis_kabkota"}),
                    on="kode_kabkota")
    return loc.sort_values("kode_desa").reset_index(drop=True)


# --- location attributes -----------------------------------------------------------------------------------


def _assign_type(loc: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Upgrading (slum) locations: more likely in kota and kelurahan; published province counts matched."""
    p = 0.22 + 0.18 * (loc["jenis"] == "kelurahan") + 0.12 * (loc["jenis_kabkota"] == "kota")
    score = rng.random(len(loc)) / p.to_numpy()  # smaller = more likely to be a slum location
    upgrading = np.zeros(len(loc), dtype=bool)
    fixed = loc["kode_prov"].isin(PUBLISHED_DESA_UPGRADING).to_numpy()
    for prov, n in PUBLISHED_DESA_UPGRADING.items():
        idx = np.flatnonzero(loc["kode_prov"].to_numpy() == prov)
        upgrading[idx[np.argsort(score[idx])[:n]]] = True
    idx = np.flatnonzero(~fixed)
    n_rest = round(UPGRADING_SHARE * config.N_DESA) - int(upgrading.sum())
    upgrading[idx[np.argsort(score[idx])[:n_rest]]] = True
    return np.where(upgrading, "peningkatan", "pencegahan")


def _baseline_area(loc: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    up = (loc["tipe_lokasi"] == "peningkatan").to_numpy()
    city = np.log1p(loc["n_kel"].to_numpy())  # bigger cities, bigger slums
    raw = rng.lognormal(mean=1.6 + 0.25 * city, sigma=0.75) * up
    area = raw.copy()
    prov = loc["kode_prov"].to_numpy()
    fixed = np.isin(prov, list(PUBLISHED_PROVINCE_HA))
    for code, ha in PUBLISHED_PROVINCE_HA.items():
        m = prov == code
        area[m] = raw[m] * ha / raw[m].sum()
    free_total = config.TARGET_HA - sum(PUBLISHED_PROVINCE_HA.values())
    area[~fixed] = raw[~fixed] * free_total / raw[~fixed].sum()
    area = np.round(area, 2)
    # put the rounding remainder on the largest slum so the total is exactly 38,431.00 ha
    area[np.argmax(area)] += round(config.TARGET_HA - area.sum(), 2)
    return area


def _baseline_score(loc: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    up = (loc["tipe_lokasi"] == "peningkatan").to_numpy()
    area = loc["luas_kumuh_awal_ha"].to_numpy()
    slum = np.clip(30 + 6 * np.log1p(area) + rng.normal(0, 7, len(loc)), 16, 78)
    prevention = np.clip(rng.normal(11, 2.5, len(loc)), 4, 15)
    return np.round(np.where(up, slum, prevention), 1)


def _assign_financier(kab_codes: np.ndarray) -> dict[str, str]:
    out = {}
    nsup = 0
    for code in sorted(set(kab_codes)):
        prov = code[:2]
        if prov in ISDB_PROVINCES:
            out[code] = "isdb"
        elif prov in APBN_PROVINCES:
            out[code] = "apbn"
        else:
            out[code] = ("ibrd", "aiib")[nsup % 2]
            nsup += 1
    return out


# --- yearly tables -----------------------------------------------------------------------------------------


def _progress_curves(loc: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Share of baseline slum area handled, per location (rows) and year (columns), non-decreasing."""
    n = len(loc)
    years = np.array(config.YEARS, dtype=float)
    prov_codes = sorted(loc["kode_prov"].unique())
    prov_pace = dict(zip(prov_codes, rng.normal(0, 0.55, len(prov_codes)), strict=True))
    pace = loc["kode_prov"].map(prov_pace).to_numpy() + rng.normal(0, 0.9, n)
    # some slum locations are never fully handled (land status, "illegal" locations): a lower ceiling
    ceiling = np.where(rng.random(n) < 0.06, rng.uniform(0.0, 0.4, n), rng.uniform(0.97, 1.0, n))
    width = rng.uniform(0.5, 1.1, n)
    area = loc["luas_kumuh_awal_ha"].to_numpy()

    def curves(shift: float) -> np.ndarray:
        mid = shift - pace  # year when half the slum is handled
        x = (years[None, :] - mid[:, None]) / width[:, None]
        f = 1 / (1 + np.exp(-x))
        # nothing handled at baseline; tends to the location's ceiling
        return np.clip(ceiling[:, None] * (f - f[:, :1]) / (1 - f[:, :1]), 0, 1)

    # calibrate the timing, year by year, to the national cumulative shares
    out = np.zeros((n, len(years)))
    for j, year in enumerate(config.YEARS[1:], start=1):
        goal = CUMULATIVE_SHARE[year] * area.sum()
        lo, hi = 2010.0, 2040.0
        for _ in range(60):
            mid = (lo + hi) / 2
            got = (curves(mid)[:, j] * area).sum()
            lo, hi = (mid, hi) if got > goal else (lo, mid)
        out[:, j] = curves((lo + hi) / 2)[:, j]
    return np.maximum.accumulate(out, axis=1)


def _yearly_area(loc: pd.DataFrame, progress: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    area = loc["luas_kumuh_awal_ha"].to_numpy()
    remaining = np.round(area[:, None] * (1 - progress), 2)
    remaining = np.minimum.accumulate(remaining, axis=1)
    score0 = loc["skor_kumuh_awal"].to_numpy()
    up = (loc["tipe_lokasi"] == "peningkatan").to_numpy()
    # the slum score falls with the handled share; prevention locations drift a little lower too
    score = np.where(up[:, None], score0[:, None] * (1 - 0.75 * progress),
                     score0[:, None] - 0.3 * np.arange(len(config.YEARS)))
    score = np.round(np.clip(np.minimum.accumulate(score, axis=1), 0, 80), 1)
    n, m = remaining.shape
    df = pd.DataFrame(
        {
            "kode_desa": np.repeat(loc["kode_desa"].to_numpy(), m),
            "tahun": np.tile(np.array(config.YEARS, dtype=np.int16), n),
            "luas_kumuh_ha": remaining.ravel(),
            "skor_kumuh": score.ravel(),
        }
    )
    df["tingkat_kumuh"] = _levels(df["skor_kumuh"].to_numpy())
    return df


def _levels(scores: np.ndarray) -> np.ndarray:
    return np.select([scores >= 60, scores >= 38, scores >= 16], ["berat", "sedang", "ringan"], "tidak_kumuh")


def _service_access(loc: pd.DataFrame, progress: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    n, m = progress.shape
    up = (loc["tipe_lokasi"] == "peningkatan").to_numpy()
    kk = np.round(rng.lognormal(7.0, 0.55, n) * np.where(loc["jenis"] == "kelurahan", 1.6, 1.0)).astype(int)
    years = np.arange(m)
    frames = []
    # prevention locations improve slowly along a common time curve
    prevention_curve = np.clip(years / 8, 0, 1)
    for service, base in SERVICE_BASE.items():
        start = np.clip(base + rng.normal(0, 0.12, n) + np.where(up, -0.08, 0.22), 0.03, 0.97)
        gain = np.clip(rng.normal(0.85, 0.1, n), 0.4, 1.0)
        p = np.where(up[:, None], progress, 0.6 * prevention_curve[None, :])
        share = start[:, None] + (1 - start[:, None]) * gain[:, None] * p
        served = np.floor(kk[:, None] * np.clip(share, 0, 1)).astype(int)
        served = np.maximum.accumulate(served, axis=1)
        frames.append(
            pd.DataFrame(
                {
                    "kode_desa": np.repeat(loc["kode_desa"].to_numpy(), m),
                    "tahun": np.tile(np.array(config.YEARS, dtype=np.int16), n),
                    "layanan": service,
                    "kk_total": np.repeat(kk, m),
                    "kk_terlayani": served.ravel(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True).sort_values(["kode_desa", "tahun", "layanan"], kind="stable")


def _pokja(kab_codes: list[str], rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for code in kab_codes:
        formed = int(rng.choice([2015, 2016, 2016, 2017, 2017, 2018, 2019, 2021], 1)[0])
        functioning = formed + int(rng.choice([1, 1, 2, 2, 3, 4, 99], 1)[0])  # 99: never functioning
        for year in config.YEARS:
            rows.append((code, year, year >= formed, year >= functioning))
    return pd.DataFrame(rows, columns=["kode_kabkota", "tahun", "terbentuk", "berfungsi"]).astype(
        {"tahun": "int16"}
    )


def _satisfaction(kab: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for code, n_loc in zip(kab["kode_kabkota"], kab["n_loc"], strict=True):
        level = rng.normal(0.74, 0.07)
        for i, year in enumerate(SURVEY_YEARS):
            respondents = int(max(30, round(n_loc * rng.uniform(8, 14))))
            share = np.clip(level + 0.025 * i + rng.normal(0, 0.03), 0.4, 0.97)
            rows.append((code, year, respondents, int(round(respondents * share))))
    return pd.DataFrame(rows, columns=["kode_kabkota", "tahun", "responden", "puas"]).astype({"tahun": "int16"})


def _spending(kab: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for financier, total in FINANCE_TOTAL_RP.items():
        mine = kab[kab["sumber_dana"] == financier]
        years = list(FINANCE_YEARS[financier])
        # a ramp up and tail off over the financier's years
        profile = np.sin(np.linspace(0.35, np.pi - 0.35, len(years))) * rng.uniform(0.8, 1.2, len(years))
        if financier == "apbn":  # published APBN: Rp 2.8 T in 2015-2018, then Rp 0.26-0.39 T a year
            profile = np.array([0.5, 0.8, 0.85, 0.65, 0.32, 0.39, 0.26, 0.25, 0.22, 0.2])
        profile = profile / profile.sum()
        weight = (mine["ha"] + 0.5 * mine["n_loc"]) * rng.lognormal(0, 0.2, len(mine))
        weight = weight / weight.sum()
        for year, share_y in zip(years, profile, strict=True):
            for code, prov, w in zip(mine["kode_kabkota"], mine["kode_prov"], weight, strict=True):
                for comp, share_c in COMPONENT_SHARE.items():
                    if comp == 5 and not (prov in EMERGENCY_PROVINCES and year in (2019, 2020)):
                        continue
                    alloc = total * share_y * w * share_c * (8 if comp == 5 else 1)
                    alloc = round(alloc * rng.uniform(0.85, 1.15), -6)
                    absorption = min(1.0, rng.beta(12, 1.2) if year < 2020 else rng.beta(9, 1.6))
                    rows.append((year, code, comp, financier, alloc, round(alloc * absorption, -6)))
    df = pd.DataFrame(rows, columns=["tahun", "kode_kabkota", "komponen", "sumber_dana", "alokasi_rp",
                                     "realisasi_rp"])
    return df.astype({"tahun": "int16", "komponen": "int8", "alokasi_rp": "float64", "realisasi_rp": "float64"})


# --- scale and write ---------------------------------------------------------------------------------------


def _scale_up(loc: pd.DataFrame, scale: int) -> pd.DataFrame:
    if scale == 1:
        return loc.assign(sintetis=False)
    copies = [loc.assign(sintetis=False)]
    # kecamatan 81..99 do not exist in the official list; number the copies within their kabupaten/kota
    serial = (loc.groupby("kode_kabkota").cumcount() + 1).map("{:04d}".format)
    for j in range(1, scale):
        copies.append(
            loc.assign(
                kode_desa=loc["kode_kabkota"] + f".{80 + j:02d}." + serial,
                nama_desa=loc["nama_desa"] + f" (sintetis {j})",
                sintetis=True,
            )
        )
    return pd.concat(copies, ignore_index=True)


def build_tables(ref_dir: Path, seed: int = DEFAULT_SEED, scale: int = 1) -> dict[str, pd.DataFrame]:
    if not 1 <= scale <= 20:
        raise ValueError("scale must be between 1 and 20 (synthetic kecamatan codes 81..99)")
    rng = np.random.default_rng(seed)
    loc = select_locations(ref_dir, rng)
    loc["tipe_lokasi"] = _assign_type(loc, rng)
    loc["luas_kumuh_awal_ha"] = _baseline_area(loc, rng)
    loc["skor_kumuh_awal"] = _baseline_score(loc, rng)
    loc["tingkat_kumuh_awal"] = _levels(loc["skor_kumuh_awal"].to_numpy())
    financier = _assign_financier(loc["kode_kabkota"].to_numpy())
    loc["sumber_dana"] = loc["kode_kabkota"].map(financier)
    loc["jenis_desa"] = loc["jenis"]

    kab = loc.groupby(["kode_kabkota", "kode_prov", "sumber_dana"], as_index=False).agg(
        n_loc=("kode_desa", "size"), ha=("luas_kumuh_awal_ha", "sum")
    )
    pokja = _pokja(list(kab["kode_kabkota"]), rng)
    satisfaction = _satisfaction(kab, rng)
    spending = _spending(kab, rng)

    loc = _scale_up(loc, scale)
    progress = _progress_curves(loc, rng)
    yearly = _yearly_area(loc, progress, rng)
    access = _service_access(loc, progress, rng)
    lokasi = loc[["kode_desa", "nama_desa", "kode_kabkota", "kode_prov", "tipe_lokasi", "sumber_dana",
                  "luas_kumuh_awal_ha", "skor_kumuh_awal", "tingkat_kumuh_awal", "jenis_desa", "sintetis"]]
    return {
        "lokasi": lokasi.reset_index(drop=True),
        "luas_kumuh_tahunan": yearly.reset_index(drop=True),
        "akses_layanan": access.reset_index(drop=True),
        "pokja_pkp": pokja,
        "kepuasan": satisfaction,
        "anggaran": spending.sort_values(["tahun", "kode_kabkota", "komponen", "sumber_dana"]).reset_index(
            drop=True
        ),
    }


def write_parquet(df: pd.DataFrame, path: Path) -> None:
    """Deterministic Parquet: no pandas metadata, fixed writer options."""
    table = pa.Table.from_pandas(df, preserve_index=False).replace_schema_metadata(None)
    pq.write_table(table, path, compression="zstd", use_dictionary=True, write_statistics=True)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_manifest(data_dir: Path, **info) -> dict:
    """data/manifest.json: what is in data/program, with row counts and checksums."""
    from ..data.schema import SCHEMA_VERSION

    files = {}
    for path in sorted((data_dir / "program").glob("*.parquet")):
        files[path.name] = {"rows": pq.ParquetFile(path).metadata.num_rows, "sha256": sha256(path)}
    manifest = {"schema_version": SCHEMA_VERSION, **info, "files": files}
    (data_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


def generate(out: Path, seed: int = DEFAULT_SEED, scale: int = 1, ref_dir: Path | None = None) -> dict:
    """Write the illustrative set to OUT/program/*.parquet and OUT/manifest.json (OUT is a data directory)."""
    ref_dir = ref_dir or config.reference_dir()
    tables = build_tables(ref_dir, seed=seed, scale=scale)
    (out / "program").mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        write_parquet(df, out / "program" / f"{name}.parquet")
    return write_manifest(
        out,
        kind="illustrative",
        source=f"kotaku_data.build.generate seed={seed} scale={scale}",
        generated_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
        seed=seed,
        scale=scale,
    )
