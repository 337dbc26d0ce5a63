"""Calibration of the COMMITTED illustrative data set (data/) against the published programme facts.

Reads the Parquet files with pandas only (independent of queries.py and of the generator), and the published
figures from data/reference/published/*.csv where they exist there.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from kotaku_data.build.reference import read_published_csv

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
PROGRAM = DATA / "program"
REFERENCE = DATA / "reference"
PUBLISHED = REFERENCE / "published"

RP_PER_USD = (13_500, 14_500)  # range of the exchange rate over the loans' years
FACTOR = 2  # spending per financier must be within this factor of the published financing


def read(name: str) -> pd.DataFrame:
    return pd.read_parquet(PROGRAM / f"{name}.parquet")


def published(name: str) -> pd.DataFrame:
    return read_published_csv((PUBLISHED / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def lokasi() -> pd.DataFrame:
    return read("lokasi")


@pytest.fixture(scope="module")
def yearly() -> pd.DataFrame:
    return read("luas_kumuh_tahunan")


@pytest.fixture(scope="module")
def anggaran() -> pd.DataFrame:
    return read("anggaran")


@pytest.fixture(scope="module")
def reduction() -> pd.DataFrame:
    return published("kotaku_national_slum_reduction.csv")


def published_ha(reduction: pd.DataFrame, period: str, metric_start: str) -> float:
    row = reduction[(reduction["period"] == period) & reduction["metric"].str.startswith(metric_start)]
    assert len(row) >= 1, f"published figure {period} {metric_start} not found"
    return float(row["value_ha"].iloc[0])


# --- counts and codes ----------------------------------------------------------------------------------------


def test_counts_of_places(lokasi):
    assert lokasi["kode_prov"].nunique() == 34
    assert lokasi["kode_kabkota"].nunique() == 271
    assert len(lokasi) == 11_064
    assert lokasi["kode_desa"].is_unique


def test_every_desa_is_official_with_its_official_name(lokasi):
    official = pd.read_parquet(REFERENCE / "desa.parquet", columns=["kode_desa", "nama_desa"])
    merged = lokasi[["kode_desa", "nama_desa"]].merge(official, on="kode_desa", how="left", suffixes=("", "_ref"),
                                                       indicator=True)
    missing = merged[merged["_merge"] != "both"]
    assert missing.empty, f"{len(missing)} codes not in the official list, e.g. {missing['kode_desa'].head(3).tolist()}"
    wrong = merged[merged["nama_desa"] != merged["nama_desa_ref"]]
    assert wrong.empty, f"names differ from the official list: {wrong.head(3).to_dict('records')}"


def test_parent_codes_follow_from_the_desa_code(lokasi):
    assert (lokasi["kode_kabkota"] == lokasi["kode_desa"].str[:5]).all()
    assert (lokasi["kode_prov"] == lokasi["kode_desa"].str[:2]).all()
    kab = pd.read_csv(REFERENCE / "kabkota.csv", dtype=str, keep_default_na=False)
    prov = pd.read_csv(REFERENCE / "provinsi.csv", dtype=str, keep_default_na=False)
    assert set(lokasi["kode_kabkota"]) <= set(kab["kode_kabkota"])
    assert set(lokasi["kode_prov"]) == set(prov["kode_prov"])


def test_scale_one_set_has_no_synthetic_rows(lokasi):
    assert not lokasi["sintetis"].any()


def test_yearly_tables_cover_exactly_2015_to_2024(lokasi):
    expected = set(range(2015, 2025))
    for name in ("luas_kumuh_tahunan", "akses_layanan", "pokja_pkp"):
        df = read(name)
        assert set(df["tahun"].astype(int)) == expected, name
    # one row per location and year
    y = read("luas_kumuh_tahunan")
    assert len(y) == len(lokasi) * 10
    assert (y.groupby("kode_desa").size() == 10).all()
    # survey and spending years stay inside the programme period
    assert set(read("kepuasan")["tahun"].astype(int)) <= expected
    assert set(read("anggaran")["tahun"].astype(int)) <= expected


# --- slum area -----------------------------------------------------------------------------------------------


def test_baseline_slum_area_matches_the_published_target(lokasi, reduction):
    target = published_ha(reduction, "2015", "national_slum_baseline_target")
    assert target == 38_431
    up = lokasi["tipe_lokasi"] == "peningkatan"
    assert lokasi.loc[up, "luas_kumuh_awal_ha"].sum() == pytest.approx(target, abs=0.5)
    assert (lokasi.loc[~up, "luas_kumuh_awal_ha"] == 0).all()
    assert (lokasi.loc[up, "luas_kumuh_awal_ha"] > 0).all()


def test_yearly_area_starts_at_the_baseline(lokasi, yearly):
    y2015 = yearly[yearly["tahun"] == 2015].set_index("kode_desa")["luas_kumuh_ha"]
    base = lokasi.set_index("kode_desa")["luas_kumuh_awal_ha"]
    pd.testing.assert_series_equal(y2015.sort_index(), base.sort_index(), check_names=False, atol=0.01)


def test_slum_area_never_rises_and_never_below_zero(yearly):
    assert (yearly["luas_kumuh_ha"] >= 0).all()
    y = yearly.sort_values(["kode_desa", "tahun"])
    step = y.groupby("kode_desa")["luas_kumuh_ha"].diff()
    rising = y[step > 1e-9]
    assert rising.empty, f"slum area rises: {rising.head(3).to_dict('records')}"


def test_cumulative_reduction_2019_close_to_published(lokasi, yearly, reduction):
    published_2019 = published_ha(reduction, "2015-2019", "reduced RPJMN 2015-2019 total")
    assert published_2019 == 32_221
    end_2019 = yearly.loc[yearly["tahun"] == 2019, "luas_kumuh_ha"].sum()
    reduced = lokasi["luas_kumuh_awal_ha"].sum() - end_2019
    assert reduced == pytest.approx(published_2019, rel=0.02)


def test_reduction_is_gradual_not_a_step(yearly):
    national = yearly.groupby("tahun")["luas_kumuh_ha"].sum()
    # every year up to 2019 reduces some slum area, and no single year does more than half of it
    drops = -national.diff().dropna()
    assert (drops.loc[2016:2019] > 0).all()
    assert drops.max() < 0.5 * national.loc[2015]


# --- realism: uneven across places ---------------------------------------------------------------------------


def test_provinces_differ_in_progress(lokasi, yearly):
    m = lokasi.merge(yearly[yearly["tahun"] == 2019], on="kode_desa")
    g = m.groupby("kode_prov")[["luas_kumuh_awal_ha", "luas_kumuh_ha"]].sum()
    share = 100 * (1 - g["luas_kumuh_ha"] / g["luas_kumuh_awal_ha"])
    assert share.max() - share.min() >= 10, share.describe()
    # and the provinces' slum areas are very unequal too
    assert g["luas_kumuh_awal_ha"].max() > 5 * g["luas_kumuh_awal_ha"].min()


def test_bigger_slums_in_kota_than_in_kabupaten(lokasi):
    kab = pd.read_csv(REFERENCE / "kabkota.csv", dtype=str, keep_default_na=False)
    up = lokasi[lokasi["tipe_lokasi"] == "peningkatan"].merge(kab[["kode_kabkota", "jenis"]], on="kode_kabkota")
    mean = up.groupby("jenis")["luas_kumuh_awal_ha"].mean()
    assert mean["kota"] > mean["kabupaten"]


def test_locations_progress_at_different_paces(lokasi, yearly):
    up = lokasi.loc[lokasi["tipe_lokasi"] == "peningkatan", ["kode_desa", "luas_kumuh_awal_ha"]]
    m = up.merge(yearly[yearly["tahun"] == 2019], on="kode_desa")
    share = 1 - m["luas_kumuh_ha"] / m["luas_kumuh_awal_ha"]
    assert share.std() > 0.1
    assert (share < 0.5).any() and (share > 0.99).any()


# --- outcome tables -----------------------------------------------------------------------------------------


def test_served_households_never_above_total():
    a = read("akses_layanan")
    assert (a["kk_terlayani"] <= a["kk_total"]).all()
    assert (a["kk_terlayani"] >= 0).all()
    assert set(a["layanan"]) == {"air_minum", "drainase", "air_limbah", "persampahan", "proteksi_kebakaran",
                                 "jalan_lingkungan", "rth"}


def test_satisfied_never_above_respondents():
    k = read("kepuasan")
    assert (k["puas"] <= k["responden"]).all()
    assert (k["responden"] > 0).all()


def test_pokja_functioning_only_when_formed():
    p = read("pokja_pkp")
    assert not (p["berfungsi"] & ~p["terbentuk"]).any()
    assert p["kode_kabkota"].nunique() == 271


# --- spending ----------------------------------------------------------------------------------------------


def test_realised_never_far_above_allocation(anggaran):
    assert (anggaran["realisasi_rp"] <= 1.10 * anggaran["alokasi_rp"]).all()
    assert (anggaran["alokasi_rp"] >= 0).all() and (anggaran["realisasi_rp"] >= 0).all()


def test_spending_per_financier_of_the_order_of_the_published_financing(anggaran):
    fin = published("kotaku_financing.csv")

    def amount(prefix: str, unit: str) -> float:
        row = fin[fin["financier"].str.startswith(prefix) & (fin["currency_unit"] == unit)]
        assert len(row) == 1, prefix
        return float(row["amount"].iloc[0])

    usd = {"ibrd": amount("IBRD", "USD million"), "aiib": amount("AIIB", "USD million"),
           "isdb": amount("IsDB (parallel)", "USD million")}
    assert usd == {"ibrd": 216.5, "aiib": 216.5, "isdb": 329.6}
    spent = anggaran.groupby("sumber_dana")["realisasi_rp"].sum()
    for financier, million in usd.items():
        low, high = million * 1e6 * RP_PER_USD[0], million * 1e6 * RP_PER_USD[1]
        assert low / FACTOR <= spent[financier] <= high * FACTOR, financier
    apbn_2015_2018 = amount("KOTAKU APBN 2015-2018", "IDR trillion") * 1e12
    assert apbn_2015_2018 == 2.8e12
    apbn = anggaran[(anggaran["sumber_dana"] == "apbn") & anggaran["tahun"].between(2015, 2018)]
    assert apbn_2015_2018 / FACTOR <= apbn["realisasi_rp"].sum() <= apbn_2015_2018 * FACTOR
    assert apbn_2015_2018 / FACTOR <= apbn["alokasi_rp"].sum() <= apbn_2015_2018 * FACTOR


def test_every_programme_kabkota_has_spending(lokasi, anggaran):
    assert set(anggaran["kode_kabkota"]) == set(lokasi["kode_kabkota"])
    assert set(anggaran["komponen"].astype(int)) <= {1, 2, 3, 4, 5}


# --- manifest ------------------------------------------------------------------------------------------------


def test_manifest_lists_every_file_with_rows_and_checksum():
    manifest = json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))
    files = sorted(p.name for p in PROGRAM.glob("*.parquet"))
    assert sorted(manifest["files"]) == files
    for name, info in manifest["files"].items():
        path = PROGRAM / name
        assert info["rows"] == pq.ParquetFile(path).metadata.num_rows, name
        assert info["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest(), name
    assert manifest["scale"] == 1
    assert isinstance(manifest["seed"], int)
    assert manifest.get("schema_version")
