"""Outcome indicators page (pages/1_indikator.py) under Streamlit's AppTest: default view, filters in the URL,
both languages and bad parameters; rendered numbers are compared with the queries run here independently.

The page is opened through the app's entry point (``AppTest.from_file("app.py")`` + ``switch_page``), as the
classic multipage router serves it, so the shared frame's links to the other pages resolve.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from apptest_pages import run_page
from streamlit.testing.v1 import AppTest

from kotaku_data import config, queries
from kotaku_data.data.db import Database
from kotaku_data.filters import Filters
from kotaku_data.i18n import fmt_pct, label, t

REPO = Path(__file__).resolve().parents[2]
PAGE = "pages/1_indikator.py"
# the page's tables, in page order
T_ACCESS, T_ACCESS_PLACES, T_SLUM, T_POKJA, T_POKJA_PLACES, T_SAT, T_SAT_PLACES = range(7)


def run(tables: bool = True, **params: str) -> AppTest:
    at = run_page(PAGE, params, tables)
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def plotly_specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


@pytest.fixture(scope="module")
def db():
    d = Database(REPO / "data")
    yield d
    d.close()


def assert_headline(at: AppTest, db, f: Filters, lang: str = "id") -> None:
    h = queries.headline.headline(db, f)
    m = metrics(at)
    assert m[t("ind.card.access", lang)] == fmt_pct(h.akses_akhir, lang)
    assert m[t("ind.card.slum", lang)] == fmt_pct(h.persen_berkurang, lang)
    assert m[t("ind.card.pokja", lang)] == fmt_pct(h.pokja_berfungsi, lang)
    assert m[t("ind.card.satisfaction", lang)] == fmt_pct(h.puas, lang)


def test_default_view(db):
    at = run()
    f = Filters()
    assert [hd.value for hd in at.header] == [f"{n}. {label('indicator', n, 'id')}" for n in (1, 2, 3, 4)]
    assert_headline(at, db, f)
    # every indicator carries its definition and unit
    captions = " ".join(c.value for c in at.caption)
    for n in (1, 2, 3, 4):
        assert t(f"indicator.{n}.definition", "id") in captions
        assert t(f"ind.{n}.unit", "id") in captions
    assert len(at.dataframe) == 7
    access = at.dataframe[T_ACCESS].value
    change = queries.indicators.service_access_change(db, f, "nasional")
    assert list(access[t("col.layanan", "id")]) == [label("layanan", s, "id") for s in config.SERVICES]
    assert list(access[t("col.persen_akhir", "id")]) == [fmt_pct(v, "id") for v in change["persen_akhir"]]
    assert list(access[t("col.persen_awal", "id")]) == [fmt_pct(v, "id") for v in change["persen_awal"]]
    places = at.dataframe[T_ACCESS_PLACES].value
    by_prov = queries.indicators.service_access_change(db, f, "prov")
    assert len(places) == (by_prov["layanan"] == "air_minum").sum() == 34
    assert set(places[t("col.layanan", "id")]) == {label("layanan", "air_minum", "id")}
    slum = at.dataframe[T_SLUM].value
    target = queries.slum_area.slum_area_vs_target(db, f)
    assert len(slum) == len(target) == 10
    assert list(slum[t("col.persen_capaian", "id")])[-1] == fmt_pct(target["persen_capaian"].iloc[-1], "id")
    assert len(at.dataframe[T_POKJA].value) == len(queries.indicators.pokja_status(db, f, "nasional"))
    assert len(at.dataframe[T_POKJA_PLACES].value) == len(queries.indicators.pokja_status(db, f, "prov"))
    sat = queries.indicators.satisfaction(db, f, "nasional")
    assert list(at.dataframe[T_SAT].value[t("col.persen_puas", "id")]) == [fmt_pct(v, "id") for v in sat["persen_puas"]]
    assert len(at.dataframe[T_SAT_PLACES].value) == len(queries.indicators.satisfaction(db, f, "prov"))
    # statuses: icon and word, never colour alone
    statuses = {m.value for m in at.markdown if "badge[" in m.value}
    assert any(t("status.on_track", "id") in s or t("status.at_risk", "id") in s or t("status.off_track", "id") in s
               for s in statuses)
    assert not at.warning and not at.info


def test_tables_are_built_only_when_opened(db):
    """The tables behind the charts wait in closed expanders (the browser draws none unasked); opening one
    shows that table with its rows and its downloads, and only that one."""
    at = run(tables=False)
    assert len(at.dataframe) == 0
    assert [e.label for e in at.expander].count(t("ind.table", "id")) == 7
    assert not [b for b in at.get("download_button")]
    at.session_state["table_open_sat"] = True
    at.run(timeout=60)
    assert len(at.dataframe) == 1
    sat = queries.indicators.satisfaction(db, Filters(), "nasional")
    assert list(at.dataframe[0].value[t("col.persen_puas", "id")]) == [fmt_pct(v, "id") for v in sat["persen_puas"]]
    assert len(at.get("download_button")) == 2


def test_province_in_url_drills_to_kabupaten_kota(db):
    at = run(prov="32")
    f = Filters(prov="32")
    assert_headline(at, db, f)
    by_kab = queries.indicators.service_access_change(db, f, "kab")
    assert len(at.dataframe[T_ACCESS_PLACES].value) == (by_kab["layanan"] == "air_minum").sum() > 1
    assert len(at.dataframe[T_POKJA_PLACES].value) == len(queries.indicators.pokja_status(db, f, "kab"))
    assert any(t("ind.by_kab", "id") in s.value for s in at.subheader)


def test_kabupaten_kota_in_url(db):
    at = run(prov="32", kab="32.73")
    f = Filters(prov="32", kab="32.73")
    assert_headline(at, db, f)
    places = at.dataframe[T_ACCESS_PLACES].value
    assert list(places[t("col.nama", "id")]) == ["Kota Bandung"]
    change = queries.indicators.service_access_change(db, f, "kab")
    row = change[change["layanan"] == "air_minum"].iloc[0]
    assert places[t("col.persen_akhir", "id")].iloc[0] == fmt_pct(row["persen_akhir"], "id")


def test_years_and_financiers_in_url(db):
    at = run(tahun="2017-2019", dana="ibrd,aiib")
    f = Filters(tahun=(2017, 2019), dana=("ibrd", "aiib"))
    assert_headline(at, db, f)
    slum = at.dataframe[T_SLUM].value
    assert list(slum[t("col.tahun", "id")]) == ["2016", "2017", "2018", "2019"]
    target = queries.slum_area.slum_area_vs_target(db, f)
    assert list(slum[t("col.persen_capaian", "id")]) == [fmt_pct(v, "id") for v in target["persen_capaian"]]
    change = queries.indicators.service_access_change(db, f, "nasional")
    access = at.dataframe[T_ACCESS].value
    assert list(access[t("col.persen_awal", "id")]) == [fmt_pct(v, "id") for v in change["persen_awal"]]


def test_service_control_from_url(db):
    at = run(layanan="drainase")
    places = at.dataframe[T_ACCESS_PLACES].value
    assert set(places[t("col.layanan", "id")]) == {label("layanan", "drainase", "id")}
    assert at.selectbox(key="w_indicators_layanan").value == "drainase"
    assert any(label("layanan", "drainase", "id").lower() in s.value for s in at.subheader)
    # choosing another service writes it to the URL
    at.selectbox(key="w_indicators_layanan").select("rth").run()
    assert at.query_params["layanan"] in ("rth", ["rth"])
    assert set(at.dataframe[T_ACCESS_PLACES].value[t("col.layanan", "id")]) == {label("layanan", "rth", "id")}


def test_english(db):
    at = run(lang="en", prov="32")
    f = Filters(prov="32")
    assert [hd.value for hd in at.header] == [f"{n}. {label('indicator', n, 'en')}" for n in (1, 2, 3, 4)]
    assert_headline(at, db, f, "en")
    access = at.dataframe[T_ACCESS].value
    assert t("col.layanan", "en") in access.columns and t("col.layanan", "id") not in access.columns
    services = set(access[t("col.layanan", "en")])
    assert label("layanan", "air_minum", "en") in services and label("layanan", "air_minum", "id") not in services
    assert all("." in v or v == "–" for v in access[t("col.persen_akhir", "en")])  # 1,234.5 style
    subheads = " ".join(s.value for s in at.subheader)
    assert t("ind.q_slum", "en") in subheads and t("ind.q_slum", "id") not in subheads
    legend = {d.get("name") for spec in plotly_specs(at) for d in spec["data"]}
    assert t("chart.reduced", "en") in legend and t("chart.reduced", "id") not in legend
    assert all(spec["layout"]["separators"] == ".," for spec in plotly_specs(at))


def test_bad_parameters_give_a_notice_not_an_error(db):
    at = run(False, tahun="2030", layanan="kolam", prov="99")
    notices = " ".join(w.value for w in at.warning)
    assert "tahun" in notices and "layanan" in notices and "prov" in notices
    assert len(at.header) == 4
    assert_headline(at, db, Filters())


def test_kabkota_level_indicators_say_location_filters_do_not_apply(db):
    at = run(tipe="peningkatan", tingkat="berat")
    assert [i.value for i in at.info] == [t("ind.kab_level_note", "id")] * 2
    assert_headline(at, db, Filters(tipe="peningkatan", tingkat=("berat",)))
