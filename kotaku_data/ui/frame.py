"""The frame every page calls first: page config, language, URL state, sidebar filters, navigation, footer.

The URL is the single source of truth for the view: each run parses `st.query_params` into a ViewState
(dropping bad values with a notice), widgets are initialised from it, and every widget change writes the new
state back to the URL. So a copied link reproduces the view on any server, in either language.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from .. import charts, config, export
from ..data.db import DataError
from ..filters import Filters, ViewState, describe, parse_query, to_query, to_query_string
from ..i18n import fmt_date, label, normalize_lang, t
from ..queries import regions
from . import data
from .errors import data_error_page


@dataclass(frozen=True)
class PageDef:
    id: str
    script: str
    title_key: str
    icon: str


PAGES = (
    PageDef("overview", "app.py", "page.overview", ":material/dashboard:"),
    PageDef("indicators", "pages/1_indikator.py", "page.indicators", ":material/monitoring:"),
    PageDef("spending", "pages/2_anggaran.py", "page.spending", ":material/payments:"),
    PageDef("slum_area", "pages/3_luas_kumuh.py", "page.slum_area", ":material/map:"),
    PageDef("profile", "pages/4_profil_wilayah.py", "page.profile", ":material/location_city:"),
    PageDef("methods", "pages/5_data_metode.py", "page.methods", ":material/menu_book:"),
)
PAGE_BY_ID = {p.id: p for p in PAGES}
STATUS_ICON = {"on_track": ":material/check_circle:", "at_risk": ":material/warning:",
               "off_track": ":material/error:"}
STATUS_COLOR = {"on_track": "green", "at_risk": "orange", "off_track": "red"}
PRESENT_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"]
  {display: none !important;}
[data-testid="stMetricValue"] {font-size: 3rem !important;}
[data-testid="stMetricLabel"] p {font-size: 1.2rem !important;}
h1 {font-size: 3rem !important;}
</style>"""


TABLE_OPEN = "table_open_"  # session-state key prefix of the chart-table expanders (Frame.chart_table)


@dataclass
class Frame:
    """What a page needs: the view state, the language, and small helpers that keep pages layout-only."""

    page: PageDef
    state: ViewState

    @property
    def lang(self) -> str:
        return self.state.lang

    @property
    def filters(self) -> Filters:
        return self.state.filters

    def t(self, key: str, **kwargs) -> str:
        return t(key, self.lang, **kwargs)

    def q(self, fn: Callable, *args, filters: Filters | None = None):
        """``fn(db, filters, *args)`` for a question of :mod:`kotaku_data.queries`, on this view's filters (or the
        given ones), cached and shared: never modify the result."""
        return data.q(fn, filters or self.filters, *args)

    @staticmethod
    def q_all(fn: Callable, *args):
        """``fn(db, *args)`` for a question that does not depend on the filters (places, published figures)."""
        return data.q(fn, None, *args)

    # --- URL-bound page controls -------------------------------------------------------------------

    def go(self, **changes) -> None:
        """Change page-level view state (desa, banding, layanan, filters) and write it to the URL."""
        _write_url(dataclasses.replace(self.state, **changes))

    def select_param(self, label_text: str, param: str, options: Sequence, format_func: Callable = str,
                     **kwargs):
        """A selectbox bound to a ViewState field (desa, banding, layanan): URL in, URL out."""
        key = f"w_{self.page.id}_{param}"
        current = getattr(self.state, param)
        st.session_state[key] = current if current in options else None

        def changed() -> None:
            _write_url(dataclasses.replace(_current_state(), **{param: st.session_state[key]}))

        return st.selectbox(label_text, options, key=key, format_func=format_func, on_change=changed,
                            index=None, **kwargs)

    # --- small widgets -----------------------------------------------------------------------------

    def status(self, code: str | None) -> None:
        """Status as icon and word (never colour alone)."""
        if code:
            st.badge(self.t(f"status.{code}"), icon=STATUS_ICON[code], color=STATUS_COLOR[code])

    def illustrative_badge(self) -> None:
        st.badge(self.t("badge.illustrative"), icon=":material/science:", color="violet",
                 help=self.t("badge.illustrative_help"))

    def chart_table(self, df: pd.DataFrame, columns: Sequence[str], table: str, key: str,
                    names: Mapping[str, str] | None = None) -> None:
        """The table behind a chart, readable (formatted) and downloadable (numbers), in an expander that builds
        it only when opened: a page of several charts does not make the browser draw their tables unasked."""
        with st.expander(self.t("ind.table"), icon=":material/table:", key=TABLE_OPEN + key,
                         on_change="rerun") as box:
            if box.open:
                shown = data.table(charts.page_table, df, columns, self.lang, names=names)
                st.dataframe(shown, hide_index=True, key=f"tbl_{key}")
                self.download(data.table(charts.page_table, df, columns, self.lang, names=names, formatted=False),
                              table, key=key)

    def download(self, df: pd.DataFrame, table: str, key: str | None = None) -> None:
        """CSV and Excel downloads of exactly this table, with the filters in the file name."""
        stem = export.file_stem(table, self.filters, self.lang)
        key = key or table
        row = st.container(horizontal=True)  # st.columns accepts no width="content"
        c1 = c2 = row
        c1.download_button(self.t("download.csv"), data=lambda: export.to_csv_bytes(df), file_name=f"{stem}.csv",
                           mime="text/csv", key=f"dl_csv_{key}", on_click="ignore", icon=":material/download:")
        c2.download_button(self.t("download.excel"), data=lambda: export.to_excel_bytes(df, table),
                           file_name=f"{stem}.xlsx", key=f"dl_xlsx_{key}", on_click="ignore",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/table_view:")


# --- URL state ---------------------------------------------------------------------------------------------


def _query_dict() -> dict[str, list[str]]:
    qp = st.query_params
    return {k: qp.get_all(k) for k in qp.keys()}


def _current_state() -> ViewState:
    return st.session_state["_view_state"]


def _write_url(state: ViewState) -> None:
    st.session_state["_view_state"] = state
    st.query_params.from_dict(to_query(state))


def _sidebar_changed() -> None:
    """Build the new state from the sidebar widgets and write it to the URL."""
    s = st.session_state
    old = _current_state()
    prov = s.get("w_prov")
    kab = s.get("w_kab") if prov and (s.get("w_kab") or "").startswith(f"{prov}.") else None
    desa = old.desa if old.desa and (not kab or old.desa.startswith(f"{kab}.")) and (
        not prov or old.desa.startswith(f"{prov}.")) else None
    tahun = tuple(s.get("w_tahun") or (config.FIRST_YEAR, config.LAST_YEAR))
    filters = Filters(tahun=(int(tahun[0]), int(tahun[1])), prov=prov, kab=kab, tipe=s.get("w_tipe"),
                      dana=tuple(d for d in config.FINANCIERS if d in (s.get("w_dana") or ())),
                      tingkat=tuple(x for x in config.SLUM_LEVELS if x in (s.get("w_tingkat") or ())))
    _write_url(dataclasses.replace(old, filters=filters, desa=desa, lang=normalize_lang(s.get("w_lang")),
                                   present=bool(s.get("w_present"))))


def _reset() -> None:
    old = _current_state()
    _write_url(ViewState(filters=Filters(), lang=old.lang, desa=None, banding=None, layanan=None,
                         present=old.present))


# --- page parts --------------------------------------------------------------------------------------------


def _sidebar(frame: Frame) -> None:
    state, lang = frame.state, frame.lang
    f = state.filters
    places = data.q(regions.places, None)
    names = data.names(lang)
    s = st.session_state
    # initialise every widget from the URL state (the widgets get no default of their own)
    s["w_lang"], s["w_present"] = lang, state.present
    s["w_tahun"] = f.tahun
    s["w_prov"], s["w_kab"], s["w_tipe"] = f.prov, f.kab, f.tipe
    s["w_dana"], s["w_tingkat"] = list(f.dana), list(f.tingkat)
    with st.sidebar:
        st.segmented_control(t("lang.label", lang), ["id", "en"], key="w_lang", required=True,
                             format_func=lambda c: t(f"lang.{c}", lang), on_change=_sidebar_changed)
        for p in PAGES:
            if not (config.REPO_DIR / p.script).exists():  # a page not written yet must not break the others
                continue
            st.page_link(p.script, label=t(p.title_key, lang), icon=p.icon,
                         query_params=to_query(dataclasses.replace(state, desa=None, banding=None, layanan=None)))
        st.divider()
        st.subheader(t("filter.title", lang))
        # value= makes it a range slider (without it the browser's two values deserialise to one int)
        st.select_slider(t("filter.year_range", lang), options=config.YEARS, key="w_tahun",
                         value=(config.FIRST_YEAR, config.LAST_YEAR), on_change=_sidebar_changed)
        provs = list(dict.fromkeys(places["kode_prov"]))
        st.selectbox(t("filter.province", lang), provs, index=None, key="w_prov", placeholder=t("filter.all", lang),
                     format_func=lambda c: names.get(c, c), on_change=_sidebar_changed)
        kabs = list(places.loc[places["kode_prov"] == f.prov, "kode_kabkota"]) if f.prov else []
        st.selectbox(t("filter.kabkota", lang), kabs, index=None, key="w_kab", disabled=not f.prov,
                     placeholder=t("filter.all", lang), format_func=lambda c: names.get(c, c),
                     on_change=_sidebar_changed)
        st.selectbox(t("filter.location_type", lang), list(config.LOCATION_TYPES), index=None, key="w_tipe",
                     placeholder=t("filter.all", lang), format_func=lambda c: label("tipe", c, lang),
                     on_change=_sidebar_changed)
        st.multiselect(t("filter.financier", lang), list(config.FINANCIERS), key="w_dana",
                       placeholder=t("filter.all", lang), format_func=lambda c: label("dana", c, lang),
                       on_change=_sidebar_changed)
        st.multiselect(t("filter.slum_level", lang), list(config.SLUM_LEVELS), key="w_tingkat",
                       placeholder=t("filter.all", lang), format_func=lambda c: label("tingkat", c, lang),
                       on_change=_sidebar_changed, help=t("filter.slum_level_help", lang))
        st.button(t("filter.reset", lang), on_click=_reset, icon=":material/restart_alt:")
        st.divider()
        st.toggle(t("present.label", lang), key="w_present", on_change=_sidebar_changed,
                  help=t("present.help", lang))
        with st.popover(t("share.label", lang), icon=":material/share:"):
            st.caption(t("share.help", lang))
            st.code(share_url(frame), language=None, wrap_lines=True)


def share_url(frame: Frame) -> str:
    """The link to this exact view: this page, its filters and language."""
    base = ""
    try:
        url = st.context.url or ""
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.netloc else url.split("?")[0]
    except Exception:  # noqa: BLE001 - no request context (tests): a relative link still works
        base = ""
    query = to_query_string(frame.state)
    return f"{base}?{query}" if query else base or "/"


def start(page_id: str) -> Frame:
    """Call first on every page: returns the Frame, or stops the run with a clear page on a data error."""
    page = PAGE_BY_ID[page_id]
    lang = normalize_lang(st.query_params.get("lang"))
    # an emoji favicon is drawn as a data: URL; a :material/ icon would be fetched from fonts.gstatic.com
    st.set_page_config(page_title=f"{t(page.title_key, lang)} · KOTAKU", page_icon="🏘️", layout="wide")
    try:
        data.database()
        known = data.known()
        data.check_files()
    except DataError as exc:
        data.reset()
        data_error_page(exc, lang, title=True)
    state, notices = parse_query(_query_dict(), known)
    st.session_state["_view_state"] = state
    # The view's canonical link goes to the address bar on every run: bad parameters are dropped from it, and
    # it follows a same-page st.page_link ("leave presentation mode", the current page in the navigation), for
    # which Streamlit changes the view but not the URL (it would still say ?present=1). st.context.url has no
    # query string to compare with; the browser ignores an unchanged query.
    st.query_params.from_dict(to_query(state))
    frame = Frame(page, state)
    if state.present:
        st.html(PRESENT_CSS)
        st.page_link(page.script, label=t("present.exit", lang), icon=":material/close_fullscreen:",
                     query_params=to_query(dataclasses.replace(state, present=False)))
    else:
        _sidebar(frame)
    for n in notices:
        st.warning(n.text(lang), icon=":material/link_off:")
    return frame


def header(frame: Frame, question_key: str | None = None, illustrative: bool = True) -> None:
    """Page title, the illustrative-data badge and the active filters in one line."""
    st.title(frame.t(frame.page.title_key))
    chips = describe(frame.state, frame.lang, data.names(frame.lang))
    row = st.container(horizontal=True, vertical_alignment="center")
    with row:
        if illustrative:
            frame.illustrative_badge()
        st.caption(frame.t("filter.active") + ": " + (" · ".join(chips) if chips else frame.t("filter.none")))
    if question_key:
        st.caption(frame.t(question_key))


def footer(frame: Frame) -> None:
    version, manifest = data.manifest()
    kind = manifest.get("kind", "illustrative")
    when = manifest.get("generated_at") or manifest.get("imported_at")
    st.divider()
    st.caption(
        frame.t("footer.data_version", version=version) + " · " + frame.t(f"footer.kind.{kind}")
        + (" · " + frame.t("footer.updated", date=fmt_date(when[:10], frame.lang)) if when else "")
        + " · " + frame.t("footer.map_attribution")
    )
