"""Spending page (pages/2_anggaran.py) under Streamlit's AppTest: default view, filters in the URL, both
languages and bad parameters; rendered numbers are compared with the queries run here independently."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from apptest_pages import run_page
from streamlit.testing.v1 import AppTest

from kotaku_data import config, queries
from kotaku_data.data.db import Database
from kotaku_data.filters import Filters
from kotaku_data.i18n import fmt_ha, fmt_pct, fmt_rp, label, t

REPO = Path(__file__).resolve().parents[2]
PAGE = "pages/2_anggaran.py"
T_YEAR, T_COMPONENT, T_FINANCIER, T_PLACES = range(4)


def run(tables: bool = True, **params: str) -> AppTest:
    at = run_page(PAGE, params, tables)
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def legend_names(at: AppTest) -> set[str]:
    return {d.get("name") for el in at.get("plotly_chart") for d in json.loads(el.proto.spec)["data"]}


@pytest.fixture(scope="module")
def db():
    d = Database(REPO / "data")
    yield d
    d.close()


def assert_cards(at: AppTest, db, f: Filters, lang: str = "id") -> dict:
    s = queries.spending.spending_summary(db, f)
    m = metrics(at)
    assert m[t("spend.card.allocated", lang)] == fmt_rp(s.alokasi_rp, lang)
    assert m[t("spend.card.realised", lang)] == fmt_rp(s.realisasi_rp, lang)
    assert m[t("spend.card.absorption", lang)] == fmt_pct(s.persen_serapan, lang)
    per_ha = t("spend.per_ha_value", lang, value=fmt_rp(s.rp_per_ha, lang, 0)) if s.rp_per_ha else "–"
    assert m[t("spend.card.per_ha", lang)] == per_ha
    return s


def test_default_view(db):
    at = run()
    f = Filters()
    s = assert_cards(at, db, f)
    deltas = " ".join(m.proto.delta for m in at.metric)
    assert fmt_ha(s.berkurang_ha, "id") in deltas
    assert len(at.dataframe) == 4
    year = at.dataframe[T_YEAR].value
    assert len(year) == len(queries.spending.spending(db, f, ("tahun", "komponen")))
    comp = at.dataframe[T_COMPONENT].value
    by_comp = queries.spending.spending(db, f, ("komponen",))
    # component names in full, in the language of the page
    assert list(comp[t("col.komponen", "id")]) == [label("component", c, "id") for c in config.COMPONENTS]
    assert list(comp[t("col.realisasi_rp", "id")]) == [fmt_rp(v, "id") for v in by_comp["realisasi_rp"]]
    assert list(comp[t("col.persen_serapan", "id")]) == [fmt_pct(v, "id") for v in by_comp["persen_serapan"]]
    assert len(at.dataframe[T_FINANCIER].value) == len(queries.spending.spending(db, f, ("komponen", "sumber_dana")))
    places = at.dataframe[T_PLACES].value
    regions = queries.spending.spending_by_region(db, f, "prov")
    assert len(places) == len(regions) == 34
    assert list(places[t("col.rp_per_ha", "id")]) == [fmt_rp(v, "id") for v in regions["rp_per_ha"]]
    legend = legend_names(at)
    for c in config.COMPONENTS:  # every component in the legend, numbered, full name (wrapped over lines)
        assert any(n and n.replace("<br>", " ") == f"{c}. {label('component', c, 'id')}" for n in legend)
    for d in config.FINANCIERS:
        assert label("dana", d, "id") in legend
    status = t(f"status.{s.status}", "id")
    assert any(status in m.value for m in at.markdown)
    assert not at.warning and not at.info


def test_province_in_url(db):
    at = run(prov="32")
    f = Filters(prov="32")
    assert_cards(at, db, f)
    regions = queries.spending.spending_by_region(db, f, "kab")
    places = at.dataframe[T_PLACES].value
    assert len(places) == len(regions) > 1
    assert list(places[t("col.nama", "id")]) == list(regions["nama"])
    assert list(places[t("col.alokasi_rp", "id")]) == [fmt_rp(v, "id") for v in regions["alokasi_rp"]]


def test_kabupaten_kota_in_url(db):
    at = run(prov="32", kab="32.73")
    f = Filters(prov="32", kab="32.73")
    assert_cards(at, db, f)
    assert list(at.dataframe[T_PLACES].value[t("col.nama", "id")]) == ["Kota Bandung"]


def test_years_and_financiers_in_url(db):
    at = run(tahun="2017-2019", dana="ibrd,aiib")
    f = Filters(tahun=(2017, 2019), dana=("ibrd", "aiib"))
    assert_cards(at, db, f)
    year = at.dataframe[T_YEAR].value
    assert sorted(set(year[t("col.tahun", "id")])) == ["2017", "2018", "2019"]
    fin = at.dataframe[T_FINANCIER].value
    assert set(fin[t("col.sumber_dana", "id")]) == {label("dana", "ibrd", "id"), label("dana", "aiib", "id")}
    assert label("dana", "apbn", "id") not in legend_names(at)


def test_english(db):
    at = run(lang="en")
    assert_cards(at, db, Filters(), "en")
    comp = at.dataframe[T_COMPONENT].value
    names = list(comp[t("col.komponen", "en")])
    assert names == [label("component", c, "en") for c in config.COMPONENTS]
    assert not set(names) & {label("component", c, "id") for c in config.COMPONENTS}
    assert t("col.realisasi_rp", "id") not in comp.columns
    assert all(v.startswith("IDR ") for v in comp[t("col.realisasi_rp", "en")])
    subheads = " ".join(s.value for s in at.subheader)
    assert t("spend.q_year", "en") in subheads and t("spend.q_year", "id") not in subheads
    legend = legend_names(at)
    assert label("dana", "ibrd", "en") in legend and label("dana", "ibrd", "id") not in legend


def test_bad_parameters_give_a_notice_not_an_error(db):
    at = run(False, dana="ibrd,bank_x", tahun="2019-2016")
    notices = " ".join(w.value for w in at.warning)
    assert "dana" in notices and "tahun" in notices
    assert_cards(at, db, Filters(dana=("ibrd",)))


def test_location_filters_note(db):
    at = run(tipe="pencegahan")
    assert [i.value for i in at.info] == [t("spend.kab_level_note", "id")]
    s = assert_cards(at, db, Filters(tipe="pencegahan"))
    assert s.rp_per_ha is None  # prevention locations have no slum to reduce: no cost per hectare
    assert metrics(at)[t("spend.card.per_ha", "id")] == "–"
