"""Figure builders and display helpers of kotaku_data.charts: traces, colours, languages, payload size."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from kotaku_data import charts, config, queries
from kotaku_data.build.geo import load_province_geojson
from kotaku_data.filters import Filters
from kotaku_data.i18n import fmt_ha, fmt_pct, plotly_separators, t

GEOJSON_PATH = Path(__file__).resolve().parents[2] / "data" / "reference" / "provinsi.geojson"
HEX = re.compile(r"#[0-9A-Fa-f]{6}")


@pytest.fixture(scope="module")
def geojson() -> dict:
    return load_province_geojson(GEOJSON_PATH)


@pytest.fixture(scope="module")
def provinces(geojson) -> pd.DataFrame:
    """A slum_area_summary-shaped frame for all 34 provinces of the map (values made up, deterministic)."""
    codes = sorted(f["id"] for f in geojson["features"])
    n = len(codes)
    awal = [100.0 + 37.123 * i for i in range(n)]
    akhir = [a * (0.05 + 0.2 * (i % 5) / 4) for i, a in enumerate(awal)]
    df = pd.DataFrame({"kode": codes, "nama": [f"Provinsi {c}" for c in codes], "luas_awal_ha": awal,
                       "luas_akhir_ha": akhir, "lokasi": [10 + i for i in range(n)]})
    df["berkurang_total_ha"] = df["luas_awal_ha"] - df["luas_akhir_ha"]
    df["persen_berkurang"] = 100 * df["berkurang_total_ha"] / df["luas_awal_ha"]
    return df


# --- palette ------------------------------------------------------------------------------------------------


def test_one_distinct_colour_per_component_and_financier():
    assert set(charts.COMPONENT_COLORS) == set(config.COMPONENTS)
    assert set(charts.FINANCIER_COLORS) == set(config.FINANCIERS)
    for palette in (charts.COMPONENT_COLORS, charts.FINANCIER_COLORS):
        values = list(palette.values())
        assert len(set(v.upper() for v in values)) == len(values)
        assert all(HEX.fullmatch(v) for v in values)
    assert charts.component_color(3) == charts.COMPONENT_COLORS[3]
    assert charts.financier_color("isdb") == charts.FINANCIER_COLORS["isdb"]
    assert charts.REDUCED_COLOR != charts.REMAINING_COLOR


def test_base_layout_separators_and_legend():
    for lang in ("id", "en"):
        fig = charts.base_layout(go.Figure(), lang, "Judul")
        assert fig.layout.separators == plotly_separators(lang)
        assert fig.layout.legend.orientation == "h"
        assert fig.layout.title.text == "Judul"
    assert charts.base_layout(go.Figure(), "id").layout.separators == ",."
    assert charts.base_layout(go.Figure(), "en").layout.separators == ".,"


# --- map ------------------------------------------------------------------------------------------------------


def test_province_map_covers_indonesia(provinces, geojson):
    fig = charts.province_map(provinces, "persen_berkurang", "id", geojson, ("berkurang_total_ha", "luas_akhir_ha"))
    assert len(fig.data) == 1
    trace = fig.data[0]
    assert trace.type == "choroplethmap"
    assert len(trace.locations) == 34 and set(trace.locations) == {f["id"] for f in geojson["features"]}
    assert trace.featureidkey == "id"
    assert fig.layout.map.style == "white-bg"
    assert fig.layout.map.center.lat == pytest.approx(-2.5) and fig.layout.map.center.lon == pytest.approx(118)
    assert 3.0 <= fig.layout.map.zoom <= 3.6
    assert trace.colorscale == go.Choroplethmap(colorscale=charts.SEQUENTIAL_SCALE).colorscale
    # values are rounded before they are sent
    assert all(z == round(z, 1) for z in trace.z)


def test_province_map_hover_is_translated_and_formatted(provinces, geojson):
    for lang in ("id", "en"):
        fig = charts.province_map(provinces, "persen_berkurang", lang, geojson, ("berkurang_total_ha",))
        trace = fig.data[0]
        assert t("col.persen_berkurang", lang) in trace.hovertemplate
        assert t("col.berkurang_total_ha", lang) in trace.hovertemplate
        first = provinces.iloc[0]
        assert list(trace.customdata[0]) == [first["kode"], first["nama"], fmt_pct(first["persen_berkurang"], lang),
                                             fmt_ha(first["berkurang_total_ha"], lang)]
        assert fig.layout.separators == plotly_separators(lang)
    # English province names come from the names mapping
    fig = charts.province_map(provinces, "persen_berkurang", "en", geojson, names={"32": "West Java"})
    row = list(provinces["kode"]).index("32")
    assert fig.data[0].customdata[row][1] == "West Java"


def test_province_map_highlights_the_selected_province(provinces, geojson):
    fig = charts.province_map(provinces, "persen_berkurang", "id", geojson, selected="32")
    assert len(fig.data) == 2
    highlight = fig.data[1]
    assert list(highlight.locations) == ["32"]
    assert [f["id"] for f in highlight.geojson["features"]] == ["32"]  # only its own polygon: small payload
    assert highlight.marker.line.width >= 2 and highlight.showscale is False
    # an unknown selection draws nothing extra
    assert len(charts.province_map(provinces, "persen_berkurang", "id", geojson, selected="99").data) == 1


def test_map_payload_stays_small(provinces, geojson):
    fig = charts.province_map(provinces, "persen_berkurang", "id", geojson,
                              ("berkurang_total_ha", "luas_akhir_ha", "luas_awal_ha", "lokasi"), selected="91")
    size = len(fig.to_json().encode("utf-8"))
    assert size < 300_000, size


def test_map_on_real_data(geojson):
    from kotaku_data.data.db import Database

    df = queries.slum_area.slum_area_summary(Database(), Filters(), "prov")
    fig = charts.province_map(df, "persen_berkurang", "en", geojson, ("berkurang_total_ha",))
    assert len(fig.data[0].locations) == 34
    assert len(fig.to_json()) < 300_000


# --- slum area charts -----------------------------------------------------------------------------------


def test_slum_trend_against_target_path(small_db):
    df = queries.slum_area.slum_area_by_year(small_db, Filters(), "nasional")
    fig = charts.slum_trend(df, "en")
    assert [tr.name for tr in fig.data] == [t("chart.target_path", "en"), t("chart.remaining_area", "en")]
    target, actual = fig.data
    baseline = float(df["luas_awal_ha"].iloc[0])
    assert target.y[0] == pytest.approx(baseline) and target.y[-1] == pytest.approx(0)
    assert list(target.x) == config.YEARS
    assert target.line.dash == "dash"
    assert list(actual.y) == [round(v, 1) for v in df.sort_values("tahun")["luas_kumuh_ha"]]
    assert actual.line.color == charts.ACTUAL_COLOR
    assert fig.layout.separators == ".,"
    assert fig.layout.xaxis.title.text == "Year"
    assert charts.slum_trend(df, "id").layout.yaxis.title.text == t("chart.slum_area_axis", "id")


def test_slum_trend_of_one_place(small_db):
    df = queries.slum_area.slum_area_by_year(small_db, Filters(), "desa")
    fig = charts.slum_trend(df, "id", code="32.73.01.1001")
    assert list(fig.data[1].y) == [10, 9, 8, 6, 4, 3, 2, 1, 0.5, 0]
    assert fig.data[0].y[0] == 10


def test_ranked_bar_reduced_and_remaining(provinces):
    fig = charts.ranked_bar(provinces, "id", selected="32")
    assert [tr.name for tr in fig.data] == [t("chart.reduced", "id"), t("chart.remaining", "id")]
    assert [tr.marker.color for tr in fig.data] == [charts.REDUCED_COLOR, charts.REMAINING_COLOR]
    assert fig.layout.barmode == "stack"
    reduced, remaining = fig.data
    order = provinces.sort_values(["luas_awal_ha", "kode"], ascending=[False, True])
    assert list(reduced.y) == list(order["nama"])  # largest baseline first (y axis reversed)
    assert [c[0] for c in reduced.customdata] == list(order["kode"])  # the code travels with each bar
    widths = list(reduced.marker.line.width)
    assert widths[list(order["kode"]).index("32")] > 0 and sum(1 for w in widths if w) == 1
    total = [a + b for a, b in zip(reduced.x, remaining.x, strict=True)]
    assert total == pytest.approx(list(order["luas_awal_ha"]), abs=0.11)


def test_zero_year_chart_leaves_out_never():
    df = pd.DataFrame({"kode": ["11", "12", "13"], "nama": ["A", "B", "C"], "luas_akhir_ha": [5.0, 0.0, 3.0],
                       "laju_ha_per_tahun": [1.0, 2.0, 0.0], "tahun_nol": pd.array([2029, 2022, None], "Int64")})
    fig = charts.zero_year_chart(df, "en")
    assert list(fig.data[0].y) == ["B", "A"] and list(fig.data[0].x) == [2022, 2029]
    assert fig.data[0].marker.symbol == "circle-open"  # a projection, drawn open
    assert charts.unreached(df) == ["C"]
    assert charts.unreached(df, {"13": "Cee"}) == ["Cee"]


def test_empty_frames_give_a_no_data_figure(geojson):
    empty = pd.DataFrame(columns=["kode", "nama", "tahun", "luas_kumuh_ha", "luas_awal_ha"])
    for fig in (charts.slum_trend(empty, "en"), charts.ranked_bar(empty, "en"),
                charts.province_map(empty, "persen_berkurang", "en", geojson)):
        assert fig.layout.annotations[0].text == t("notice.no_data", "en")


# --- display helpers ------------------------------------------------------------------------------------------


def test_display_table_formats_per_language():
    df = pd.DataFrame({"kode": ["32"], "nama": ["Jawa Barat"], "luas_awal_ha": [1234.56], "persen_berkurang": [84.25],
                       "lokasi": [1500], "tipe_lokasi": ["peningkatan"], "tahun_nol": pd.array([None], "Int64")})
    cols = ["nama", "luas_awal_ha", "persen_berkurang", "lokasi", "tipe_lokasi", "tahun_nol"]
    idn = charts.display_table(df, cols, "id")
    assert list(idn.columns) == [t(f"col.{c}", "id") for c in cols]
    assert list(idn.iloc[0]) == ["Jawa Barat", "1.234,6 ha", "84,3%", "1.500", t("tipe.peningkatan", "id"),
                                 t("chart.never", "id")]
    eng = charts.display_table(df, cols, "en", names={"32": "West Java"})
    assert list(eng.iloc[0])[:4] == ["West Java", "1,234.6 ha", "84.3%", "1,500"]
    raw = charts.display_table(df, cols, "en", formatted=False)
    assert raw.iloc[0, 1] == 1234.56 and raw.iloc[0, 4] == "Upgrading"  # numbers kept for downloads


def test_top_bottom():
    df = pd.DataFrame({"kode": list("abcdefg"), "persen_berkurang": [5, 1, 7, None, 3, 7, 2]})
    top, bottom = charts.top_bottom(df, "persen_berkurang", 3)
    assert list(top["kode"]) == ["c", "f", "a"] and list(bottom["kode"]) == ["b", "g", "e"]


def test_selected_code_reads_map_and_bar_events():
    assert charts.selected_code({"selection": {"points": [{"location": "32", "z": 90}]}}) == "32"
    assert charts.selected_code({"selection": {"points": [{"customdata": ["32.73", "Kota Bandung"]}]}}) == "32.73"
    assert charts.selected_code({"selection": {"points": []}}) is None
    assert charts.selected_code(None) is None
    assert charts.selected_code({"selection": {"points": ["junk", {"customdata": []}]}}) is None


def test_published_cards():
    df = pd.DataFrame({"key": ["published.baseline_target", "published.loan_ibrd"], "periode": ["2015", ""],
                       "nilai": [38431.0, 216.5], "unit": ["ha", "usd_m"], "persen_target": [84.0, None],
                       "source_url": ["http://a.example", "http://b.example"]})
    idn = charts.published_cards(df, "id")
    assert idn[0]["value"] == "38.431 ha" and idn[0]["note"] == t("published.pct_of_target", "id", pct="84%")
    assert idn[1]["value"] == "US$ 216,5 jt" and idn[1]["note"] is None
    eng = charts.published_cards(df, "en")
    assert eng[0]["value"] == "38,431 ha" and eng[1]["value"] == "US$ 216.5 M"
    big = df.assign(nilai=[1.0, 1310.0], unit=["ha", "usd_m"])
    assert charts.published_cards(big, "id")[1]["value"] == "US$ 1,31 M"
    assert charts.published_cards(big, "en")[1]["value"] == "US$ 1.31 B"
    assert [c["url"] for c in eng] == ["http://a.example", "http://b.example"]


def test_figures_serialise_to_json(provinces, geojson):
    for fig in (charts.ranked_bar(provinces, "en"), charts.province_map(provinces, "persen_berkurang", "en", geojson)):
        json.loads(fig.to_json())


def test_map_can_point_the_browser_at_the_served_polygons(provinces, geojson):
    """With the address of the served copy, the figure carries that address, not 143 KB of polygons; the
    selected province's outline keeps its own small polygon."""
    fig = charts.province_map(provinces, "persen_berkurang", "id", geojson, selected="32",
                              geojson_url="app/static/provinsi.json")
    assert fig.data[0].geojson == "app/static/provinsi.json"
    assert [f["id"] for f in fig.data[1].geojson["features"]] == ["32"]
    assert len(fig.to_json()) < 20_000


def test_served_polygons_are_the_reference_polygons():
    """static/provinsi.json (served to the browser) is byte for byte data/reference/provinsi.geojson."""
    served = GEOJSON_PATH.parents[2] / "static" / "provinsi.json"
    assert served.read_bytes() == GEOJSON_PATH.read_bytes()
