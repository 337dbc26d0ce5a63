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

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from .i18n import label, plotly_separators, t

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


def _names(values: Sequence[Any]) -> list[str]:
    return [str(v) for v in values]


def empty_figure(lang: str, height: int = 300) -> go.Figure:
    """A blank figure with the 'no data' note, for empty selections."""
    fig = go.Figure()
    fig.add_annotation(text=t("notice.no_data", lang), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return base_layout(fig, lang, height=height)
