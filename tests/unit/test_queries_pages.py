"""The page questions of the indicators, spending and region-profile pages, checked against plain pandas on the
committed (bundled) data set."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kotaku_data import config, queries, targets
from kotaku_data.data.db import Database
from kotaku_data.filters import Filters

DATA = Path(__file__).resolve().parents[2] / "data"
KAB, PROV = "32.73", "32"
FILTERS = [
    Filters(),
    Filters(tahun=(2017, 2019), dana=("ibrd", "aiib")),
    Filters(prov=PROV, tipe="peningkatan"),
    Filters(tahun=(2016, 2022), prov=PROV, kab=KAB, tingkat=("berat", "sedang")),
]


@pytest.fixture(scope="module")
def db():
    d = Database(DATA)
    yield d
    d.close()


@pytest.fixture(scope="module")
def pdf() -> dict[str, pd.DataFrame]:
    prog = DATA / "program"
    return {
        "lokasi": pd.read_parquet(prog / "lokasi.parquet"),
        "luas": pd.read_parquet(prog / "luas_kumuh_tahunan.parquet"),
        "akses": pd.read_parquet(prog / "akses_layanan.parquet"),
        "pokja": pd.read_parquet(prog / "pokja_pkp.parquet"),
        "kepuasan": pd.read_parquet(prog / "kepuasan.parquet"),
        "anggaran": pd.read_parquet(prog / "anggaran.parquet"),
    }


def locations(lok: pd.DataFrame, f: Filters) -> pd.DataFrame:
    keep = pd.Series(True, index=lok.index)
    if f.prov:
        keep &= lok["kode_prov"] == f.prov
    if f.kab:
        keep &= lok["kode_kabkota"] == f.kab
    if f.tipe:
        keep &= lok["tipe_lokasi"] == f.tipe
    if f.dana:
        keep &= lok["sumber_dana"].isin(f.dana)
    if f.tingkat:
        keep &= lok["tingkat_kumuh_awal"].isin(f.tingkat)
    return lok[keep]


def money(pdf, f: Filters) -> pd.DataFrame:
    a = pdf["anggaran"]
    keep = a["tahun"].between(f.tahun[0], f.end_year)
    if f.prov:
        keep &= a["kode_kabkota"].str[:2] == f.prov
    if f.kab:
        keep &= a["kode_kabkota"] == f.kab
    if f.dana:
        keep &= a["sumber_dana"].isin(f.dana)
    return a[keep]


@pytest.mark.parametrize("f", FILTERS)
def test_service_access_change_national(db, pdf, f):
    got = queries.indicators.service_access_change(db, f, "nasional")
    loc = locations(pdf["lokasi"], f)
    a = pdf["akses"][pdf["akses"]["kode_desa"].isin(loc["kode_desa"])]
    g = a.groupby(["tahun", "layanan"])[["kk_total", "kk_terlayani"]].sum()
    pct = 100 * g["kk_terlayani"] / g["kk_total"]
    assert list(got["layanan"]) == list(config.SERVICES)
    for row in got.itertuples(index=False):
        assert row.persen_awal == pytest.approx(pct[(f.start_year, row.layanan)])
        assert row.persen_akhir == pytest.approx(pct[(f.end_year, row.layanan)])
        assert row.selisih_poin == pytest.approx(row.persen_akhir - row.persen_awal)
        assert row.kk_total == g.loc[(f.end_year, row.layanan), "kk_total"]
        assert (row.tahun_awal, row.tahun_akhir) == (f.start_year, f.end_year)


def test_service_access_change_by_province(db, pdf):
    f = Filters(tahun=(2018, 2021))
    got = queries.indicators.service_access_change(db, f, "prov")
    a = pdf["akses"].merge(pdf["lokasi"][["kode_desa", "kode_prov"]], on="kode_desa")
    g = a.groupby(["kode_prov", "tahun", "layanan"])[["kk_total", "kk_terlayani"]].sum()
    pct = 100 * g["kk_terlayani"] / g["kk_total"]
    assert len(got) == pdf["lokasi"]["kode_prov"].nunique() * len(config.SERVICES)
    for row in got.sample(40, random_state=1).itertuples(index=False):
        assert row.persen_awal == pytest.approx(pct[(row.kode, 2017, row.layanan)])
        assert row.persen_akhir == pytest.approx(pct[(row.kode, 2021, row.layanan)])


@pytest.mark.parametrize("f", FILTERS)
def test_slum_area_vs_target(db, pdf, f):
    got = queries.slum_area.slum_area_vs_target(db, f)
    loc = locations(pdf["lokasi"], f)
    y = pdf["luas"][pdf["luas"]["kode_desa"].isin(loc["kode_desa"])]
    area = y.groupby("tahun")["luas_kumuh_ha"].sum()
    base = loc["luas_kumuh_awal_ha"].sum()
    assert list(got["tahun"]) == list(range(f.start_year, f.end_year + 1))
    for row in got.itertuples(index=False):
        assert row.luas_kumuh_ha == pytest.approx(area[row.tahun])
        assert row.target_ha == pytest.approx(base)
        assert row.berkurang_ha == pytest.approx(base - area[row.tahun])
        share = min(max((row.tahun - 2015) / (config.LAST_YEAR - 2015), 0), 1)
        assert row.diharapkan_ha == pytest.approx(base * share)
        if base > 0:
            assert row.persen_capaian == pytest.approx(100 * (base - area[row.tahun]) / base)
            assert row.status == targets.status(row.persen_capaian, 100.0, share)


def test_slum_area_vs_target_for_one_desa(db, pdf):
    lok = pdf["lokasi"]
    desa = lok[(lok["kode_kabkota"] == KAB) & (lok["luas_kumuh_awal_ha"] > 0)].iloc[0]
    got = queries.slum_area.slum_area_vs_target(db, Filters(tahun=(2016, 2024), tipe="pencegahan"), desa["kode_desa"])
    y = pdf["luas"][pdf["luas"]["kode_desa"] == desa["kode_desa"]].set_index("tahun")["luas_kumuh_ha"]
    assert list(got["tahun"]) == list(range(2015, 2025))  # the desa's own type does not empty it
    assert list(got["luas_kumuh_ha"]) == pytest.approx(list(y.loc[2015:2024]))
    assert list(got["target_ha"]) == pytest.approx([desa["luas_kumuh_awal_ha"]] * 10)


@pytest.mark.parametrize("f", FILTERS)
def test_spending_summary(db, pdf, f):
    got = queries.spending.spending_summary(db, f)
    m = money(pdf, f)
    loc = locations(pdf["lokasi"], f)
    y = pdf["luas"][pdf["luas"]["kode_desa"].isin(loc["kode_desa"])].groupby("tahun")["luas_kumuh_ha"].sum()
    reduced = y[f.start_year] - y[f.end_year]
    assert got.alokasi_rp == pytest.approx(m["alokasi_rp"].sum())
    assert got.realisasi_rp == pytest.approx(m["realisasi_rp"].sum())
    assert got.belum_terserap_rp == pytest.approx(m["alokasi_rp"].sum() - m["realisasi_rp"].sum())
    assert got.persen_serapan == pytest.approx(100 * m["realisasi_rp"].sum() / m["alokasi_rp"].sum())
    assert got.berkurang_ha == pytest.approx(reduced)
    assert got.rp_per_ha == pytest.approx(m["realisasi_rp"].sum() / reduced)
    assert got.status == targets.status(got.persen_serapan, 100.0)


@pytest.mark.parametrize(("f", "level"), [(Filters(), "prov"), (Filters(tahun=(2018, 2020), dana=("isdb",)), "prov"),
                                          (Filters(prov=PROV), "kab")])
def test_spending_by_region(db, pdf, f, level):
    got = queries.spending.spending_by_region(db, f, level).set_index("kode")
    m = money(pdf, f)
    key = m["kode_kabkota"].str[:2] if level == "prov" else m["kode_kabkota"]
    g = m.groupby(key)[["alokasi_rp", "realisasi_rp"]].sum()
    loc = locations(pdf["lokasi"], f)
    col = "kode_prov" if level == "prov" else "kode_kabkota"
    y = pdf["luas"].merge(loc[["kode_desa", col]], on="kode_desa")
    area = y.groupby([col, "tahun"])["luas_kumuh_ha"].sum()
    assert set(got.index) == set(g.index) | set(loc[col])
    assert list(got.index) == sorted(got.index)
    for kode, row in g.iterrows():
        assert got.loc[kode, "alokasi_rp"] == pytest.approx(row["alokasi_rp"])
        assert got.loc[kode, "persen_serapan"] == pytest.approx(100 * row["realisasi_rp"] / row["alokasi_rp"])
        reduced = area[(kode, f.start_year)] - area[(kode, f.end_year)]
        assert got.loc[kode, "berkurang_ha"] == pytest.approx(reduced)
        if reduced > 0:
            assert got.loc[kode, "rp_per_ha"] == pytest.approx(row["realisasi_rp"] / reduced)
    assert got["nama"].notna().all()


def test_profile_summary_kab_prov_national(db, pdf):
    f = Filters(tahun=(2017, 2022), dana=("ibrd", "aiib", "apbn"))
    got = queries.profile.profile_summary(db, f, (KAB, PROV, "ID")).set_index("kode")
    assert list(got.index) == [KAB, PROV, "ID"]
    assert got.loc[KAB, "nama"] == "Kota Bandung" and got.loc[KAB, "induk"] == "Jawa Barat"
    assert got.loc["ID", "nama"] == "Indonesia"
    for code, place in ((KAB, Filters(tahun=f.tahun, prov=PROV, kab=KAB, dana=f.dana)),
                        (PROV, Filters(tahun=f.tahun, prov=PROV, dana=f.dana)), ("ID", f)):
        row = got.loc[code]
        loc = locations(pdf["lokasi"], place)
        y = pdf["luas"][pdf["luas"]["kode_desa"].isin(loc["kode_desa"])]
        area = y.groupby("tahun")["luas_kumuh_ha"].sum()
        base = loc["luas_kumuh_awal_ha"].sum()
        assert row["lokasi"] == len(loc)
        assert row["luas_awal_ha"] == pytest.approx(base)
        assert row["luas_akhir_ha"] == pytest.approx(area[2022])
        assert row["berkurang_ha"] == pytest.approx(area[2016] - area[2022])
        assert row["persen_berkurang"] == pytest.approx(100 * (base - area[2022]) / base)
        end = y[y["tahun"] == 2022].merge(loc[["kode_desa"]], on="kode_desa")
        assert row["skor_akhir"] == pytest.approx(end["skor_kumuh"].mean())
        assert row["skor_awal"] == pytest.approx(loc["skor_kumuh_awal"].mean())
        a = pdf["akses"][pdf["akses"]["kode_desa"].isin(loc["kode_desa"])]
        g = a.groupby("tahun")[["kk_total", "kk_terlayani"]].sum()
        assert row["akses_akhir"] == pytest.approx(100 * g.loc[2022, "kk_terlayani"] / g.loc[2022, "kk_total"])
        assert row["akses_awal"] == pytest.approx(100 * g.loc[2016, "kk_terlayani"] / g.loc[2016, "kk_total"])
        assert row["kk_total"] == pytest.approx(g.loc[2022, "kk_total"] / len(config.SERVICES))
        m = money(pdf, place)
        assert row["realisasi_rp"] == pytest.approx(m["realisasi_rp"].sum())
        assert row["persen_serapan"] == pytest.approx(100 * m["realisasi_rp"].sum() / m["alokasi_rp"].sum())
        assert row["rp_per_ha"] == pytest.approx(m["realisasi_rp"].sum() / (area[2016] - area[2022]))
        kabs = pdf["pokja"][pdf["pokja"]["kode_kabkota"].isin(
            pdf["lokasi"].loc[pdf["lokasi"]["sumber_dana"].isin(f.dana), "kode_kabkota"])]
        if code != "ID":
            kabs = kabs[kabs["kode_kabkota"].str.startswith(code)]
        p = kabs[kabs["tahun"] == 2022]
        assert row["pokja_berfungsi"] == pytest.approx(100 * p["berfungsi"].mean())
        assert pd.isna(row["tingkat_akhir"]) and pd.isna(row["tipe_lokasi"])


def test_profile_summary_desa(db, pdf):
    lok = pdf["lokasi"]
    d = lok[(lok["kode_kabkota"] == KAB) & (lok["luas_kumuh_awal_ha"] > 0)].iloc[0]
    got = queries.profile.profile_summary(db, Filters(tahun=(2016, 2024), tipe="pencegahan"), (d["kode_desa"],)).iloc[0]
    y = pdf["luas"][pdf["luas"]["kode_desa"] == d["kode_desa"]].set_index("tahun")
    assert got["level"] == "desa" and got["nama"] == d["nama_desa"] and got["induk"] == "Kota Bandung"
    assert got["lokasi"] == 1
    assert got["luas_awal_ha"] == pytest.approx(d["luas_kumuh_awal_ha"])
    assert got["luas_akhir_ha"] == pytest.approx(y.loc[2024, "luas_kumuh_ha"])
    assert got["skor_awal"] == pytest.approx(d["skor_kumuh_awal"])
    assert got["skor_akhir"] == pytest.approx(y.loc[2024, "skor_kumuh"])
    assert got["tingkat_akhir"] == y.loc[2024, "tingkat_kumuh"]
    assert got["tipe_lokasi"] == d["tipe_lokasi"] and got["sumber_dana"] == d["sumber_dana"]
    assert pd.isna(got["pokja_berfungsi"]) and pd.isna(got.realisasi_rp)
    a = pdf["akses"][(pdf["akses"]["kode_desa"] == d["kode_desa"]) & (pdf["akses"]["tahun"] == 2024)]
    assert got["akses_akhir"] == pytest.approx(100 * a["kk_terlayani"].sum() / a["kk_total"].sum())


def test_profile_series_and_access(db, pdf):
    f = Filters(tahun=(2018, 2024))
    series = queries.profile.profile_series(db, f, (KAB, "ID"))
    kab = series[series["kode"] == KAB]
    assert set(kab["indikator"]) == {"sisa_kumuh", "akses", "pokja", "puas"}
    loc = pdf["lokasi"][pdf["lokasi"]["kode_kabkota"] == KAB]
    y = pdf["luas"][pdf["luas"]["kode_desa"].isin(loc["kode_desa"])].groupby("tahun")["luas_kumuh_ha"].sum()
    left = kab[kab["indikator"] == "sisa_kumuh"].set_index("tahun")["nilai"]
    assert list(left.index) == list(range(2017, 2025))
    assert left.to_numpy() == pytest.approx((100 * y.loc[2017:2024] / loc["luas_kumuh_awal_ha"].sum()).to_numpy())
    sat = kab[kab["indikator"] == "puas"].set_index("tahun")["nilai"]
    k = pdf["kepuasan"][(pdf["kepuasan"]["kode_kabkota"] == KAB) & pdf["kepuasan"]["tahun"].between(2018, 2024)]
    assert sat.to_numpy() == pytest.approx((100 * k["puas"] / k["responden"]).to_numpy())
    desa = loc.iloc[0]["kode_desa"]
    assert set(queries.profile.profile_series(db, f, (desa,))["indikator"]) == {"sisa_kumuh", "akses"}

    acc = queries.profile.profile_access(db, f, (KAB, desa))
    assert len(acc) == 2 * len(config.SERVICES)
    a = pdf["akses"][pdf["akses"]["kode_desa"] == desa]
    g = a.groupby(["tahun", "layanan"])[["kk_total", "kk_terlayani"]].sum()
    mine = acc[acc["kode"] == desa].set_index("layanan")
    for s in config.SERVICES:
        assert mine.loc[s, "persen_akhir"] == pytest.approx(100 * g.loc[(2024, s), "kk_terlayani"] /
                                                            g.loc[(2024, s), "kk_total"])
        assert mine.loc[s, "persen_awal"] == pytest.approx(100 * g.loc[(2017, s), "kk_terlayani"] /
                                                           g.loc[(2017, s), "kk_total"])


def test_region_choices(db, pdf):
    got = queries.regions.region_choices(db, KAB)
    n_prov, n_kab = pdf["lokasi"]["kode_prov"].nunique(), pdf["lokasi"]["kode_kabkota"].nunique()
    n_desa = (pdf["lokasi"]["kode_kabkota"] == KAB).sum()
    assert len(got) == n_prov + n_kab + n_desa
    assert list(got["kode"]) == sorted(got["kode"])
    assert len(queries.regions.region_choices(db)) == n_prov + n_kab


@pytest.mark.parametrize(("text", "name", "level"), [
    ("bandng", "Kota Bandung", "kab"), ("makasar", "Kota Makassar", "kab"), ("surabya", "Kota Surabaya", "kab"),
    ("jawa bart", "Jawa Barat", "prov"),
])
def test_region_search_on_real_names(db, text, name, level):
    got = queries.regions.region_search(db, text, 10)  # the whole programme, whatever the filters
    assert ((got["nama"] == name) & (got["level"] == level)).any()
    assert len(got) <= 10


def test_region_search_results_are_programme_places(db, pdf):
    got = queries.regions.region_search(db, "sukarasa", 10)
    assert not got.empty
    desa = got[got["level"] == "desa"]
    names = pdf["lokasi"].set_index("kode_desa")["nama_desa"]
    assert (names.loc[desa["kode"]].to_numpy() == desa["nama"].to_numpy()).all()
    assert got.iloc[0]["nama"] == "Sukarasa"
    assert np.all(got["kesalahan"].to_numpy() >= 0)
