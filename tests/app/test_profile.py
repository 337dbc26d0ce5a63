"""Region profile page (pages/4_profil_wilayah.py) under Streamlit's AppTest: national, province,
kabupaten/kota and kelurahan profiles from the URL, the comparison region, the search box, both languages and
bad parameters; rendered numbers are compared with the queries run here independently."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from apptest_pages import run_page
from streamlit.testing.v1 import AppTest

from kotaku_data import queries
from kotaku_data.data.db import Database
from kotaku_data.filters import Filters
from kotaku_data.i18n import fmt_ha, fmt_number, fmt_pct, fmt_rp, label, t

REPO = Path(__file__).resolve().parents[2]
PAGE = "pages/4_profil_wilayah.py"


def run(tables: bool = True, **params: str) -> AppTest:
    at = run_page(PAGE, params, tables)
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def query(at: AppTest) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


@pytest.fixture(scope="module")
def db():
    d = Database(REPO / "data")
    yield d
    d.close()


@pytest.fixture(scope="module")
def kelurahan() -> pd.Series:
    """A real upgrading kelurahan of Kota Makassar, from the bundled data."""
    lok = pd.read_parquet(REPO / "data" / "program" / "lokasi.parquet")
    return lok[(lok["kode_kabkota"] == "73.71") & (lok["luas_kumuh_awal_ha"] > 0)].iloc[0]


def assert_cards(at: AppTest, row: pd.Series, f: Filters, lang: str = "id") -> None:
    m = metrics(at)
    end = str(f.end_year)
    assert m[t("profile.card.area", lang, year=end)] == fmt_ha(row["luas_akhir_ha"], lang)
    assert m[t("profile.card.reduced", lang)] == fmt_pct(row["persen_berkurang"], lang)
    assert m[t("profile.card.access", lang, year=end)] == fmt_pct(row["akses_akhir"], lang)


def test_default_is_the_national_profile(db):
    at = run()
    row = queries.profile.profile_summary(db, Filters(), ("ID",)).iloc[0]
    assert [h.value for h in at.header] == [t("profile.national_name", "id")]
    assert_cards(at, row, Filters())
    m = metrics(at)
    assert m[t("profile.card.pokja", "id", year="2024")] == fmt_pct(row["pokja_berfungsi"], "id")
    assert m[t("profile.card.spending", "id")] == fmt_rp(row["realisasi_rp"], "id")
    table = at.dataframe[0].value
    assert list(table.columns) == [t("col.ukuran", "id"), t("profile.national_name", "id")]
    assert not at.warning


def test_province_profile(db):
    at = run(prov="32")
    rows = queries.profile.profile_summary(db, Filters(prov="32"), ("32", "ID"))
    assert [h.value for h in at.header] == ["Jawa Barat"]
    assert_cards(at, rows.iloc[0], Filters(prov="32"))
    diff = rows.iloc[0]["persen_berkurang"] - rows.iloc[1]["persen_berkurang"]
    deltas = [mt.proto.delta for mt in at.metric]
    sign = "+" if diff > 0.05 else ""
    assert t("profile.vs_national", "id", diff=t("unit.points", "id", value=sign + fmt_number(diff, "id", 1))) in deltas
    table = at.dataframe[0].value
    assert list(table.columns) == [t("col.ukuran", "id"), "Jawa Barat", t("profile.national_name", "id")]
    area = table.set_index(t("col.ukuran", "id")).loc[t("profile.measure.luas_akhir_ha", "id", end="2024")]
    assert list(area) == [fmt_ha(v, "id") for v in rows["luas_akhir_ha"]]


def test_kabupaten_kota_profile_with_comparison(db):
    at = run(prov="32", kab="32.73", banding="32.75")
    f = Filters(prov="32", kab="32.73")
    rows = queries.profile.profile_summary(db, f, ("32.73", "32.75", "ID"))
    assert [h.value for h in at.header] == ["Kota Bandung"]
    assert_cards(at, rows.iloc[0], f)
    name_b = rows.iloc[1]["nama"]
    table = at.dataframe[0].value
    assert list(table.columns) == [t("col.ukuran", "id"), "Kota Bandung", name_b, t("profile.national_name", "id")]
    pct = table.set_index(t("col.ukuran", "id")).loc[t("profile.measure.persen_berkurang", "id")]
    assert list(pct) == [fmt_pct(v, "id") for v in rows["persen_berkurang"]]
    assert any(t("profile.comparing", "id", a="Kota Bandung", b=name_b) == c.value for c in at.caption)
    assert at.selectbox(key="w_profile_banding").value == "32.75"
    # spending by component of the kabupaten/kota, component names in full
    comp = at.dataframe[1].value
    by_comp = queries.spending.spending(db, f, ("komponen",))
    assert list(comp[t("col.komponen", "id")]) == [label("component", c, "id") for c in by_comp["komponen"]]
    assert list(comp[t("col.realisasi_rp", "id")]) == [fmt_rp(v, "id") for v in by_comp["realisasi_rp"]]


def test_kelurahan_profile(db, kelurahan):
    code = kelurahan["kode_desa"]
    at = run(desa=code)
    assert [h.value for h in at.header] == [kelurahan["nama_desa"]]
    # the kelurahan implies its kabupaten/kota and province: the sidebar filters follow it
    assert (at.selectbox(key="w_prov").value, at.selectbox(key="w_kab").value) == ("73", "73.71")
    row = queries.profile.profile_summary(db, Filters(), (code, "ID")).iloc[0]
    assert_cards(at, row, Filters())
    m = metrics(at)
    score = fmt_number(row["skor_akhir"], "id", 1)
    assert m[t("profile.card.score", "id")] == t("profile.score_value", "id", value=score)
    assert m[t("profile.card.level", "id", year="2024")] == label("tingkat", row["tingkat_akhir"], "id")
    table = at.dataframe[0].value.set_index(t("col.ukuran", "id"))
    assert table.loc[t("profile.measure.luas_awal_ha", "id"), kelurahan["nama_desa"]] == \
        fmt_ha(kelurahan["luas_kumuh_awal_ha"], "id")
    assert table.loc[t("profile.measure.tingkat_awal", "id"), kelurahan["nama_desa"]] == \
        label("tingkat", kelurahan["tingkat_kumuh_awal"], "id")
    assert [i.value for i in at.info] == [t("profile.desa_note", "id")]
    # up to its kabupaten/kota
    at.button(key="up_73.71").click().run()
    assert [h.value for h in at.header] == ["Kota Makassar"]
    assert "desa" not in query(at)


def test_search_finds_places_despite_typos_and_opens_them():
    at = run()
    at.text_input(key="profile_search").input("bandng").run()
    assert any(b.label.startswith("Kota Bandung") for b in at.button)
    at.button(key="open_32.73").click().run()
    assert [h.value for h in at.header] == ["Kota Bandung"]
    assert query(at) == {"prov": "32", "kab": "32.73"}
    # compare with a second place found by the search
    at.text_input(key="profile_search").input("makasar").run()
    assert any(b.label.startswith("Kota Makassar") for b in at.button)
    at.button(key="cmp_73.71").click().run()
    assert query(at) == {"prov": "32", "kab": "32.73", "banding": "73.71"}
    assert "Kota Makassar" in at.dataframe[0].value.columns
    at.button(key="compare_clear").click().run()
    assert "banding" not in query(at)


def test_search_without_result():
    at = run()
    at.text_input(key="profile_search").input("xyzzy").run()
    assert any(c.value == t("profile.search_none", "id") for c in at.caption)


def test_years_and_financiers_in_url(db):
    at = run(tahun="2017-2019", dana="ibrd,aiib", prov="32", kab="32.73")
    f = Filters(tahun=(2017, 2019), dana=("ibrd", "aiib"), prov="32", kab="32.73")
    rows = queries.profile.profile_summary(db, f, ("32.73", "ID"))
    assert_cards(at, rows.iloc[0], f)
    assert metrics(at)[t("profile.card.spending", "id")] == fmt_rp(rows.iloc[0]["realisasi_rp"], "id")


def test_english(db, kelurahan):
    at = run(lang="en", prov="32", banding=kelurahan["kode_desa"])
    rows = queries.profile.profile_summary(db, Filters(prov="32"), ("32", kelurahan["kode_desa"], "ID"))
    assert [h.value for h in at.header] == ["West Java"]  # English province name
    assert_cards(at, rows.iloc[0], Filters(prov="32"), "en")
    table = at.dataframe[0].value
    assert list(table.columns) == [t("col.ukuran", "en"), "West Java", kelurahan["nama_desa"],
                                   t("profile.national_name", "en")]
    measures = set(table[t("col.ukuran", "en")])
    assert t("profile.measure.persen_berkurang", "en") in measures
    assert t("profile.measure.persen_berkurang", "id") not in measures
    subheads = " ".join(s.value for s in at.subheader)
    assert t("profile.q_access", "en") in subheads and t("profile.q_access", "id") not in subheads


def test_bad_parameters_give_a_notice_not_an_error(db):
    at = run(False, banding="99.99", desa="32.73.01.99999")
    notices = " ".join(w.value for w in at.warning)
    assert "banding" in notices and "desa" in notices
    assert [h.value for h in at.header] == [t("profile.national_name", "id")]
