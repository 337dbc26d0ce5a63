"""Plotly figure builders: DataFrame (+ language) in, ``go.Figure`` out. No Streamlit here.

Shared look (use these on every page so a colour means the same thing everywhere):

- :data:`COMPONENT_COLORS` (components 1-5) and :data:`FINANCIER_COLORS` (ibrd, aiib, isdb, apbn) are
  colour-blind-safe palettes (Okabe-Ito for components, Paul Tol "muted" for financiers).
- :data:`REDUCED_COLOR` / :data:`REMAINING_COLOR` for hectares reduced vs still slum, :data:`TARGET_COLOR`
  for target lines, :data:`SEQUENTIAL_SCALE` (cividis) for maps and heat maps.
- :func:`base_layout` sets separators per language, margins, legend at the bottom, font and hover label.
- :func:`hover_number` builds a d3 number format for hover templates; with ``layout.separators`` set by
  :func:`base_layout` Plotly prints ``1.234,5`` (id) or ``1,234.5`` (en).

Keep figures small: few traces, values rounded before they are sent (see :func:`rounded`).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from . import config
from .i18n import MISSING, fmt_ha, fmt_households, fmt_int, fmt_number, fmt_pct, fmt_rp, label, plotly_separators, t
from .queries import expected_progress

# --- palette ---------------------------------------------------------------------------------------------

#: Okabe-Ito, one colour per programme component (1-5).
COMPONENT_COLORS: dict[int, str] = {
    1: "#0072B2",  # blue
    2: "#E69F00",  # orange
    3: "#009E73",  # bluish green
    4: "#CC79A7",  # reddish purple
    5: "#D55E00",  # vermillion
}
#: Paul Tol "muted", one colour per financier.
FINANCIER_COLORS: dict[str, str] = {
    "ibrd": "#332288",  # indigo
    "aiib": "#88CCEE",  # cyan
    "isdb": "#117733",  # green
    "apbn": "#DDCC77",  # sand
}
REDUCED_COLOR = "#009E73"  # hectares no longer slum
REMAINING_COLOR = "#E69F00"  # hectares still slum
ACTUAL_COLOR = "#0072B2"  # an observed series
TARGET_COLOR = "#444444"  # target / expected lines (dashed)
NATIONAL_COLOR = "#999999"  # the national reference in comparisons
HIGHLIGHT_COLOR = "#D55E00"  # the selected place (outline)
#: Sequential colour-blind-safe scale for maps (low -> high).
SEQUENTIAL_SCALE = "Cividis"
#: Level colours for slum levels (heavy -> not slum), ordered dark to light.
LEVEL_COLORS: dict[str, str] = {
    "berat": "#D55E00",
    "sedang": "#E69F00",
    "ringan": "#F0E442",
    "tidak_kumuh": "#009E73",
}
FONT_FAMILY = "Source Sans Pro, Source Sans 3, Arial, sans-serif"

# Map view that shows the whole of Indonesia, from Aceh to Papua.
MAP_CENTER = {"lat": -2.5, "lon": 118.0}
MAP_ZOOM = 3.3


def component_color(code: Any) -> str:
    return COMPONENT_COLORS[int(code)]


def financier_color(code: str) -> str:
    return FINANCIER_COLORS[str(code)]


# --- layout helpers --------------------------------------------------------------------------------------


def base_layout(fig: go.Figure, lang: str, title: str | None = None, height: int | None = None) -> go.Figure:
    """Apply the shared look: language separators, margins, legend at the bottom, font, white template."""
    fig.update_layout(
        separators=plotly_separators(lang),
        template="plotly_white",
        font={"family": FONT_FAMILY, "size": 13},
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "xanchor": "left", "x": 0, "title": None},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        title={"text": title, "x": 0, "xanchor": "left"} if title else None,
    )
    if height:
        fig.update_layout(height=height)
    return fig


def hover_number(decimals: int = 1) -> str:
    """d3 format for hover/text numbers with thousands grouping; separators come from the layout."""
    return f",.{int(decimals)}f"


def rounded(values: Iterable[Any], decimals: int = 1) -> list[float | None]:
    """Round values before they go into a figure (smaller payload); NaN/None -> None."""
    out: list[float | None] = []
    for v in values:
        out.append(None if v is None or pd.isna(v) else round(float(v), decimals))
    return out


def sparkline(df: pd.DataFrame, col: str, x: str = "tahun", decimals: int = 1) -> list[float]:
    """Values of `col` ordered by `x`, rounded, missing dropped: for ``st.metric(chart_data=...)``."""
    if df is None or len(df) == 0 or col not in df:
        return []
    s = df.sort_values(x)[col]
    return [round(float(v), decimals) for v in s if pd.notna(v)]


def component_name(code: Any, lang: str) -> str:
    return label("component", code, lang)


def financier_name(code: str, lang: str) -> str:
    return label("dana", code, lang)


def empty_figure(lang: str, height: int = 300) -> go.Figure:
    """A blank figure with the 'no data' note, for empty selections."""
    fig = go.Figure()
    fig.add_annotation(text=t("notice.no_data", lang), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return base_layout(fig, lang, height=height)


# --- display formats for table columns and hover text ----------------------------------------------------

#: How each known column is shown: a kind understood by :func:`format_value`. Header text is ``col.<name>``.
COLUMN_KINDS: dict[str, str] = {
    "kode": "text", "nama": "text", "kode_desa": "text", "nama_desa": "text", "nama_kabkota": "text",
    "nama_prov": "text", "kode_kabkota": "text", "kode_prov": "text",
    "tahun": "year", "tahun_nol": "year", "puas_tahun": "year",
    "luas_kumuh_ha": "ha", "luas_awal_ha": "ha", "luas_mulai_ha": "ha", "luas_akhir_ha": "ha",
    "berkurang_ha": "ha", "berkurang_total_ha": "ha", "laju_ha_per_tahun": "ha_per_year",
    "persen_berkurang": "pct", "persen_terlayani": "pct", "persen_berfungsi": "pct", "persen_terbentuk": "pct",
    "persen_puas": "pct", "persen_serapan": "pct",
    "lokasi": "int", "lokasi_peningkatan": "int", "peringkat": "int", "kabkota": "int", "responden": "int",
    "puas": "int", "terbentuk": "int", "berfungsi": "int",
    "kk_total": "households", "kk_terlayani": "households",
    "alokasi_rp": "rp", "realisasi_rp": "rp", "rp_per_ha": "rp",
    "skor_kumuh_awal": "score", "skor_kumuh_akhir": "score", "skor_kumuh": "score",
    "tipe_lokasi": "label:tipe", "sumber_dana": "label:dana", "tingkat_kumuh_awal": "label:tingkat",
    "tingkat_kumuh_akhir": "label:tingkat", "tingkat_kumuh": "label:tingkat", "komponen": "label:component",
    "layanan": "label:layanan",
}


def column_label(col: str, lang: str) -> str:
    """Translated header of a column (``col.<name>`` in the locale files), the name itself if unknown."""
    text = t(f"col.{col}", lang)
    return col if text == f"col.{col}" else text


def format_value(value: Any, kind: str, lang: str) -> str:
    """One value as text in the language's format, with its unit (kinds of :data:`COLUMN_KINDS`)."""
    if kind.startswith("label:"):
        return label(kind.split(":", 1)[1], value, lang)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        if kind == "year":
            return t("chart.never", lang)
        return MISSING
    if kind == "ha":
        return fmt_ha(value, lang)
    if kind == "ha_per_year":
        return t("unit.ha_per_year", lang, value=fmt_number(value, lang, 1))
    if kind == "pct":
        return fmt_pct(value, lang)
    if kind == "int":
        return fmt_int(value, lang)
    if kind == "households":
        return fmt_households(value, lang)
    if kind == "rp":
        return fmt_rp(value, lang)
    if kind == "score":
        return fmt_number(value, lang, 1)
    if kind == "year":
        return str(int(value))
    return str(value)


def display_table(df: pd.DataFrame, columns: Sequence[str], lang: str, formatted: bool = True,
                  names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The columns to show, with translated headers.

    ``formatted=True``: every value as text in the language's number format with its unit (for reading);
    ``formatted=False``: numbers kept as numbers, codes replaced by their labels (for downloads).
    ``names`` maps codes in ``kode`` to display names (English province names) for the ``nama`` column.
    """
    out = pd.DataFrame(index=df.index)
    for col in columns:
        kind = COLUMN_KINDS.get(col, "text")
        values = df[col]
        if col == "nama" and names is not None and "kode" in df:
            values = [names.get(k, n) for k, n in zip(df["kode"], df["nama"], strict=True)]
        if formatted or kind.startswith("label:"):
            out[column_label(col, lang)] = [format_value(v, kind, lang) for v in values]
        else:
            out[column_label(col, lang)] = values
    return out.reset_index(drop=True)


def _display_names(df: pd.DataFrame, names: Mapping[str, str] | None) -> list[str]:
    if names is None:
        return [str(n) for n in df["nama"]]
    return [names.get(k, n) for k, n in zip(df["kode"], df["nama"], strict=True)]


def _hover(df: pd.DataFrame, cols: Sequence[str], lang: str, names: list[str], start: int = 2) -> tuple[list, str]:
    """customdata rows [kode, name, formatted cols...] and a hover template showing them."""
    kinds = [COLUMN_KINDS.get(c, "text") for c in cols]
    rows = [
        [k, n, *(format_value(v, kind, lang) for v, kind in zip(vals, kinds, strict=True))]
        for k, n, *vals in zip(df["kode"], names, *(df[c] for c in cols), strict=True)
    ]
    lines = ["<b>%{customdata[1]}</b>"]
    lines += [f"{column_label(c, lang)}: %{{customdata[{start + i}]}}" for i, c in enumerate(cols)]
    return rows, "<br>".join(lines) + "<extra></extra>"


# --- maps ---------------------------------------------------------------------------------------------------


def _feature_subset(geojson: dict, codes: set[str]) -> dict:
    return {"type": "FeatureCollection", "features": [f for f in geojson["features"] if f.get("id") in codes]}


def province_map(df: pd.DataFrame, value_col: str, lang: str, geojson: dict, hover_cols: Sequence[str] = (),
                 selected: str | None = None, names: Mapping[str, str] | None = None, height: int = 420,
                 zoom: float = MAP_ZOOM, title: str | None = None) -> go.Figure:
    """Choropleth of the provinces (MapLibre, works offline with ``white-bg``), whole of Indonesia in view.

    ``df`` has ``kode`` (province code = feature id), ``nama`` and ``value_col``; ``hover_cols`` are shown in
    the tooltip (formatted per language, with units). The ``selected`` province gets a thick outline. Point
    selections (``on_select``) carry the province code as ``location`` and ``customdata[0]``.
    """
    if df is None or len(df) == 0:
        return empty_figure(lang, height)
    kind = COLUMN_KINDS.get(value_col, "text")
    cols = [value_col, *[c for c in hover_cols if c != value_col]]
    disp = _display_names(df, names)
    custom, template = _hover(df, cols, lang, disp)
    fig = go.Figure(
        go.Choroplethmap(
            geojson=geojson, featureidkey="id", locations=list(df["kode"]), z=rounded(df[value_col], 1),
            colorscale=SEQUENTIAL_SCALE, marker={"opacity": 0.9, "line": {"color": "#ffffff", "width": 0.6}},
            customdata=custom, hovertemplate=template, name=column_label(value_col, lang),
            colorbar={"title": {"text": column_label(value_col, lang), "side": "right"}, "thickness": 12,
                      "ticksuffix": "%" if kind == "pct" else "", "len": 0.9},
        )
    )
    if selected and selected in set(df["kode"]):
        fig.add_trace(
            go.Choroplethmap(
                geojson=_feature_subset(geojson, {selected}), featureidkey="id", locations=[selected], z=[1],
                colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False, hoverinfo="skip",
                marker={"line": {"color": HIGHLIGHT_COLOR, "width": 3}}, name=t("chart.selected", lang),
            )
        )
    base_layout(fig, lang, title, height=height)
    fig.update_layout(
        map={"style": "white-bg", "center": MAP_CENTER, "zoom": zoom},
        margin={"l": 0, "r": 0, "t": 40 if title else 0, "b": 0},
        showlegend=False,
    )
    return fig


# --- slum area ----------------------------------------------------------------------------------------------


def slum_trend(df: pd.DataFrame, lang: str, name: str | None = None, height: int = 340,
               title: str | None = None) -> go.Figure:
    """Remaining slum area at the end of each year against the target path.

    ``df``: ``slum_area_by_year`` for one place (tahun, luas_kumuh_ha, luas_awal_ha). The target path is the
    straight line from the 2015 baseline to 0 ha in the last programme year: the line the status rule uses.
    """
    if df is None or len(df) == 0:
        return empty_figure(lang, height)
    d = df.groupby("tahun", as_index=False)[["luas_kumuh_ha", "luas_awal_ha"]].sum().sort_values("tahun")
    baseline = float(d["luas_awal_ha"].iloc[0])
    years = list(range(config.FIRST_YEAR, config.LAST_YEAR + 1))
    ha = t("unit.ha", lang)
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=years, y=rounded([baseline * (1 - expected_progress(y)) for y in years], 1),
        mode="lines", name=t("chart.target_path", lang), line={"color": TARGET_COLOR, "dash": "dash", "width": 2},
        hovertemplate=f"{t('chart.target_path', lang)}<br>%{{x}}: %{{y:,.1f}} {ha}<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        x=list(d["tahun"]), y=rounded(d["luas_kumuh_ha"], 1), mode="lines+markers",
        name=name or t("chart.remaining_area", lang), line={"color": ACTUAL_COLOR, "width": 3},
        hovertemplate=f"{t('chart.remaining_area', lang)}<br>%{{x}}: %{{y:,.1f}} {ha}<extra></extra>",
    ))
    base_layout(fig, lang, title, height=height)
    fig.update_xaxes(title=t("common.year", lang), dtick=1, tickformat="d")
    fig.update_yaxes(title=t("chart.slum_area_axis", lang), rangemode="tozero", tickformat=",.0f")
    fig.update_layout(hovermode="x unified")
    return fig


def ranked_bar(df: pd.DataFrame, lang: str, names: Mapping[str, str] | None = None, selected: str | None = None,
               sort_by: str = "luas_awal_ha", row_height: int = 22, title: str | None = None) -> go.Figure:
    """Places ranked by baseline slum area: hectares reduced since 2015 and remaining, stacked.

    ``df``: ``slum_area_summary`` (kode, nama, berkurang_total_ha, luas_akhir_ha, persen_berkurang, luas_awal_ha).
    Every bar carries its place code in ``customdata[0]`` (for ``on_select``); the selected place is outlined.
    """
    if df is None or len(df) == 0:
        return empty_figure(lang)
    d = df.sort_values([sort_by, "kode"], ascending=[False, True]).reset_index(drop=True)
    disp = _display_names(d, names)
    custom, template = _hover(d, ["berkurang_total_ha", "luas_akhir_ha", "persen_berkurang", "luas_awal_ha"],
                              lang, disp)
    line_w = [2.5 if k == selected else 0 for k in d["kode"]]
    fig = go.Figure()
    for col, color, key in (("berkurang_total_ha", REDUCED_COLOR, "chart.reduced"),
                            ("luas_akhir_ha", REMAINING_COLOR, "chart.remaining")):
        fig.add_trace(go.Bar(
            y=disp, x=rounded(d[col], 1), orientation="h", name=t(key, lang), customdata=custom,
            hovertemplate=template, marker={"color": color, "line": {"color": HIGHLIGHT_COLOR, "width": line_w}},
        ))
    height = max(220, 80 + row_height * len(d))
    base_layout(fig, lang, title, height=height)
    fig.update_layout(barmode="stack", legend={"y": 1.0, "yanchor": "bottom"}, margin={"t": 40})
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=disp, title=None)
    fig.update_xaxes(title=t("chart.slum_area_axis", lang), tickformat=",.0f", side="top")
    return fig


def zero_year_chart(df: pd.DataFrame, lang: str, names: Mapping[str, str] | None = None,
                    selected: str | None = None, row_height: int = 20, title: str | None = None) -> go.Figure:
    """Projected year each place reaches zero slum area at its recent pace (``zero_slum_projection``).

    Drawn as open markers (a projection, not data); places that never reach zero at that pace are left out.
    """
    if df is None or len(df) == 0:
        return empty_figure(lang)
    d = df[df["tahun_nol"].notna()].sort_values(["tahun_nol", "kode"]).reset_index(drop=True)
    if len(d) == 0:
        return empty_figure(lang)
    disp = _display_names(d, names)
    custom, template = _hover(d, ["tahun_nol", "luas_akhir_ha", "laju_ha_per_tahun"], lang, disp)
    fig = go.Figure(go.Scatter(
        x=[int(v) for v in d["tahun_nol"]], y=disp, mode="markers", customdata=custom, hovertemplate=template,
        name=t("chart.projection", lang),
        marker={"symbol": "circle-open", "size": 11, "line": {"width": 2.5},
                "color": [HIGHLIGHT_COLOR if k == selected else ACTUAL_COLOR for k in d["kode"]]},
    ))
    base_layout(fig, lang, title, height=max(220, 90 + row_height * len(d)))
    fig.update_yaxes(autorange="reversed", title=None, showgrid=True)
    fig.update_xaxes(title=t("chart.projected_year_axis", lang), tickformat="d", side="top")
    fig.update_layout(showlegend=False, margin={"t": 50})
    return fig
