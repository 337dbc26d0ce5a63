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
import plotly.io as pio

from . import config
from .i18n import MISSING, fmt_ha, fmt_households, fmt_int, fmt_number, fmt_pct, fmt_rp, label, plotly_separators, t
from .targets import expected_progress, status

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
# family names quoted: unquoted, "Source Sans 3" makes the whole CSS font list invalid, so Plotly measures text in
# another font than it draws it and clips the end of long legend entries
FONT_FAMILY = '"Source Sans Pro", "Source Sans 3", Arial, sans-serif'

# The white template of every figure. As the default it is attached when a figure is created, without validating
# its ~7 KB again; `update_layout(template=...)` on each figure re-validated it (about 15 ms per figure).
TEMPLATE = "plotly_white"
pio.templates.default = TEMPLATE

# Map view that shows the whole of Indonesia, from Aceh to Papua.
MAP_CENTER = {"lat": -2.5, "lon": 118.0}
MAP_ZOOM = 3.3


def component_color(code: Any) -> str:
    return COMPONENT_COLORS[int(code)]


def financier_color(code: str) -> str:
    return FINANCIER_COLORS[str(code)]


# --- layout helpers --------------------------------------------------------------------------------------


def base_layout(fig: go.Figure, lang: str, title: str | None = None, height: int | None = None) -> go.Figure:
    """Apply the shared look: language separators, margins, legend at the bottom, font (the white template comes
    with the figure: :data:`TEMPLATE` is Plotly's default)."""
    if fig.layout.template.layout.plot_bgcolor != "white":  # made while another default template was set
        fig.update_layout(template=TEMPLATE)
    fig.update_layout(
        separators=plotly_separators(lang),
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
                 zoom: float = MAP_ZOOM, title: str | None = None, geojson_url: str | None = None) -> go.Figure:
    """Choropleth of the provinces (MapLibre, works offline with ``white-bg``), whole of Indonesia in view.

    ``df`` has ``kode`` (province code = feature id), ``nama`` and ``value_col``; ``hover_cols`` are shown in
    the tooltip (formatted per language, with units). The ``selected`` province gets a thick outline. Point
    selections (``on_select``) carry the province code as ``location`` and ``customdata[0]``. With
    ``geojson_url`` (where the browser can fetch the same polygons) the figure carries that address instead
    of the polygons: a few bytes per view, and the browser fetches the file once and keeps it.
    """
    if df is None or len(df) == 0:
        return empty_figure(lang, height)
    kind = COLUMN_KINDS.get(value_col, "text")
    cols = [value_col, *[c for c in hover_cols if c != value_col]]
    disp = _display_names(df, names)
    custom, template = _hover(df, cols, lang, disp)
    fig = go.Figure(
        go.Choroplethmap(
            geojson=geojson_url or geojson, featureidkey="id", locations=list(df["kode"]), z=rounded(df[value_col], 1),
            colorscale=SEQUENTIAL_SCALE, marker={"opacity": 0.9, "line": {"color": "#ffffff", "width": 0.6}},
            customdata=custom, hovertemplate=template, name=column_label(value_col, lang),
            colorbar={"title": {"text": column_label(value_col, lang), "side": "top"}, "thickness": 10,
                      "ticksuffix": "%" if kind == "pct" else "", "orientation": "h", "len": 0.5, "x": 0.0,
                      "xanchor": "left", "y": 0.0, "yanchor": "bottom"},
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
               title: str | None = None, code: str | None = None) -> go.Figure:
    """Remaining slum area at the end of each year against the target path.

    ``df``: ``slum_area_by_year`` for one place (tahun, luas_kumuh_ha, luas_awal_ha). The target path is the
    straight line from the 2015 baseline to 0 ha in the last programme year: the line the status rule uses.
    With ``code``, only that place's rows are drawn (e.g. one kelurahan of a ``level="desa"`` series).
    """
    if df is not None and code is not None and "kode" in df:
        df = df[df["kode"] == code]
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
    fig.update_layout(hovermode="x unified", legend={"entrywidth": 0.5, "entrywidthmode": "fraction"})
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
    fig.update_layout(barmode="stack", legend={"y": 1.0, "yanchor": "bottom", "traceorder": "normal"},
                      margin={"t": 30})
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=disp, title=None)
    fig.update_xaxes(title=t("chart.slum_area_axis", lang), tickformat=",.0f")
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


# --- small display helpers for pages (pure) -----------------------------------------------------------------


def top_bottom(df: pd.DataFrame, col: str, n: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The n rows with the highest and the n with the lowest ``col`` (ties by ``kode``); missing values last."""
    d = df[df[col].notna()]
    top = d.sort_values([col, "kode"], ascending=[False, True]).head(n)
    bottom = d.sort_values([col, "kode"], ascending=[True, True]).head(n)
    return top, bottom


def unreached(df: pd.DataFrame, names: Mapping[str, str] | None = None) -> list[str]:
    """Names of the places that never reach zero slum area at their recent pace (``zero_slum_projection``)."""
    d = df[df["tahun_nol"].isna()]
    return _display_names(d, names) if len(d) else []


def published_cards(df: pd.DataFrame, lang: str) -> list[dict[str, str | None]]:
    """``queries.published_highlights`` as display cards: label, value (with unit), note (% of target), url."""
    cards = []
    for r in df.itertuples(index=False):
        if r.unit == "ha":
            value = fmt_ha(r.nilai, lang, 0)
        elif r.nilai >= 1000:
            value = t("unit.usd_billion", lang, value=fmt_number(r.nilai / 1000, lang, 2))
        else:
            value = t("unit.usd_million", lang, value=fmt_number(r.nilai, lang, 1))
        pct = r.persen_target
        note = None if pct is None or pd.isna(pct) else t("published.pct_of_target", lang, pct=fmt_pct(pct, lang, 0))
        cards.append({"label": t(r.key, lang), "period": str(r.periode or ""), "value": value, "note": note,
                      "url": r.source_url})
    return cards


def selected_code(event: Any) -> str | None:
    """The place code of the first point selected in a chart built here (``st.plotly_chart(on_select=...)``).

    Map points carry the province code as ``location``; bars and markers carry it in ``customdata[0]``.
    Returns None when nothing is selected or the event has another shape.
    """
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError, AttributeError):
        return None
    for p in points or ():
        if not isinstance(p, Mapping):
            continue
        code = p.get("location")
        if not code:
            custom = p.get("customdata")
            code = custom[0] if isinstance(custom, list | tuple) and custom else None
        if isinstance(code, str) and code:
            return code
    return None


# --- outcome indicators, spending and region profile (pages 1, 2 and 4) ------------------------------------

COLUMN_KINDS.update({
    "persen_awal": "pct", "persen_akhir": "pct", "selisih_poin": "points", "tahun_awal": "year",
    "tahun_akhir": "year", "target_ha": "ha", "diharapkan_ha": "ha", "persen_capaian": "pct",
    "persen_diharapkan": "pct", "status": "status", "kk_total": "households", "kk_terlayani": "households",
    "alokasi_rp": "rp", "realisasi_rp": "rp", "persen_serapan": "pct", "rp_per_ha": "rp",
    "nilai_wilayah": "text", "nilai_banding": "text", "nilai_nasional": "text", "ukuran": "text",
})
#: Icon before the status word in tables and hover text (status is never shown by colour alone).
STATUS_SYMBOLS = {"on_track": "✅", "at_risk": "⚠️", "off_track": "⛔"}
#: Colours of the places compared on the region profile: the region, the one compared with, the nation.
ROLE_COLORS = {"wilayah": ACTUAL_COLOR, "banding": HIGHLIGHT_COLOR, "nasional": NATIONAL_COLOR}
START_COLOR = "#9E9E9E"  # the start of a period in before/after (dumbbell) charts
TOTAL_COLOR = "#5D6D7E"  # money totals that are not split by component or financier


def status_text(code: str | None, lang: str) -> str:
    """``"✅ Sesuai jalur"`` / ``"⚠️ At risk"``; the missing mark when there is no status."""
    if not code or (not isinstance(code, str) and pd.isna(code)):
        return MISSING
    return f"{STATUS_SYMBOLS.get(code, '')} {t(f'status.{code}', lang)}".strip()


def with_status_text(df: pd.DataFrame, lang: str, col: str = "status") -> pd.DataFrame:
    """A copy of ``df`` with the status codes in ``col`` written as icon and word (for tables)."""
    return df.assign(**{col: [status_text(c, lang) for c in df[col]]})


def points_text(value: Any, lang: str) -> str:
    """A change in percentage points with its sign: ``"+12,3 poin"`` / ``"+12.3 pts"``."""
    if value is None or pd.isna(value):
        return MISSING
    sign = "+" if float(value) > 0.05 else ""
    return t("unit.points", lang, value=sign + fmt_number(value, lang, 1))


def _wrap(text: str, width: int = 34) -> str:
    """Long labels (component names) broken over lines with <br> for axes and legends."""
    lines, line = [], ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def _rp_scale(values: Iterable[Any], lang: str) -> tuple[float, str]:
    """(divisor, axis title) so that rupiah axes read in billions or trillions: ``"Rp miliar"``."""
    vals = [abs(float(v)) for v in values if v is not None and not pd.isna(v)]
    top = max(vals) if vals else 0.0
    if top >= 1e12:
        return 1e12, t("chart.rp_trillion_axis", lang)
    if top >= 1e9:
        return 1e9, t("chart.rp_billion_axis", lang)
    return 1e6, t("chart.rp_million_axis", lang)


def _rp_tickformat(div: float) -> str:
    return ",.1f" if div >= 1e12 else ",.0f"


def _component_label(code: Any, lang: str, width: int = 30) -> str:
    """"3. Peningkatan infrastruktur ..." broken over lines (full name, numbered as in the programme)."""
    return _wrap(f"{int(code)}. {component_name(code, lang)}", width)


def _legend_on_top(fig: go.Figure, margin_top: int = 40) -> None:
    """Legend at the very top of the figure (above a top axis, clear of a bottom axis title)."""
    fig.update_layout(legend={"orientation": "h", "yref": "container", "y": 0.995, "yanchor": "top", "x": 0,
                              "xanchor": "left", "traceorder": "normal"}, margin={"t": margin_top})


def _year_axis(fig: go.Figure, years: Sequence[int]) -> None:
    """Years on the x axis (no title: the ticks say it), every year when few, every other year when many."""
    if len(years) <= 6:
        fig.update_xaxes(tickvals=list(years), tickformat="d", title=None)
    else:
        fig.update_xaxes(tick0=config.FIRST_YEAR, dtick=2, tickformat="d", title=None)


def _pct_axis(fig: go.Figure, lang: str, title_key: str, axis: str = "x") -> None:
    upd = fig.update_xaxes if axis == "x" else fig.update_yaxes
    upd(title=t(title_key, lang), range=[0, 102], ticksuffix="%", tickformat=",.0f")


def _dumbbell(fig: go.Figure, labels: list[str], start: list, end: list, start_text: list[str], end_text: list[str],
              start_name: str, end_name: str, hover_names: list[str]) -> None:
    """Start-of-period (open grey) and latest (filled blue) markers joined by a line, one row per label."""
    xs: list[Any] = []
    ys: list[Any] = []
    for lab, a, b in zip(labels, start, end, strict=True):
        if a is not None and b is not None:
            xs += [a, b, None]
            ys += [lab, lab, None]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"color": "#BDBDBD", "width": 3}, hoverinfo="skip",
                             showlegend=False))
    fig.add_trace(go.Scatter(
        x=start, y=labels, mode="markers", name=start_name,
        marker={"symbol": "circle-open", "size": 11, "color": START_COLOR, "line": {"width": 2.5}},
        customdata=list(zip(hover_names, start_text, strict=True)),
        hovertemplate=f"<b>%{{customdata[0]}}</b><br>{start_name}: %{{customdata[1]}}<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        x=end, y=labels, mode="markers", name=end_name, marker={"symbol": "circle", "size": 12, "color": ACTUAL_COLOR},
        customdata=list(zip(hover_names, end_text, strict=True)),
        hovertemplate=f"<b>%{{customdata[0]}}</b><br>{end_name}: %{{customdata[1]}}<extra></extra>",
    ))


def access_by_service(df: pd.DataFrame, lang: str, height: int = 360, title: str | None = None) -> go.Figure:
    """Indicator 1 for one place: households served per service, start of the period against its end.

    ``df``: ``queries.service_access_change`` for one place (rows per service, in config.SERVICES order).
    """
    if df is None or len(df) == 0:
        return empty_figure(lang, height)
    d = df.reset_index(drop=True)
    y0, y1 = str(int(d["tahun_awal"].iloc[0])), str(int(d["tahun_akhir"].iloc[0]))
    labels = [label("layanan", s, lang) for s in d["layanan"]]
    fig = go.Figure()
    _dumbbell(fig, labels, rounded(d["persen_awal"]), rounded(d["persen_akhir"]),
              [fmt_pct(v, lang) for v in d["persen_awal"]],
              [f"{fmt_pct(v, lang)} ({points_text(p, lang)})" for v, p in zip(d["persen_akhir"], d["selisih_poin"],
                                                                              strict=True)],
              t("chart.start_of_period", lang, year=y0), t("chart.latest", lang, year=y1), labels)
    base_layout(fig, lang, title, height=height)
    _legend_on_top(fig, 40)
    _pct_axis(fig, lang, "chart.households_served_axis")
    fig.update_yaxes(autorange="reversed", title=None, automargin=True)
    return fig


def access_by_place(df: pd.DataFrame, service: str, lang: str, names: Mapping[str, str] | None = None,
                    selected: str | None = None, row_height: int = 22, title: str | None = None) -> go.Figure:
    """Indicator 1 for one service by province (or kabupaten/kota), start against end, ranked by the latest.

    ``df``: ``queries.service_access_change`` at level prov/kab; only rows of ``service`` are drawn.
    """
    d = df[df["layanan"] == service] if df is not None and len(df) else df
    if d is None or len(d) == 0:
        return empty_figure(lang)
    d = d.sort_values(["persen_akhir", "kode"], ascending=[False, True]).reset_index(drop=True)
    disp = _display_names(d, names)
    labels = [f"<b>{n}</b>" if k == selected else n for k, n in zip(d["kode"], disp, strict=True)]
    y0, y1 = str(int(d["tahun_awal"].iloc[0])), str(int(d["tahun_akhir"].iloc[0]))
    fig = go.Figure()
    _dumbbell(fig, labels, rounded(d["persen_awal"]), rounded(d["persen_akhir"]),
              [fmt_pct(v, lang) for v in d["persen_awal"]],
              [f"{fmt_pct(v, lang)} ({points_text(p, lang)})" for v, p in zip(d["persen_akhir"], d["selisih_poin"],
                                                                              strict=True)],
              t("chart.start_of_period", lang, year=y0), t("chart.latest", lang, year=y1), disp)
    base_layout(fig, lang, title, height=max(240, 90 + row_height * len(d)))
    _pct_axis(fig, lang, "chart.households_served_axis")
    fig.update_xaxes(side="top", title=None)
    fig.update_yaxes(autorange="reversed", title=None, categoryorder="array", categoryarray=labels, automargin=True)
    _legend_on_top(fig, 70)
    return fig


def slum_vs_target(df: pd.DataFrame, lang: str, height: int = 360, title: str | None = None) -> go.Figure:
    """Indicator 2: hectares reduced since 2015 and still slum each year (stacked = baseline = target), with the
    reduction expected on a straight line to the target in config.LAST_YEAR.

    ``df``: ``queries.slum_area_vs_target`` (tahun, berkurang_ha, luas_kumuh_ha, diharapkan_ha, target_ha,
    persen_capaian, status).
    """
    if df is None or len(df) == 0 or float(df["target_ha"].max() or 0) <= 0:
        return empty_figure(lang, height)
    d = df.sort_values("tahun").reset_index(drop=True)
    years = [int(y) for y in d["tahun"]]
    custom = [[fmt_ha(r.berkurang_ha, lang), fmt_ha(r.luas_kumuh_ha, lang), fmt_ha(r.diharapkan_ha, lang),
               fmt_pct(r.persen_capaian, lang), status_text(r.status, lang)] for r in d.itertuples(index=False)]
    reduced, left, expected = t("chart.reduced", lang), t("chart.remaining", lang), t("chart.expected_reduction", lang)
    fig = go.Figure()
    fig.add_trace(go.Bar(x=years, y=rounded(d["berkurang_ha"]), name=reduced, marker={"color": REDUCED_COLOR},
                         customdata=custom,
                         hovertemplate=f"{reduced}: %{{customdata[0]}} (%{{customdata[3]}})<br>"
                                       f"%{{customdata[4]}}<extra>%{{x}}</extra>"))
    fig.add_trace(go.Bar(x=years, y=rounded(d["luas_kumuh_ha"]), name=left, marker={"color": REMAINING_COLOR},
                         customdata=custom, hovertemplate=f"{left}: %{{customdata[1]}}<extra>%{{x}}</extra>"))
    fig.add_trace(go.Scatter(x=years, y=rounded(d["diharapkan_ha"]), name=expected, mode="lines+markers",
                             line={"color": TARGET_COLOR, "dash": "dash", "width": 2}, marker={"symbol": "diamond"},
                             customdata=custom, hovertemplate=f"{expected}: %{{customdata[2]}}<extra>%{{x}}</extra>"))
    target = float(d["target_ha"].iloc[-1])
    fig.add_hline(y=target, line={"color": TARGET_COLOR, "dash": "dot", "width": 1.5},
                  annotation_text=t("chart.target_label", lang, value=fmt_ha(target, lang)),
                  annotation_position="top left")
    base_layout(fig, lang, title, height=height)
    fig.update_layout(barmode="stack", hovermode="x unified", legend={"traceorder": "normal"})
    fig.update_xaxes(dtick=1 if len(years) <= 10 else 2, tickformat="d", title=None)
    fig.update_yaxes(title=t("chart.slum_area_axis", lang), tickformat=",.0f", rangemode="tozero")
    return fig


def percent_trend(df: pd.DataFrame, series: Sequence[tuple[str, str, str]], lang: str, target: float | None = None,
                  target_key: str = "chart.target_line", expected_path: bool = False, height: int = 320,
                  title: str | None = None, bars: bool = False) -> go.Figure:
    """Percentages by year, against a flat target or the straight path to it (expected_progress).

    ``series``: (column, label key, colour) per line; ``df`` has ``tahun`` and those columns (one place).
    ``expected_path``: the target line rises from 0 in the baseline year to ``target`` in config.LAST_YEAR.
    ``bars``: bars instead of lines (survey years, a few points).
    """
    if df is None or len(df) == 0:
        return empty_figure(lang, height)
    d = df.sort_values("tahun")
    years = [int(y) for y in d["tahun"]]
    fig = go.Figure()
    for col, key, color in series:
        name = t(key, lang)
        custom = [fmt_pct(v, lang) for v in d[col]]
        common = {"x": years, "y": rounded(d[col]), "name": name, "customdata": custom,
                  "hovertemplate": f"{name}: %{{customdata}}<extra>%{{x}}</extra>"}
        if bars:
            fig.add_trace(go.Bar(marker={"color": color}, text=custom, textposition="inside", **common))
        else:
            fig.add_trace(go.Scatter(mode="lines+markers", line={"color": color, "width": 3}, **common))
    if target is not None:
        if expected_path:  # over the years shown (the path itself runs from 2015 to config.LAST_YEAR)
            xs = list(range(min(years), max(years) + 1))
            ys = [round(target * expected_progress(y), 1) for y in xs]
        else:
            xs = [min(years), max(years)] if len(years) > 1 else [years[0] - 0.5, years[0] + 0.5]
            ys = [target, target]
        name = t(target_key, lang, value=fmt_pct(target, lang, 0))
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=name, hoverinfo="skip",
                                 line={"color": TARGET_COLOR, "dash": "dash", "width": 2}))
    base_layout(fig, lang, title, height=height)
    _year_axis(fig, years)
    _pct_axis(fig, lang, "chart.percent_axis", axis="y")
    fig.update_layout(hovermode="x unified")
    return fig


def place_year_heatmap(df: pd.DataFrame, value_col: str, lang: str, names: Mapping[str, str] | None = None,
                       hover_cols: Sequence[str] = (), zmin: float = 0, zmax: float = 100, row_height: int = 22,
                       title: str | None = None, colorbar_key: str = "chart.percent_axis") -> go.Figure:
    """Places (rows, by code: west to east) by year (columns), coloured by a percentage, the value written in
    every cell (readable without colour). ``df``: kode, nama, tahun, ``value_col`` (+ ``hover_cols``)."""
    if df is None or len(df) == 0:
        return empty_figure(lang)
    d = df.sort_values(["kode", "tahun"])
    places = d.drop_duplicates("kode")[["kode", "nama"]]
    disp = _display_names(places, names)
    years = sorted(int(y) for y in d["tahun"].unique())
    by_key = {(k, int(y)): r for k, y, r in zip(d["kode"], d["tahun"], d.itertuples(index=False), strict=True)}
    z, text, custom = [], [], []
    for k, name in zip(places["kode"], disp, strict=True):
        zrow, trow, crow = [], [], []
        for y in years:
            r = by_key.get((k, y))
            v = None if r is None else getattr(r, value_col)
            zrow.append(None if v is None or pd.isna(v) else round(float(v), 1))
            trow.append(fmt_number(v, lang, 0) if v is not None and not pd.isna(v) else "")
            extra = [format_value(getattr(r, c), COLUMN_KINDS.get(c, "text"), lang) if r is not None else MISSING
                     for c in hover_cols]
            crow.append([name, format_value(v, "pct", lang), *extra])
        z.append(zrow)
        text.append(trow)
        custom.append(crow)
    lines = ["<b>%{customdata[0]}</b> · %{x}", f"{column_label(value_col, lang)}: %{{customdata[1]}}"]
    lines += [f"{column_label(c, lang)}: %{{customdata[{2 + i}]}}" for i, c in enumerate(hover_cols)]
    fig = go.Figure(go.Heatmap(
        z=z, x=[str(y) for y in years], y=disp, text=text, texttemplate="%{text}", colorscale=SEQUENTIAL_SCALE,
        zmin=zmin, zmax=zmax, customdata=custom, hovertemplate="<br>".join(lines) + "<extra></extra>", xgap=1, ygap=1,
        colorbar={"title": {"text": t(colorbar_key, lang), "side": "right"}, "ticksuffix": "%", "thickness": 12},
    ))
    base_layout(fig, lang, title, height=max(240, 80 + row_height * len(disp)))
    fig.update_yaxes(autorange="reversed", title=None, automargin=True)
    fig.update_xaxes(side="top", type="category", title=None)
    fig.update_layout(margin={"t": 40})
    return fig


# --- spending -------------------------------------------------------------------------------------------


def _rp_hover(values: Iterable[Any], lang: str) -> list[str]:
    return [fmt_rp(v, lang) for v in values]


def spending_by_year(df: pd.DataFrame, lang: str, height: int = 380, title: str | None = None) -> go.Figure:
    """Realised spending per year, stacked by component (one colour each), and the allocation per year.

    ``df``: ``queries.spending(by=("tahun", "komponen"))``.
    """
    if df is None or len(df) == 0:
        return empty_figure(lang, height)
    totals = df.groupby("tahun", as_index=False)[["alokasi_rp", "realisasi_rp"]].sum()
    div, axis = _rp_scale(totals["alokasi_rp"], lang)
    fig = go.Figure()
    realised = t("chart.realised", lang)
    for comp in sorted(df["komponen"].unique()):
        d = df[df["komponen"] == comp].sort_values("tahun")
        name = component_name(comp, lang)
        custom = list(zip(_rp_hover(d["realisasi_rp"], lang), [fmt_pct(v, lang) for v in d["persen_serapan"]],
                          strict=True))
        fig.add_trace(go.Bar(
            x=[int(y) for y in d["tahun"]], y=rounded(d["realisasi_rp"] / div, 2),
            name=_component_label(comp, lang, 40),
            marker={"color": component_color(comp)}, customdata=custom,
            hovertemplate=f"{name}<br>{realised}: %{{customdata[0]}} · {t('col.persen_serapan', lang)}: "
                          f"%{{customdata[1]}}<extra>%{{x}}</extra>",
        ))
    allocated = t("chart.allocated_total", lang)
    fig.add_trace(go.Scatter(
        x=[int(y) for y in totals["tahun"]], y=rounded(totals["alokasi_rp"] / div, 2), mode="lines+markers",
        name=allocated, line={"color": TARGET_COLOR, "dash": "dash", "width": 2}, marker={"symbol": "diamond"},
        customdata=list(zip(_rp_hover(totals["alokasi_rp"], lang), _rp_hover(totals["realisasi_rp"], lang),
                            [fmt_pct(v, lang) for v in 100 * totals["realisasi_rp"] / totals["alokasi_rp"]],
                            strict=True)),
        hovertemplate=f"{allocated}: %{{customdata[0]}}<br>{t('chart.realised_total', lang)}: %{{customdata[1]}}"
                      f" (%{{customdata[2]}})<extra>%{{x}}</extra>",
    ))
    base_layout(fig, lang, title, height=height)
    fig.update_layout(barmode="stack", margin={"b": 60 + 34 * len(fig.data)},
                      legend={"traceorder": "normal", "orientation": "v", "yref": "container", "y": 0.005,
                              "yanchor": "bottom"})
    fig.update_xaxes(dtick=1, tickformat="d", title=None)
    fig.update_yaxes(title=axis, tickformat=_rp_tickformat(div), rangemode="tozero")
    return fig


def spending_by_component(df: pd.DataFrame, lang: str, height: int = 440, title: str | None = None) -> go.Figure:
    """Allocated (hatched) against realised (solid) per component, absorption written on the realised bar.

    ``df``: ``queries.spending(by=("komponen",))``.
    """
    if df is None or len(df) == 0:
        return empty_figure(lang, height)
    d = df.sort_values("komponen").reset_index(drop=True)
    div, axis = _rp_scale(d["alokasi_rp"], lang)
    names_ = [_component_label(c, lang) for c in d["komponen"]]
    colors = [component_color(c) for c in d["komponen"]]
    custom = list(zip([component_name(c, lang) for c in d["komponen"]], _rp_hover(d["alokasi_rp"], lang),
                      _rp_hover(d["realisasi_rp"], lang), [fmt_pct(v, lang) for v in d["persen_serapan"]],
                      strict=True))
    alloc_name, real_name = t("chart.allocated", lang), t("chart.realised", lang)
    fig = go.Figure()
    fig.add_trace(go.Bar(
        y=names_, x=rounded(d["alokasi_rp"] / div, 2), orientation="h", name=alloc_name, customdata=custom,
        marker={"color": "rgba(0,0,0,0)", "line": {"color": colors, "width": 1.5},
                "pattern": {"shape": "/", "fgcolor": colors, "size": 6}},
        hovertemplate=f"<b>%{{customdata[0]}}</b><br>{alloc_name}: %{{customdata[1]}}<extra></extra>",
    ))
    fig.add_trace(go.Bar(
        y=names_, x=rounded(d["realisasi_rp"] / div, 2), orientation="h", name=real_name, customdata=custom,
        marker={"color": colors}, text=[row[3] for row in custom], textposition="outside",
        hovertemplate=f"<b>%{{customdata[0]}}</b><br>{real_name}: %{{customdata[2]}} "
                      f"({t('col.persen_serapan', lang)}: %{{customdata[3]}})<extra></extra>",
    ))
    base_layout(fig, lang, title, height=height)
    fig.update_layout(barmode="group", bargap=0.25)
    _legend_on_top(fig, 40)
    fig.update_layout(margin={"l": 30, "r": 40})  # slack for labels measured before the web font loads
    fig.update_yaxes(autorange="reversed", title=None, automargin=True)
    fig.update_xaxes(title=axis, tickformat=_rp_tickformat(div))
    return fig


def spending_by_financier(df: pd.DataFrame, lang: str, by: str = "komponen", height: int = 440,
                          title: str | None = None) -> go.Figure:
    """Realised spending stacked by financier (one colour each), per component or per year.

    ``df``: ``queries.spending(by=(by, "sumber_dana"))`` with ``by`` "komponen" or "tahun".
    """
    if df is None or len(df) == 0:
        return empty_figure(lang, height)
    div, axis = _rp_scale(df.groupby(by)["realisasi_rp"].sum(), lang)
    fig = go.Figure()
    real_name = t("chart.realised", lang)
    for dana in [c for c in FINANCIER_COLORS if c in set(df["sumber_dana"])]:
        d = df[df["sumber_dana"] == dana].sort_values(by)
        name = financier_name(dana, lang)
        if by == "komponen":
            cats = [_component_label(c, lang) for c in d[by]]
            full = [component_name(c, lang) for c in d[by]]
        else:
            cats = [int(y) for y in d[by]]
            full = [str(int(y)) for y in d[by]]
        custom = list(zip(full, _rp_hover(d["realisasi_rp"], lang), [fmt_pct(v, lang) for v in d["persen_serapan"]],
                          strict=True))
        trace = {"name": name, "marker": {"color": financier_color(dana)}, "customdata": custom,
                 "hovertemplate": f"<b>%{{customdata[0]}}</b><br>{name} · {real_name}: %{{customdata[1]}}"
                                  f" ({t('col.persen_serapan', lang)}: %{{customdata[2]}})<extra></extra>"}
        if by == "komponen":
            fig.add_trace(go.Bar(y=cats, x=rounded(d["realisasi_rp"] / div, 2), orientation="h", **trace))
        else:
            fig.add_trace(go.Bar(x=cats, y=rounded(d["realisasi_rp"] / div, 2), **trace))
    base_layout(fig, lang, title, height=height)
    fig.update_layout(barmode="stack")
    _legend_on_top(fig, 40)
    fig.update_layout(margin={"l": 30})
    fmt = _rp_tickformat(div)
    if by == "komponen":
        fig.update_yaxes(autorange="reversed", title=None, automargin=True)
        fig.update_xaxes(title=axis, tickformat=fmt)
    else:
        fig.update_xaxes(dtick=1, tickformat="d", title=None)
        fig.update_yaxes(title=axis, tickformat=fmt)
    return fig


def spending_by_place(df: pd.DataFrame, lang: str, names: Mapping[str, str] | None = None,
                      selected: str | None = None, row_height: int = 22, title: str | None = None) -> go.Figure:
    """Realised spending per province (or kabupaten/kota), ranked, with the allocation as a tick and the
    absorption rate in the tooltip. ``df``: ``queries.spending_by_region``."""
    d = df[df["alokasi_rp"].notna()] if df is not None and len(df) else df
    if d is None or len(d) == 0:
        return empty_figure(lang)
    d = d.sort_values(["realisasi_rp", "kode"], ascending=[False, True]).reset_index(drop=True)
    disp = _display_names(d, names)
    div, axis = _rp_scale(d["alokasi_rp"], lang)
    custom, template = _hover(d, ["alokasi_rp", "realisasi_rp", "persen_serapan"], lang, disp)
    fig = go.Figure()
    fig.add_trace(go.Bar(
        y=disp, x=rounded(d["realisasi_rp"] / div, 2), orientation="h", name=t("chart.realised", lang),
        customdata=custom, hovertemplate=template,
        marker={"color": TOTAL_COLOR, "line": {"color": HIGHLIGHT_COLOR,
                                                "width": [2.5 if k == selected else 0 for k in d["kode"]]}},
    ))
    fig.add_trace(go.Scatter(
        y=disp, x=rounded(d["alokasi_rp"] / div, 2), mode="markers", name=t("chart.allocated", lang),
        marker={"symbol": "line-ns-open", "size": 16, "color": TARGET_COLOR, "line": {"width": 2.5}},
        customdata=custom, hovertemplate=template,
    ))
    base_layout(fig, lang, title, height=max(240, 90 + row_height * len(d)))
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=disp, title=None, automargin=True)
    fig.update_xaxes(title=axis, side="top", tickformat=_rp_tickformat(div))
    _legend_on_top(fig, 100)
    return fig


def cost_per_hectare(df: pd.DataFrame, lang: str, names: Mapping[str, str] | None = None,
                     national: float | None = None, selected: str | None = None, row_height: int = 22,
                     title: str | None = None) -> go.Figure:
    """Realised rupiah per hectare of slum reduced in the period, per place, ranked (lowest first), with the
    national (filtered) figure as a dashed line. ``df``: ``queries.spending_by_region`` (rp_per_ha)."""
    d = df[df["rp_per_ha"].notna()] if df is not None and len(df) else df
    if d is None or len(d) == 0:
        return empty_figure(lang)
    d = d.sort_values(["rp_per_ha", "kode"]).reset_index(drop=True)
    disp = _display_names(d, names)
    div, axis = 1e6, t("chart.rp_per_ha_axis", lang)
    custom, template = _hover(d, ["rp_per_ha", "realisasi_rp", "berkurang_ha"], lang, disp)
    fig = go.Figure(go.Bar(
        y=disp, x=rounded(d["rp_per_ha"] / div, 1), orientation="h", name=t("col.rp_per_ha", lang),
        customdata=custom, hovertemplate=template,
        marker={"color": TOTAL_COLOR, "line": {"color": HIGHLIGHT_COLOR,
                                                      "width": [2.5 if k == selected else 0 for k in d["kode"]]}},
    ))
    if national is not None and not pd.isna(national):
        fig.add_vline(x=round(national / div, 1), line={"color": TARGET_COLOR, "dash": "dash", "width": 2},
                      annotation_text=t("chart.national_value", lang, value=fmt_rp(national, lang)),
                      annotation_position="top right", annotation_bgcolor="rgba(255,255,255,0.85)")
    base_layout(fig, lang, title, height=max(240, 100 + row_height * len(d)))
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=disp, title=None, automargin=True)
    fig.update_xaxes(title=axis, side="top", tickformat=",.0f")
    fig.update_layout(showlegend=False, margin={"t": 70})
    return fig


# --- region profile ----------------------------------------------------------------------------------------


def _role_names(roles: Mapping[str, str], labels: Mapping[str, str]) -> dict[str, str]:
    return {k: labels.get(k, k) for k in roles}


def compare_trend(df: pd.DataFrame, indicator: str, lang: str, roles: Mapping[str, str],
                  labels: Mapping[str, str], target: float | None = None, expected_path: bool = False,
                  height: int = 300, title: str | None = None) -> go.Figure:
    """One indicator of ``queries.profile_series`` (percent by year) for the region, the region compared with
    and the nation, one line each (colours of :data:`ROLE_COLORS`, the nation dashed).

    ``roles`` maps each code to "wilayah", "banding" or "nasional"; ``labels`` maps codes to display names.
    """
    d = df[df["indikator"] == indicator] if df is not None and len(df) else df
    if d is None or len(d) == 0:
        return empty_figure(lang, height)
    shown = _role_names(roles, labels)
    fig = go.Figure()
    for code, role in roles.items():
        s = d[d["kode"] == code].sort_values("tahun")
        if s.empty:
            continue
        name = shown[code]
        custom = [fmt_pct(v, lang) for v in s["nilai"]]
        fig.add_trace(go.Scatter(
            x=[int(y) for y in s["tahun"]], y=rounded(s["nilai"]), mode="lines+markers", name=name,
            line={"color": ROLE_COLORS[role], "width": 3 if role == "wilayah" else 2,
                  "dash": "dot" if role == "nasional" else "solid"},
            customdata=custom, hovertemplate=f"{name}: %{{customdata}}<extra>%{{x}}</extra>",
        ))
    if target is not None:
        years = sorted(int(y) for y in d["tahun"].unique())
        xs = list(range(years[0], years[-1] + 1)) if expected_path else [years[0], years[-1]]
        ys = [round(target * expected_progress(y), 1) for y in xs] if expected_path else [target, target]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip",
                                 name=t("chart.target_line", lang, value=fmt_pct(target, lang, 0)),
                                 line={"color": TARGET_COLOR, "dash": "dash", "width": 1.5}))
    base_layout(fig, lang, title, height=height)
    _year_axis(fig, sorted(int(y) for y in d["tahun"].unique()))
    _pct_axis(fig, lang, f"chart.profile_axis.{indicator}", axis="y")
    fig.update_layout(hovermode="x unified")
    return fig


def compare_access(df: pd.DataFrame, lang: str, roles: Mapping[str, str], labels: Mapping[str, str],
                   height: int = 380, title: str | None = None) -> go.Figure:
    """Households served per service at the end of the period, for each compared place (grouped bars).

    ``df``: ``queries.profile_access``; ``roles``/``labels`` as in :func:`compare_trend`.
    """
    if df is None or len(df) == 0:
        return empty_figure(lang, height)
    shown = _role_names(roles, labels)
    fig = go.Figure()
    for code, role in roles.items():
        s = df[df["kode"] == code]
        if s.empty:
            continue
        name = shown[code]
        services = [label("layanan", v, lang) for v in s["layanan"]]
        custom = [f"{fmt_pct(b, lang)} ({points_text(p, lang)})" for b, p in zip(s["persen_akhir"], s["selisih_poin"],
                                                                                 strict=True)]
        fig.add_trace(go.Bar(
            y=services, x=rounded(s["persen_akhir"]), orientation="h", name=name, customdata=custom,
            marker={"color": ROLE_COLORS[role], "pattern": {"shape": "." if role == "nasional" else ""}},
            hovertemplate=f"{name}: %{{customdata}}<extra>%{{y}}</extra>",
        ))
    base_layout(fig, lang, title, height=height)
    fig.update_layout(barmode="group")
    _legend_on_top(fig, 40)
    fig.update_yaxes(autorange="reversed", title=None, automargin=True)
    _pct_axis(fig, lang, "chart.households_served_axis")
    return fig


# --- tables for pages 1, 2 and 4 ---------------------------------------------------------------------------

_EXTRA_FORMATS = {"points": points_text, "status": status_text}


def page_table(df: pd.DataFrame, columns: Sequence[str], lang: str, names: Mapping[str, str] | None = None,
               formatted: bool = True) -> pd.DataFrame:
    """:func:`display_table` that also knows percentage-point changes and statuses (icon and word)."""
    d = df.copy()
    for col in columns:
        kind = COLUMN_KINDS.get(col)
        if kind in _EXTRA_FORMATS and (formatted or kind == "status"):
            d[col] = [_EXTRA_FORMATS[kind](v, lang) for v in d[col]]
    return display_table(d, columns, lang, formatted=formatted, names=names)


def with_target_status(df: pd.DataFrame, col: str, target: float, expected_share: float = 1.0) -> pd.DataFrame:
    """A copy of ``df`` with a ``status`` column: ``col`` against ``target`` by the dashboard's status rule."""


    return df.assign(status=[status(v, target, expected_share) for v in df[col]])


#: Rows of the region-profile comparison table: (column of queries.profile_summary, display kind).
PROFILE_MEASURES: tuple[tuple[str, str], ...] = (
    ("lokasi", "int"), ("luas_awal_ha", "ha"), ("luas_akhir_ha", "ha"), ("berkurang_total_ha", "ha"),
    ("persen_berkurang", "pct"), ("skor_awal", "score"), ("skor_akhir", "score"), ("tingkat_awal", "label:tingkat"),
    ("tingkat_akhir", "label:tingkat"), ("tipe_lokasi", "label:tipe"), ("sumber_dana", "label:dana"),
    ("akses_awal", "pct"), ("akses_akhir", "pct"), ("pokja_berfungsi", "pct"), ("puas", "pct"),
    ("alokasi_rp", "rp"), ("realisasi_rp", "rp"), ("persen_serapan", "pct"), ("rp_per_ha", "rp"),
)


def profile_table(summary: pd.DataFrame, labels: Mapping[str, str], lang: str, start_year: int, end_year: int,
                  formatted: bool = True) -> pd.DataFrame:
    """``queries.profile_summary`` turned round: one row per measure (translated, with its year), one column per
    compared place (named by ``labels``: code -> display name). Measures that no place has are left out.
    ``formatted``: values as text with units; else numbers (and labels) for downloads."""
    if summary is None or len(summary) == 0:
        return pd.DataFrame(columns=[t("col.ukuran", lang)])
    survey_year = next((int(y) for y in summary["puas_tahun"] if y is not None and not pd.isna(y)), end_year)
    years = {"start": str(start_year), "end": str(end_year), "survey": str(survey_year)}
    rows = []
    for col, kind in PROFILE_MEASURES:
        values = list(summary[col])
        if all(v is None or (not isinstance(v, str) and pd.isna(v)) for v in values):
            continue
        shown = [format_value(v, kind, lang) if formatted or kind.startswith("label:") else v for v in values]
        rows.append([t(f"profile.measure.{col}", lang, **years), *shown])
    heads = [t("col.ukuran", lang)]
    for code in summary["kode"]:
        name = labels.get(code, code)
        heads.append(name if name not in heads else f"{name} ({code})")
    return pd.DataFrame(rows, columns=heads)


def manifest_table(manifest: Mapping[str, Any], lang: str) -> pd.DataFrame:
    """The files of a data manifest (name, rows, sha256 prefix) with translated headers."""
    rows = [(name, fmt_int(info.get("rows"), lang), str(info.get("sha256", ""))[:12])
            for name, info in sorted((manifest.get("files") or {}).items())]
    return pd.DataFrame(rows, columns=[t("methods.file", lang), t("methods.rows", lang), "SHA-256"])


def data_dictionary_table(dd: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``schema.data_dictionary()`` for display: labels in the active language, translated headers."""
    label_col = "label_en" if lang == "en" else "label_id"
    out = pd.DataFrame({
        t("methods.dd.table", lang): dd["table"],
        t("methods.dd.column", lang): dd["column"],
        t("methods.dd.label", lang): dd[label_col],
        t("methods.dd.type", lang): dd["type"],
        t("methods.dd.unit", lang): dd["unit"],
        t("methods.dd.required", lang): [t("common.yes" if r else "common.no", lang) for r in dd["required"]],
        t("methods.dd.allowed", lang): dd["allowed"],
        t("methods.dd.description", lang): dd["description"],
    })
    return out.reset_index(drop=True)


def targets_table(targets: Mapping[str, float], lang: str) -> pd.DataFrame:
    """The status targets (``targets.TARGETS``): indicator, measure, target, and whether it is published."""
    rows = []
    for key, value in targets.items():
        rows.append((t(f"methods.target.{key}", lang), fmt_pct(value, lang, 0),
                     t("methods.target.published" if key == "slum_area" else "methods.target.working", lang)))
    return pd.DataFrame(rows, columns=[t("methods.target.measure", lang), t("common.target", lang),
                                       t("methods.target.kind", lang)])


def published_display(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A published reference table with translated headers (``pubcol.<name>``); values exactly as published.

    ``source_url`` becomes the column named ``t("published.source")`` (show it as a link column).
    """
    renamed = {}
    for col in df.columns:
        key = "published.source" if col == "source_url" else f"pubcol.{col}"
        text = t(key, lang)
        renamed[col] = col if text == key else text
    return df.rename(columns=renamed).reset_index(drop=True)


def contract_table(tables: Mapping[str, Any], lang: str) -> pd.DataFrame:
    """The data contract (``schema.TABLES``): file, key columns and label of every programme table."""
    rows = [(tb.file, ", ".join(tb.key), tb.label_en if lang == "en" else tb.label_id, len(tb.columns))
            for tb in tables.values()]
    return pd.DataFrame(rows, columns=[t("methods.file", lang), t("methods.key", lang), t("methods.dd.label", lang),
                                       t("methods.columns", lang)])
