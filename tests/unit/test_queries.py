"""Every query function of kotaku_data.queries against the small hand-made fixture (see conftest.py).

Expected values are either written out by hand from the fixture's numbers or computed with plain pandas
from the fixture frames (`expect_*` helpers below) -- never by calling queries.py.
"""
from __future__ import annotations

import math

import pandas as pd
import pytest

from kotaku_data import queries
from kotaku_data import targets
from kotaku_data.filters import Filters

ALL = Filters()
LEVELS = ("nasional", "prov", "kab", "desa")
KAB_LEVELS = ("nasional", "prov", "kab")
INJECTION = "32' OR '1'='1"


# --- independent pandas versions of the filters and levels ---------------------------------------------------


def pick(frames: dict, f: Filters) -> pd.DataFrame:
    """lokasi rows selected by the location filters."""
    lok = frames["lokasi"]
    m = pd.Series(True, index=lok.index)
    if f.prov:
        m &= lok["kode_prov"] == f.prov
    if f.kab:
        m &= lok["kode_kabkota"] == f.kab
    if f.tipe:
        m &= lok["tipe_lokasi"] == f.tipe
    if f.dana:
        m &= lok["sumber_dana"].isin(f.dana)
    if f.tingkat:
        m &= lok["tingkat_kumuh_awal"].isin(f.tingkat)
    return lok[m]


def pick_kab(frames: dict, df: pd.DataFrame, f: Filters, financier_col: str | None = None) -> pd.DataFrame:
    """Rows of a per-kabupaten/kota table selected by province, kabupaten/kota and financier."""
    m = pd.Series(True, index=df.index)
    if f.prov:
        m &= df["kode_kabkota"].str[:2] == f.prov
    if f.kab:
        m &= df["kode_kabkota"] == f.kab
    if f.dana:
        if financier_col:
            m &= df[financier_col].isin(f.dana)
        else:
            lok = frames["lokasi"]
            m &= df["kode_kabkota"].isin(lok.loc[lok["sumber_dana"].isin(f.dana), "kode_kabkota"])
    return df[m]


def place(df: pd.DataFrame, ref: dict, level: str, kab_col: str = "kode_kabkota") -> pd.DataFrame:
    """Add kode/nama of the level to rows that carry a kode_kabkota (and kode_desa/nama_desa for 'desa')."""
    df = df.copy()
    if level == "nasional":
        return df.assign(kode="ID", nama="Indonesia")
    if level == "prov":
        names = dict(zip(ref["provinsi"]["kode_prov"], ref["provinsi"]["nama_prov"], strict=True))
        return df.assign(kode=df[kab_col].str[:2], nama=df[kab_col].str[:2].map(names))
    if level == "kab":
        names = dict(zip(ref["kabkota"]["kode_kabkota"], ref["kabkota"]["nama_kabkota"], strict=True))
        return df.assign(kode=df[kab_col], nama=df[kab_col].map(names))
    return df.assign(kode=df["kode_desa"], nama=df["nama_desa"])


def same(actual: pd.DataFrame, expected: pd.DataFrame, sort: list[str] | None = None) -> None:
    """Frames equal on the expected columns (values, not dtypes), optionally after sorting both."""
    a = actual[list(expected.columns)]
    e = expected
    if sort:
        a, e = a.sort_values(sort), e.sort_values(sort)
    a, e = a.reset_index(drop=True), e.reset_index(drop=True)
    for col in e.columns:
        if pd.api.types.is_numeric_dtype(e[col]) and not pd.api.types.is_bool_dtype(e[col]):
            a[col] = a[col].astype(float)
            e[col] = e[col].astype(float)
        else:
            a[col] = a[col].astype(object)
            e[col] = e[col].astype(object)
    pd.testing.assert_frame_equal(a, e, check_dtype=False, rtol=1e-9, atol=1e-9)


def expect_area_by_year(frames, ref, f: Filters, level: str) -> pd.DataFrame:
    y = frames["luas_kumuh_tahunan"].merge(place(pick(frames, f), ref, level), on="kode_desa")
    y = y[y["tahun"].between(f.start_year, f.end_year)]
    g = y.groupby(["kode", "nama", "tahun"], as_index=False).agg(
        luas_kumuh_ha=("luas_kumuh_ha", "sum"), luas_awal_ha=("luas_kumuh_awal_ha", "sum"))
    g["berkurang_ha"] = g["luas_awal_ha"] - g["luas_kumuh_ha"]
    return g.sort_values(["kode", "tahun"])


def area_at(frames, year: int) -> pd.DataFrame:
    y = frames["luas_kumuh_tahunan"]
    return y.loc[y["tahun"] == year, ["kode_desa", "luas_kumuh_ha"]]


def expect_summary(frames, ref, f: Filters, level: str) -> pd.DataFrame:
    lok = place(pick(frames, f), ref, level)
    lok = lok.merge(area_at(frames, f.start_year).rename(columns={"luas_kumuh_ha": "mulai"}), on="kode_desa")
    lok = lok.merge(area_at(frames, f.end_year).rename(columns={"luas_kumuh_ha": "akhir"}), on="kode_desa")
    g = lok.groupby(["kode", "nama"], as_index=False).agg(
        lokasi=("kode_desa", "size"),
        lokasi_peningkatan=("tipe_lokasi", lambda s: int((s == "peningkatan").sum())),
        luas_awal_ha=("luas_kumuh_awal_ha", "sum"), luas_mulai_ha=("mulai", "sum"), luas_akhir_ha=("akhir", "sum"))
    g["berkurang_ha"] = g["luas_mulai_ha"] - g["luas_akhir_ha"]
    g["berkurang_total_ha"] = g["luas_awal_ha"] - g["luas_akhir_ha"]
    g["persen_berkurang"] = [100 * r / a if a > 0 else math.nan for r, a in
                             zip(g["berkurang_total_ha"], g["luas_awal_ha"], strict=True)]
    return g.sort_values("kode")


def expect_access(frames, ref, f: Filters, level: str, by_service: bool) -> pd.DataFrame:
    a = frames["akses_layanan"].merge(place(pick(frames, f), ref, level), on="kode_desa")
    a = a[a["tahun"].between(f.start_year, f.end_year)]
    keys = ["kode", "nama", "tahun", *(["layanan"] if by_service else [])]
    g = a.groupby(keys, as_index=False)[["kk_total", "kk_terlayani"]].sum()
    g["persen_terlayani"] = 100 * g["kk_terlayani"] / g["kk_total"]
    return g


def expect_pokja(frames, ref, f: Filters, level: str) -> pd.DataFrame:
    p = pick_kab(frames, frames["pokja_pkp"], f)
    p = place(p[p["tahun"].between(f.start_year, f.end_year)], ref, level)
    g = p.groupby(["kode", "nama", "tahun"], as_index=False).agg(
        kabkota=("kode_kabkota", "size"), terbentuk=("terbentuk", "sum"), berfungsi=("berfungsi", "sum"))
    g["persen_terbentuk"] = 100 * g["terbentuk"] / g["kabkota"]
    g["persen_berfungsi"] = 100 * g["berfungsi"] / g["kabkota"]
    return g


def expect_satisfaction(frames, ref, f: Filters, level: str) -> pd.DataFrame:
    k = pick_kab(frames, frames["kepuasan"], f)
    k = place(k[k["tahun"].between(f.tahun[0], f.tahun[1])], ref, level)
    g = k.groupby(["kode", "nama", "tahun"], as_index=False)[["responden", "puas"]].sum()
    g["persen_puas"] = 100 * g["puas"] / g["responden"]
    return g


def expect_spending(frames, f: Filters, by: tuple[str, ...]) -> pd.DataFrame:
    s = pick_kab(frames, frames["anggaran"], f, financier_col="sumber_dana")
    s = s[s["tahun"].between(f.tahun[0], f.tahun[1])].assign(kode_prov=lambda d: d["kode_kabkota"].str[:2])
    if by:
        g = s.groupby(list(by), as_index=False)[["alokasi_rp", "realisasi_rp"]].sum()
    else:
        g = pd.DataFrame({"alokasi_rp": [s["alokasi_rp"].sum()], "realisasi_rp": [s["realisasi_rp"].sum()]})
    g["persen_serapan"] = 100 * g["realisasi_rp"] / g["alokasi_rp"]
    return g


def word(actual: float, expected: float) -> str:
    """The documented status rule, written out: >= 95 % of expected on track, >= 80 % at risk."""
    ratio = actual / expected
    return "on_track" if ratio >= 0.95 else "at_risk" if ratio >= 0.80 else "off_track"


# A selection of filters covering every field, used by several parametrised tests.
FILTERS = [
    ALL,
    Filters(tahun=(2017, 2019)),
    Filters(tahun=(2015, 2015)),
    Filters(tahun=(2024, 2024)),
    Filters(prov="32"),
    Filters(prov="73", tahun=(2018, 2022)),
    Filters(kab="32.73"),
    Filters(prov="32", kab="32.04"),
    Filters(tipe="peningkatan"),
    Filters(tipe="pencegahan"),
    Filters(dana=("ibrd",)),
    Filters(dana=("aiib", "isdb")),
    Filters(dana=("apbn",)),
    Filters(tingkat=("sedang",)),
    Filters(tingkat=("berat", "ringan"), tahun=(2016, 2020)),
    Filters(prov="32", tipe="peningkatan", dana=("ibrd",), tingkat=("berat", "sedang"), tahun=(2019, 2023)),
]
FILTER_IDS = [repr(f).replace("Filters", "") for f in FILTERS]


# --- the fixture itself --------------------------------------------------------------------------------------


def test_fixture_passes_validate(small_data_dir):
    from kotaku_data.data.schema import validate

    official = set(pd.read_parquet(small_data_dir / "reference" / "desa.parquet")["kode_desa"])
    assert validate(small_data_dir, official) == []


# --- slum area by year -----------------------------------------------------------------------------------------


def test_slum_area_by_year_national_by_hand(small_db):
    df = queries.slum_area.slum_area_by_year(small_db, ALL)
    assert list(df["tahun"]) == list(range(2015, 2025))
    assert list(df["luas_kumuh_ha"]) == pytest.approx([28, 27, 24, 20, 15, 12, 8.5, 7.5, 7, 6.5])
    assert set(df["luas_awal_ha"]) == {28}
    assert list(df["berkurang_ha"]) == pytest.approx([0, 1, 4, 8, 13, 16, 19.5, 20.5, 21, 21.5])
    assert set(df["kode"]) == {"ID"} and set(df["nama"]) == {"Indonesia"}


def test_slum_area_by_year_includes_the_start_of_the_period(small_db):
    df = queries.slum_area.slum_area_by_year(small_db, Filters(tahun=(2017, 2019)))
    assert list(df["tahun"]) == [2016, 2017, 2018, 2019]  # end of 2016 is the starting point
    assert list(df["luas_kumuh_ha"]) == pytest.approx([27, 24, 20, 15])
    # the first year has no year before it
    assert list(queries.slum_area.slum_area_by_year(small_db, Filters(tahun=(2015, 2016)))["tahun"]) == [2015, 2016]


def test_slum_area_by_year_province_by_hand(small_db):
    df = queries.slum_area.slum_area_by_year(small_db, ALL, "prov")
    jabar = df[df["kode"] == "32"]
    assert list(jabar["luas_kumuh_ha"]) == pytest.approx([20, 19, 17, 14, 10, 8, 5.5, 4.5, 4, 3.5])
    assert set(jabar["nama"]) == {"Jawa Barat"}
    sulsel = df[df["kode"] == "73"]
    assert list(sulsel["luas_kumuh_ha"]) == pytest.approx([8, 8, 7, 6, 5, 4, 3, 3, 3, 3])
    assert set(df["kode"]) == {"32", "73"}  # DKI Jakarta is in the reference list but not in the programme


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("f", FILTERS, ids=FILTER_IDS)
def test_slum_area_by_year_matches_pandas(small_db, small_frames, small_reference, f, level):
    same(queries.slum_area.slum_area_by_year(small_db, f, level), expect_area_by_year(small_frames, small_reference, f, level),
         sort=["kode", "tahun"])


# --- slum area summary ---------------------------------------------------------------------------------------


def test_slum_area_summary_by_hand(small_db):
    df = queries.slum_area.slum_area_summary(small_db, ALL, "prov").set_index("kode")
    assert df.loc["32", "nama"] == "Jawa Barat"
    assert df.loc["32", ["lokasi", "lokasi_peningkatan"]].tolist() == [4, 3]
    assert df.loc["32", ["luas_awal_ha", "luas_mulai_ha", "luas_akhir_ha", "berkurang_ha", "berkurang_total_ha"]
                  ].tolist() == pytest.approx([20, 20, 3.5, 16.5, 16.5])
    assert df.loc["32", "persen_berkurang"] == pytest.approx(82.5)
    assert df.loc["73", ["lokasi", "lokasi_peningkatan"]].tolist() == [2, 1]
    assert df.loc["73", "persen_berkurang"] == pytest.approx(62.5)
    assert df.loc["32", "peringkat"] == 1 and df.loc["73", "peringkat"] == 2


def test_slum_area_summary_period_starts_at_the_end_of_the_year_before(small_db):
    df = queries.slum_area.slum_area_summary(small_db, Filters(tahun=(2017, 2019)), "prov").set_index("kode")
    # start = end of 2016, end = end of 2019
    assert df.loc["32", ["luas_mulai_ha", "luas_akhir_ha", "berkurang_ha", "berkurang_total_ha"]].tolist() == \
        pytest.approx([19, 10, 9, 10])
    assert df.loc["73", ["luas_mulai_ha", "luas_akhir_ha", "berkurang_ha", "berkurang_total_ha"]].tolist() == \
        pytest.approx([8, 5, 3, 3])
    assert df.loc["32", "persen_berkurang"] == pytest.approx(50.0)  # since the 2015 baseline
    # a one-year period starting in 2015 starts from the baseline itself
    one = queries.slum_area.slum_area_summary(small_db, Filters(tahun=(2015, 2015)), "nasional").iloc[0]
    assert one["luas_mulai_ha"] == one["luas_akhir_ha"] == pytest.approx(28)
    assert one["berkurang_ha"] == pytest.approx(0)


def test_slum_area_summary_rank_leaves_places_without_slum_unranked(small_db):
    df = queries.slum_area.slum_area_summary(small_db, Filters(tipe="pencegahan"), "desa")
    assert len(df) == 2
    assert df["persen_berkurang"].isna().all()
    assert df["peringkat"].isna().all()
    ranked = queries.slum_area.slum_area_summary(small_db, ALL, "desa").set_index("kode")
    assert ranked.loc["32.04.05.2001", "peringkat"] == 1  # 100 %
    assert ranked.loc["32.73.01.1001", "peringkat"] == 1  # 100 % too: ties share the best rank
    assert ranked.loc["73.71.01.1001", "peringkat"] == 3  # 62.5 %
    assert ranked.loc["32.73.01.1002", "peringkat"] == 4  # 41.7 %
    assert pd.isna(ranked.loc["32.73.01.1003", "peringkat"])


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("f", FILTERS, ids=FILTER_IDS)
def test_slum_area_summary_matches_pandas(small_db, small_frames, small_reference, f, level):
    same(queries.slum_area.slum_area_summary(small_db, f, level), expect_summary(small_frames, small_reference, f, level),
         sort=["kode"])


# --- kelurahan table -----------------------------------------------------------------------------------------


def test_kelurahan_table_by_hand(small_db):
    df = queries.slum_area.kelurahan_table(small_db, ALL)
    assert list(df["kode_desa"]) == ["32.73.01.1001", "73.71.01.1001", "32.04.05.2001", "32.73.01.1002",
                                     "32.73.01.1003", "73.71.01.1002"]  # most reduced first, then by code
    first = df.iloc[0]
    assert (first["nama_desa"], first["nama_kabkota"], first["nama_prov"]) == ("Sukarasa", "Kota Bandung", "Jawa Barat")
    assert (first["luas_awal_ha"], first["luas_mulai_ha"], first["luas_akhir_ha"], first["berkurang_total_ha"]) == (
        10, 10, 0, 10)
    assert first["tingkat_kumuh_awal"] == "berat"
    assert first["skor_kumuh_akhir"] == pytest.approx(26.0) and first["tingkat_kumuh_akhir"] == "ringan"


@pytest.mark.parametrize("f", FILTERS, ids=FILTER_IDS)
def test_kelurahan_table_matches_pandas(small_db, small_frames, small_reference, f):
    lok = pick(small_frames, f)
    kab = small_reference["kabkota"][["kode_kabkota", "nama_kabkota"]]
    prov = small_reference["provinsi"][["kode_prov", "nama_prov"]]
    y = small_frames["luas_kumuh_tahunan"]
    start = y[y["tahun"] == f.start_year][["kode_desa", "luas_kumuh_ha"]]
    start = start.rename(columns={"luas_kumuh_ha": "luas_mulai_ha"})
    end = y[y["tahun"] == f.end_year].drop(columns="tahun").rename(
        columns={"luas_kumuh_ha": "luas_akhir_ha", "skor_kumuh": "skor_kumuh_akhir",
                 "tingkat_kumuh": "tingkat_kumuh_akhir"})
    e = lok.merge(kab, on="kode_kabkota").merge(prov, on="kode_prov")
    e = e.merge(start, on="kode_desa").merge(end, on="kode_desa")
    e = e.rename(columns={"luas_kumuh_awal_ha": "luas_awal_ha"})
    e["berkurang_total_ha"] = e["luas_awal_ha"] - e["luas_akhir_ha"]
    e = e.sort_values(["berkurang_total_ha", "kode_desa"], ascending=[False, True])
    cols = ["kode_desa", "nama_desa", "nama_kabkota", "nama_prov", "tipe_lokasi", "sumber_dana", "luas_awal_ha",
            "luas_mulai_ha", "luas_akhir_ha", "berkurang_total_ha", "skor_kumuh_awal", "tingkat_kumuh_awal",
            "skor_kumuh_akhir", "tingkat_kumuh_akhir"]
    same(queries.slum_area.kelurahan_table(small_db, f), e[cols])  # same order too


# --- zero-slum projection ------------------------------------------------------------------------------------


def test_zero_slum_projection_by_hand(small_db):
    df = queries.slum_area.zero_slum_projection(small_db, ALL, "prov").set_index("kode")
    # Jawa Barat: 5.5 ha at the end of 2021, 3.5 ha at the end of 2024: 2/3 ha a year, 3.5 ha left -> 6 more years
    assert df.loc["32", "luas_akhir_ha"] == pytest.approx(3.5)
    assert df.loc["32", "laju_ha_per_tahun"] == pytest.approx(2 / 3)
    assert df.loc["32", "tahun_nol"] == 2030
    # Sulawesi Selatan: 3 ha since 2021, no pace -> never at that pace
    assert df.loc["73", "laju_ha_per_tahun"] == pytest.approx(0)
    assert pd.isna(df.loc["73", "tahun_nol"])
    assert df.loc["32", "nama"] == "Jawa Barat"


def test_zero_slum_projection_by_kabkota_and_reached_zero(small_db):
    df = queries.slum_area.zero_slum_projection(small_db, ALL, "kab").set_index("kode")
    assert df.loc["32.04", "tahun_nol"] == 2021  # already zero: the year it got there
    assert df.loc["32.04", "luas_akhir_ha"] == 0
    assert df.loc["32.73", "tahun_nol"] == 2030
    assert pd.isna(df.loc["73.71", "tahun_nol"])


def test_zero_slum_projection_follows_the_end_year_and_filters(small_db):
    df = queries.slum_area.zero_slum_projection(small_db, Filters(tahun=(2018, 2019)), "prov").set_index("kode")
    # end of 2019: Jawa Barat 10 ha, 19 ha at the end of 2016 -> 3 ha a year -> 4 more years
    assert df.loc["32", "laju_ha_per_tahun"] == pytest.approx(3)
    assert df.loc["32", "tahun_nol"] == 2023
    # Sulawesi Selatan 5 ha, 8 ha in 2016 -> 1 ha a year -> 5 more years
    assert df.loc["73", "tahun_nol"] == 2024
    # a filter: only the kota Bandung locations; a longer window
    kab = queries.slum_area.zero_slum_projection(small_db, Filters(kab="32.73"), "prov", window=5).iloc[0]
    # 16 -> 13 -> ... end 2019: 8; end 2024: 3.5 -> 0.9 ha a year -> 3.89 years -> 2028
    assert kab["laju_ha_per_tahun"] == pytest.approx(0.9)
    assert kab["tahun_nol"] == 2028


def test_zero_slum_projection_without_enough_years_has_no_pace(small_db):
    df = queries.slum_area.zero_slum_projection(small_db, Filters(tahun=(2016, 2016)), "nasional")
    assert df["laju_ha_per_tahun"].tolist() == [0.0]
    assert pd.isna(df["tahun_nol"].iloc[0])


# --- service access ------------------------------------------------------------------------------------------


def test_service_access_by_hand(small_db, small_frames):
    df = queries.indicators.service_access(small_db, Filters(kab="32.04", tahun=(2016, 2016)), "kab")
    # Cileunyi Kulon (80 households, 1st location): air_minum floor(80 * 0.40) in 2015, floor(80 * 0.45) in 2016
    rows = df.set_index(["tahun", "layanan"])
    assert rows.loc[(2015, "air_minum"), "kk_terlayani"] == 32
    assert rows.loc[(2016, "air_minum"), "kk_terlayani"] == 36
    assert rows.loc[(2016, "drainase"), "kk_terlayani"] == 21  # floor(80 * 0.27)
    assert rows.loc[(2016, "drainase"), "persen_terlayani"] == pytest.approx(100 * 21 / 80)
    assert set(df["kk_total"]) == {80}
    pooled = queries.indicators.service_access(small_db, Filters(kab="32.04", tahun=(2016, 2016)), "kab", by_service=False)
    assert "layanan" not in pooled.columns
    assert pooled.set_index("tahun").loc[2016, "kk_terlayani"] == 36 + 21
    assert pooled.set_index("tahun").loc[2016, "persen_terlayani"] == pytest.approx(100 * 57 / 160)


@pytest.mark.parametrize("by_service", [True, False], ids=["by_service", "pooled"])
@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("f", FILTERS, ids=FILTER_IDS)
def test_service_access_matches_pandas(small_db, small_frames, small_reference, f, level, by_service):
    e = expect_access(small_frames, small_reference, f, level, by_service)
    keys = ["kode", "tahun", *(["layanan"] if by_service else [])]
    same(queries.indicators.service_access(small_db, f, level, by_service=by_service), e, sort=keys)


# --- Pokja PKP ------------------------------------------------------------------------------------------------


def test_pokja_status_by_hand(small_db):
    df = queries.indicators.pokja_status(small_db, ALL).set_index("tahun")
    # formed: Makassar 2015, Kota Bandung 2016, Kab. Bandung 2017; functioning: Makassar 2016, Kota Bandung 2018
    assert df["kabkota"].tolist() == [3] * 10
    assert df["terbentuk"].tolist() == [1, 2, 3, 3, 3, 3, 3, 3, 3, 3]
    assert df["berfungsi"].tolist() == [0, 1, 1, 2, 2, 2, 2, 2, 2, 2]
    assert df.loc[2024, "persen_berfungsi"] == pytest.approx(200 / 3)
    assert df.loc[2016, "persen_terbentuk"] == pytest.approx(200 / 3)


def test_pokja_status_follows_the_financier_of_the_kabkota(small_db):
    ibrd = queries.indicators.pokja_status(small_db, Filters(dana=("ibrd",), tahun=(2018, 2018)))
    assert ibrd["kabkota"].tolist() == [1, 1]  # Kota Bandung only; 2017 (start) and 2018
    assert ibrd["berfungsi"].tolist() == [0, 1]
    assert queries.indicators.pokja_status(small_db, Filters(dana=("apbn",))).empty  # no location financed by the national budget


def test_pokja_status_ignores_location_type_and_slum_level(small_db):
    base = queries.indicators.pokja_status(small_db, ALL, "kab")
    same(queries.indicators.pokja_status(small_db, Filters(tipe="pencegahan", tingkat=("berat",)), "kab"), base)


@pytest.mark.parametrize("level", KAB_LEVELS)
@pytest.mark.parametrize("f", FILTERS, ids=FILTER_IDS)
def test_pokja_status_matches_pandas(small_db, small_frames, small_reference, f, level):
    same(queries.indicators.pokja_status(small_db, f, level), expect_pokja(small_frames, small_reference, f, level),
         sort=["kode", "tahun"])


# --- satisfaction ---------------------------------------------------------------------------------------------


def test_satisfaction_by_hand(small_db):
    df = queries.indicators.satisfaction(small_db, ALL).set_index("tahun")
    assert df.index.tolist() == [2017, 2019, 2021, 2023]
    assert df.loc[2017, ["responden", "puas"]].tolist() == [230, 160]
    assert df.loc[2023, ["responden", "puas"]].tolist() == [240, 171]
    assert df.loc[2023, "persen_puas"] == pytest.approx(71.25)
    by_kab = queries.indicators.satisfaction(small_db, Filters(tahun=(2019, 2019)), "kab").set_index("kode")
    assert by_kab.loc["32.73", "persen_puas"] == pytest.approx(100 * 100 / 120)
    assert by_kab.loc["32.73", "nama"] == "Kota Bandung"


def test_satisfaction_counts_survey_years_inside_the_period_only(small_db):
    # unlike stocks, a survey is a flow: the period 2018-2019 holds the 2019 survey, not the 2017 one
    df = queries.indicators.satisfaction(small_db, Filters(tahun=(2018, 2019)))
    assert df["tahun"].tolist() == [2019]
    assert queries.indicators.satisfaction(small_db, Filters(tahun=(2015, 2016))).empty


@pytest.mark.parametrize("level", KAB_LEVELS)
@pytest.mark.parametrize("f", FILTERS, ids=FILTER_IDS)
def test_satisfaction_matches_pandas(small_db, small_frames, small_reference, f, level):
    same(queries.indicators.satisfaction(small_db, f, level), expect_satisfaction(small_frames, small_reference, f, level),
         sort=["kode", "tahun"])


# --- spending ------------------------------------------------------------------------------------------------


def test_spending_by_hand(small_db):
    df = queries.spending.spending(small_db, Filters(kab="32.04"), by=("komponen",)).set_index("komponen")
    # Kab. Bandung: component c in year y allocates 1e9 * c + 1e8 * (y - 2016), 2016-2022; 85 % realised
    assert df.loc[1, "alokasi_rp"] == pytest.approx(7e9 + 21e8)
    assert df.loc[3, "alokasi_rp"] == pytest.approx(21e9 + 21e8)
    assert df.loc[3, "persen_serapan"] == pytest.approx(85, abs=1e-6)
    total = queries.spending.spending(small_db, ALL, by=())
    assert len(total) == 1
    # 3 kab/kota x 7 years x (6e9 x (k+1) + 3 x 1e8 x ...) plus the 0.5e9 national-budget row
    assert total["alokasi_rp"].iloc[0] == pytest.approx(7 * 6e9 * (1 + 2 + 3) + 3 * 3 * 21e8 + 5e8)


def test_spending_financier_filter_uses_the_spending_row(small_db):
    apbn = queries.spending.spending(small_db, Filters(dana=("apbn",)), by=("kode_kabkota", "tahun"))
    assert apbn[["kode_kabkota", "tahun"]].values.tolist() == [["32.73", 2015]]
    assert apbn["realisasi_rp"].tolist() == [4.5e8]
    # a period without that year has nothing
    assert queries.spending.spending(small_db, Filters(dana=("apbn",), tahun=(2016, 2024)), by=("tahun",)).empty


def test_spending_rejects_an_unknown_dimension(small_db):
    with pytest.raises(ValueError):
        queries.spending.spending(small_db, ALL, by=("kode_desa",))
    with pytest.raises(ValueError):
        queries.spending.spending(small_db, ALL, by=("tahun; DROP VIEW anggaran",))


@pytest.mark.parametrize(
    "by",
    [(), ("tahun",), ("komponen",), ("sumber_dana",), ("kode_prov",), ("kode_kabkota",), ("tahun", "komponen"),
     ("kode_prov", "sumber_dana", "tahun")],
    ids=lambda b: "+".join(b) or "total",
)
@pytest.mark.parametrize("f", FILTERS, ids=FILTER_IDS)
def test_spending_matches_pandas(small_db, small_frames, f, by):
    e = expect_spending(small_frames, f, by)
    a = queries.spending.spending(small_db, f, by=by)
    if not by and e["alokasi_rp"].iloc[0] == 0:  # nothing selected: one row of zero totals
        assert a[["alokasi_rp", "realisasi_rp"]].values.tolist() == [[0, 0]]
        assert a["persen_serapan"].isna().all()
        return
    same(a, e, sort=list(by) or None)


# --- spending per hectare (spending_by_region) ------------------------------------------------------------------------------------


def test_spending_per_ha_by_hand(small_db, small_frames):
    df = queries.spending.spending_by_region(small_db, Filters(tahun=(2017, 2019)), "prov").set_index("kode")
    s = small_frames["anggaran"]
    s = s[s["tahun"].between(2017, 2019)]
    jabar = s.loc[s["kode_kabkota"].str.startswith("32"), "realisasi_rp"].sum()
    assert df.loc["32", "realisasi_rp"] == pytest.approx(jabar)
    assert df.loc["32", "berkurang_ha"] == pytest.approx(9)  # 19 ha at the end of 2016, 10 ha at the end of 2019
    assert df.loc["32", "rp_per_ha"] == pytest.approx(jabar / 9)
    assert df.loc["73", "berkurang_ha"] == pytest.approx(3)
    assert list(df.columns) == ["nama", "alokasi_rp", "realisasi_rp", "persen_serapan", "berkurang_ha", "rp_per_ha"]


def test_spending_per_ha_is_empty_where_nothing_was_reduced(small_db):
    df = queries.spending.spending_by_region(small_db, Filters(tipe="pencegahan"), "kab").dropna(subset="berkurang_ha")
    assert (df["berkurang_ha"] == 0).all()
    assert df["rp_per_ha"].isna().all()
    assert (df["realisasi_rp"] > 0).all()
    with pytest.raises(ValueError):
        queries.spending.spending_by_region(small_db, ALL, "desa")


@pytest.mark.parametrize("level", ["prov", "kab"])
@pytest.mark.parametrize("f", FILTERS, ids=FILTER_IDS)
def test_spending_per_ha_matches_pandas(small_db, small_frames, small_reference, f, level):
    area = expect_summary(small_frames, small_reference, f, level)[["kode", "nama", "berkurang_ha"]]
    dim = "kode_prov" if level == "prov" else "kode_kabkota"
    money = expect_spending(small_frames, f, (dim,)).rename(columns={dim: "kode"})[["kode", "realisasi_rp"]]
    e = area.merge(money, on="kode")
    e["rp_per_ha"] = [r / h if h > 0 else math.nan for r, h in zip(e["realisasi_rp"], e["berkurang_ha"], strict=True)]
    cols = ["kode", "nama", "realisasi_rp", "berkurang_ha", "rp_per_ha"]
    got = queries.spending.spending_by_region(small_db, f, level)[cols]
    got = got[got["realisasi_rp"].notna() & got["berkurang_ha"].notna()].reset_index(drop=True)
    same(got, e[cols], sort=["kode"])


# --- headline -------------------------------------------------------------------------------------------------


def expect_headline(frames, ref, f: Filters) -> dict:
    lok = pick(frames, f)
    y = frames["luas_kumuh_tahunan"]
    sel = y[y["kode_desa"].isin(lok["kode_desa"])]
    awal = lok["luas_kumuh_awal_ha"].sum()
    mulai = sel.loc[sel["tahun"] == f.start_year, "luas_kumuh_ha"].sum()
    akhir = sel.loc[sel["tahun"] == f.end_year, "luas_kumuh_ha"].sum()
    a = frames["akses_layanan"]
    a = a[a["kode_desa"].isin(lok["kode_desa"])]

    def access(year):
        r = a[a["tahun"] == year]
        return 100 * r["kk_terlayani"].sum() / r["kk_total"].sum() if len(r) else None

    p = pick_kab(frames, frames["pokja_pkp"], f)
    p = p[p["tahun"] == f.end_year]
    k = pick_kab(frames, frames["kepuasan"], f)
    k = k[k["tahun"].between(*f.tahun)]
    last = k[k["tahun"] == k["tahun"].max()] if len(k) else k
    s = pick_kab(frames, frames["anggaran"], f, financier_col="sumber_dana")
    s = s[s["tahun"].between(*f.tahun)]
    return {
        "luas_awal_ha": awal, "luas_akhir_ha": akhir, "berkurang_total_ha": awal - akhir,
        "berkurang_ha": mulai - akhir, "persen_berkurang": 100 * (awal - akhir) / awal if awal else None,
        "akses_dasar": access(2015), "akses_awal": access(f.start_year), "akses_akhir": access(f.end_year),
        "pokja_berfungsi": 100 * p["berfungsi"].mean() if len(p) else None,
        "pokja_terbentuk": 100 * p["terbentuk"].mean() if len(p) else None,
        "puas": 100 * last["puas"].sum() / last["responden"].sum() if len(last) else None,
        "puas_tahun": int(last["tahun"].max()) if len(last) else None,
        "alokasi_rp": s["alokasi_rp"].sum(), "realisasi_rp": s["realisasi_rp"].sum(),
        "persen_serapan": 100 * s["realisasi_rp"].sum() / s["alokasi_rp"].sum() if len(s) else None,
        "n_prov": lok["kode_prov"].nunique(), "n_kab": lok["kode_kabkota"].nunique(), "n_desa": len(lok),
        "tahun_akhir": f.end_year,
    }


@pytest.mark.parametrize("f", FILTERS, ids=FILTER_IDS)
def test_headline_numbers_match_pandas(small_db, small_frames, small_reference, f):
    h = queries.headline.headline(small_db, f)
    for key, value in expect_headline(small_frames, small_reference, f).items():
        if value is None:
            assert getattr(h, key) is None, key
        else:
            assert getattr(h, key) == pytest.approx(value), key
    assert set(h.status) == {"slum_area", "access", "pokja", "satisfaction", "absorption"}


def test_headline_counts_by_hand(small_db):
    h = queries.headline.headline(small_db, ALL)
    assert (h.n_prov, h.n_kab, h.n_desa) == (2, 3, 6)
    assert (h.luas_awal_ha, h.luas_akhir_ha, h.berkurang_total_ha) == pytest.approx((28, 6.5, 21.5))
    assert h.persen_berkurang == pytest.approx(100 * 21.5 / 28)
    assert (h.puas, h.puas_tahun) == (pytest.approx(71.25), 2023)
    assert h.pokja_berfungsi == pytest.approx(200 / 3)
    h = queries.headline.headline(small_db, Filters(prov="73", tipe="peningkatan"))
    assert (h.n_prov, h.n_kab, h.n_desa) == (1, 1, 1)


@pytest.mark.parametrize(
    ("f", "word_"),
    [
        # 13 of 28 ha reduced by the end of 2019 (46.4 %) against 4/9 of the way (44.4 %): on track
        (Filters(tahun=(2015, 2019)), "on_track"),
        # Jawa Barat: 16.5 of 20 ha by 2024 (82.5 % of 100 %): at risk
        (Filters(prov="32"), "at_risk"),
        # Sulawesi Selatan: 5 of 8 ha (62.5 %): off track
        (Filters(prov="73"), "off_track"),
        # Kab. Bandung: all 4 ha gone by 2021, two thirds of the way: on track
        (Filters(kab="32.04", tahun=(2021, 2021)), "on_track"),
    ],
)
def test_headline_slum_area_status(small_db, f, word_):
    assert queries.headline.headline(small_db, f).status["slum_area"] == word_


@pytest.mark.parametrize(
    ("kab", "satisfaction", "absorption"),
    [
        ("32.73", "on_track", "on_track"),  # 85 % satisfied; 97 % realised (96.9 % with the APBN row)
        ("73.71", "at_risk", "off_track"),  # 70 % satisfied (87.5 % of 80 %); 60 % realised
        ("32.04", "off_track", "at_risk"),  # 55 % satisfied; 85 % realised
    ],
)
def test_headline_satisfaction_and_absorption_status(small_db, kab, satisfaction, absorption):
    h = queries.headline.headline(small_db, Filters(kab=kab))
    assert h.status["satisfaction"] == satisfaction
    assert h.status["absorption"] == absorption


def test_headline_pokja_status(small_db):
    # 2 of 3 kabupaten/kota functioning: 66.7 % against 100 % by 2024 (off track), 44.4 % by 2019 (on track)
    assert queries.headline.headline(small_db, ALL).status["pokja"] == "off_track"
    assert queries.headline.headline(small_db, Filters(tahun=(2015, 2019))).status["pokja"] == "on_track"
    assert queries.headline.headline(small_db, Filters(kab="32.04")).status["pokja"] == "off_track"  # never functioning


def test_headline_access_status_against_the_2015_baseline(small_db, small_frames):
    a = small_frames["akses_layanan"]

    def pooled(year):
        r = a[a["tahun"] == year]
        return 100 * r["kk_terlayani"].sum() / r["kk_total"].sum()

    for end in (2017, 2019, 2024):
        share = (end - 2015) / 9
        expected = pooled(2015) + (100 - pooled(2015)) * share
        for start in (2015, 2016, end):
            h = queries.headline.headline(small_db, Filters(tahun=(start, end)))
            assert h.status["access"] == word(pooled(end), expected), (start, end)


def test_headline_status_does_not_depend_on_the_start_of_the_period(small_db):
    """Where the programme stands at the end of a year is the same whatever period leads up to it."""
    for end in (2018, 2019, 2022, 2024):
        words = {start: queries.headline.headline(small_db, Filters(tahun=(start, end))).status for start in range(2015, end + 1)}
        for key in ("slum_area", "access", "pokja"):
            assert len({w[key] for w in words.values()}) == 1, (end, key, words)


def test_headline_without_a_survey_or_spending_in_the_period(small_db):
    h = queries.headline.headline(small_db, Filters(tahun=(2024, 2024)))
    assert h.puas is None and h.puas_tahun is None
    assert h.status["satisfaction"] is None
    assert h.alokasi_rp == 0 and h.realisasi_rp == 0
    assert h.persen_serapan is None and h.status["absorption"] is None


# --- places and search index --------------------------------------------------------------------------------


def test_places_lists_programme_kabkota_with_their_province(small_db):
    df = queries.regions.places(small_db)
    assert df.values.tolist() == [
        ["32", "Jawa Barat", "West Java", "32.04", "Kab. Bandung"],
        ["32", "Jawa Barat", "West Java", "32.73", "Kota Bandung"],
        ["73", "Sulawesi Selatan", "South Sulawesi", "73.71", "Kota Makassar"],
    ]
    assert list(df.columns) == ["kode_prov", "nama_prov", "nama_prov_en", "kode_kabkota", "nama_kabkota"]


def test_region_index(small_db, small_frames):
    df = queries.regions.region_index(small_db)
    assert list(df.columns) == ["level", "kode", "nama", "induk"]
    prov = df[df["level"] == "prov"]
    assert prov[["kode", "nama"]].values.tolist() == [["32", "Jawa Barat"], ["73", "Sulawesi Selatan"]]
    assert prov["induk"].isna().all()
    kab = df[df["level"] == "kab"]
    assert kab[["kode", "nama", "induk"]].values.tolist() == [
        ["32.04", "Kab. Bandung", "Jawa Barat"], ["32.73", "Kota Bandung", "Jawa Barat"],
        ["73.71", "Kota Makassar", "Sulawesi Selatan"]]
    desa = df[df["level"] == "desa"].set_index("kode")
    lok = small_frames["lokasi"].set_index("kode_desa")
    assert sorted(desa.index) == sorted(lok.index)
    assert (desa["nama"] == lok.loc[desa.index, "nama_desa"]).all()
    assert desa.loc["73.71.01.1002", "induk"] == "Kota Makassar"
    assert "31" not in set(df["kode"]) and "31.71" not in set(df["kode"])  # reference-only places left out


# --- levels, pure helpers ------------------------------------------------------------------------------------


def test_unknown_level_is_refused(small_db):
    for fn in (queries.slum_area.slum_area_by_year, queries.slum_area.slum_area_summary, queries.indicators.service_access):
        with pytest.raises(ValueError):
            fn(small_db, ALL, "kecamatan")
    for fn in (queries.indicators.pokja_status, queries.indicators.satisfaction):
        with pytest.raises(ValueError):
            fn(small_db, ALL, "desa")  # kept per kabupaten/kota


def test_expected_progress_and_status_rule():
    assert targets.expected_progress(2015) == 0 and targets.expected_progress(2024) == 1
    assert targets.expected_progress(2019) == pytest.approx(4 / 9)
    assert targets.expected_progress(2010) == 0 and targets.expected_progress(2030) == 1
    assert targets.status(95, 100) == "on_track" and targets.status(94.9, 100) == "at_risk"
    assert targets.status(80, 100) == "at_risk" and targets.status(79.9, 100) == "off_track"
    assert targets.status(50, 100, 0.5) == "on_track"
    assert targets.status(None, 100) is None and targets.status(float("nan"), 100) is None
    assert targets.status(0, 100, 0.0) == "on_track"  # nothing expected yet


# --- bound parameters: hostile filter values ------------------------------------------------------------------

HOSTILE = [
    Filters(prov=INJECTION),
    Filters(kab="32.73' OR '1'='1"),
    Filters(tipe="peningkatan' OR '1'='1"),
    Filters(dana=("ibrd' OR '1'='1",)),
    Filters(tingkat=("berat' OR '1'='1",)),
    Filters(prov="32'; DROP VIEW lokasi; --"),
    Filters(kab='32.73" OR "1"="1'),
    Filters(dana=("x') OR TRUE OR ('", "ibrd'--")),
    Filters(tahun=(1990, 1991)),  # years are ints; outside the data they select nothing
]
HOSTILE_IDS = ["prov", "kab", "tipe", "dana", "tingkat", "prov_drop", "kab_dquote", "dana_paren", "tahun"]
# fields the per-kabupaten/kota tables do not filter on
IGNORED_BY_KAB_TABLES = {"tipe", "tingkat"}


@pytest.mark.parametrize("f", HOSTILE, ids=HOSTILE_IDS)
def test_hostile_filter_values_select_nothing(small_db, f):
    for level in LEVELS:
        assert queries.slum_area.slum_area_by_year(small_db, f, level).empty
        assert queries.slum_area.slum_area_summary(small_db, f, level).empty
        assert queries.indicators.service_access(small_db, f, level).empty
        assert queries.indicators.service_access(small_db, f, level, by_service=False).empty
    assert queries.slum_area.kelurahan_table(small_db, f).empty
    assert queries.slum_area.zero_slum_projection(small_db, f).empty
    for level in ("prov", "kab"):
        assert queries.spending.spending_by_region(small_db, f, level)["berkurang_ha"].isna().all()
    h = queries.headline.headline(small_db, f)
    if f.tahun == ALL.tahun:  # (years outside the data still count the selected locations)
        assert (h.n_prov, h.n_kab, h.n_desa) == (0, 0, 0)
    assert h.luas_awal_ha == 0 and h.luas_akhir_ha == 0 and h.persen_berkurang is None
    assert h.akses_akhir is None


@pytest.mark.parametrize("f", HOSTILE, ids=HOSTILE_IDS)
def test_hostile_filter_values_on_per_kabkota_tables(small_db, f):
    field = HOSTILE_IDS[HOSTILE.index(f)]
    for fn, levels in ((queries.indicators.pokja_status, KAB_LEVELS), (queries.indicators.satisfaction, KAB_LEVELS)):
        for level in levels:
            got = fn(small_db, f, level)
            if field in IGNORED_BY_KAB_TABLES:
                same(got, fn(small_db, ALL, level))  # not filtered by that field: unchanged, never more
            else:
                assert got.empty, (fn.__name__, level)
    for by in (("komponen",), ("tahun", "sumber_dana"), ("kode_prov",)):
        got = queries.spending.spending(small_db, f, by=by)
        if field in IGNORED_BY_KAB_TABLES:
            same(got, queries.spending.spending(small_db, ALL, by=by))
        else:
            assert got.empty
    total = queries.spending.spending(small_db, f, by=())
    h = queries.headline.headline(small_db, f)
    if field not in IGNORED_BY_KAB_TABLES:
        assert total[["alokasi_rp", "realisasi_rp"]].values.tolist() == [[0, 0]]
        assert h.alokasi_rp == 0 and h.realisasi_rp == 0 and h.persen_serapan is None
        assert h.pokja_berfungsi is None and h.puas is None


def test_database_still_intact_after_hostile_values(small_db):
    queries.headline.headline(small_db, Filters(prov="32'; DROP VIEW lokasi; --"))
    assert len(queries.slum_area.kelurahan_table(small_db, ALL)) == 6
    assert queries.headline.headline(small_db, ALL).n_desa == 6
