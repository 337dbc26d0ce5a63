"""Overview: where the programme stands, in five seconds (executives). Layout only."""
from __future__ import annotations

import dataclasses

import streamlit as st

from kotaku_data import charts, config, targets
from kotaku_data.filters import to_query
from kotaku_data.i18n import fmt_ha, fmt_int, fmt_pct, fmt_rp
from kotaku_data.queries import headline, indicators, published, slum_area, spending
from kotaku_data.ui import data
from kotaku_data.ui.frame import footer, header, start

frame = start("overview")
lang, tr = frame.lang, frame.t
header(frame)
st.caption(tr("app.subtitle"))

h = frame.q(headline.headline)
f = frame.filters
names = data.names(lang)
plot_config = {"displaylogo": False}


def card(col, label: str, value: str, status_key: str | None, delta: str | None = None,
         chart: list | None = None, help_text: str | None = None, chart_type: str = "line") -> None:
    with col:
        st.metric(label, value, delta, border=True, chart_data=chart or None, chart_type=chart_type,
                  delta_color="off", delta_arrow="off", help=help_text, height="stretch")
        frame.status(h.status.get(status_key) if status_key else None)


# --- headline cards ---------------------------------------------------------------------------------------
slum_years = frame.q(slum_area.slum_area_by_year, "nasional")
access_years = frame.q(indicators.service_access, "nasional", False)
pokja_years = frame.q(indicators.pokja_status, "nasional")
sat_years = frame.q(indicators.satisfaction, "nasional")
money_years = frame.q(spending.spending, ("tahun",))
start_year, end_year = str(f.start_year), str(f.end_year)

cards = [*st.columns(3), *st.columns(3)]
card(cards[0], tr("card.slum_area"), fmt_ha(h.berkurang_total_ha, lang), "slum_area",
     tr("card.slum_area_delta", pct=fmt_pct(h.persen_berkurang, lang), baseline=fmt_ha(h.luas_awal_ha, lang)),
     charts.sparkline(slum_years, "berkurang_ha"),
     tr("card.slum_area_help", target=fmt_ha(config.TARGET_HA, lang), year=end_year))
card(cards[1], tr("card.access"), fmt_pct(h.akses_akhir, lang), "access",
     tr("card.baseline_was", value=fmt_pct(h.akses_awal, lang), year=start_year),
     charts.sparkline(access_years, "persen_terlayani"),
     tr("card.access_help", target=fmt_pct(targets.TARGETS["access"], lang), year=end_year))
card(cards[2], tr("card.pokja"), fmt_pct(h.pokja_berfungsi, lang), "pokja",
     tr("card.pokja_delta", value=fmt_pct(h.pokja_terbentuk, lang)),
     charts.sparkline(pokja_years, "persen_berfungsi"),
     tr("card.pokja_help", target=fmt_pct(targets.TARGETS["pokja"], lang), year=end_year))
card(cards[3], tr("card.satisfaction"), fmt_pct(h.puas, lang), "satisfaction",
     tr("card.satisfaction_delta", year=str(h.puas_tahun or "–"),
        target=fmt_pct(targets.TARGETS["satisfaction"], lang)),
     charts.sparkline(sat_years, "persen_puas"), tr("card.satisfaction_help"))
card(cards[4], tr("card.absorption"), fmt_pct(h.persen_serapan, lang), "absorption",
     tr("card.absorption_delta", realised=fmt_rp(h.realisasi_rp, lang), allocated=fmt_rp(h.alokasi_rp, lang)),
     charts.sparkline(money_years, "persen_serapan"), tr("card.absorption_help"))
card(cards[5], tr("card.coverage"), tr("card.coverage_value", n=fmt_int(h.n_desa, lang)), None,
     tr("card.coverage_delta", kab=fmt_int(h.n_kab, lang), prov=fmt_int(h.n_prov, lang)),
     help_text=tr("card.coverage_help"))
st.caption(tr("overview.status_rule"))

# --- where, who leads, who lags, when zero ------------------------------------------------------------
level = "kab" if f.prov else "prov"
ranked = frame.q(slum_area.slum_area_summary, level)
with st.container(border=True):
    st.subheader(tr("overview.q_map"))
    st.caption(tr("overview.map_caption"))
    every_province = frame.q(slum_area.slum_area_summary, "prov", filters=dataclasses.replace(f, prov=None, kab=None))
    st.plotly_chart(data.province_map(every_province, "persen_berkurang", lang,
                                      ("berkurang_total_ha", "luas_akhir_ha", "luas_awal_ha"),
                                      selected=f.prov, names=names, height=430),
                    config={**plot_config, "scrollZoom": False}, key="overview_map")

left, right = st.columns(2)
with left, st.container(border=True, height="stretch"):
    st.subheader(tr("overview.q_rank_prov" if level == "prov" else "overview.q_rank_kab"))
    cols = ["nama", "persen_berkurang", "berkurang_total_ha"]
    top, bottom = charts.top_bottom(ranked, "persen_berkurang", 5)
    st.markdown(f"**{tr('overview.top5')}**")
    st.dataframe(data.table(charts.display_table, top, cols, lang, names=names), hide_index=True, key="top5")
    st.markdown(f"**{tr('overview.bottom5')}**")
    st.dataframe(data.table(charts.display_table, bottom, cols, lang, names=names), hide_index=True, key="bottom5")
    frame.download(data.table(charts.display_table, ranked, ["kode", "nama", "luas_awal_ha", "berkurang_total_ha",
                                                  "luas_akhir_ha", "persen_berkurang", "peringkat"], lang,
                                        formatted=False, names=names),
                   "ringkasan-luas-kumuh", key="overview_rank")
with right, st.container(border=True, height="stretch"):
    st.subheader(tr("overview.q_trend"))
    st.caption(tr("overview.trend_caption", year=end_year))
    st.plotly_chart(data.figure(charts.slum_trend,
                                frame.q(slum_area.slum_area_by_year, "nasional",
                                        filters=dataclasses.replace(f, tahun=(config.FIRST_YEAR, f.end_year))),
                                lang, height=420),
                    config=plot_config, key="overview_trend")

with st.container(border=True):
    st.subheader(tr("overview.q_zero"))
    st.badge(tr("overview.projection_badge"), icon=":material/trending_down:", color="gray")
    st.caption(tr("overview.zero_caption"))
    projection = frame.q(slum_area.zero_slum_projection, level)
    st.plotly_chart(data.figure(charts.zero_year_chart, projection, lang, names=names, row_height=16),
                    config=plot_config, key="overview_zero")
    never = charts.unreached(projection, names)
    if never:
        st.caption(tr("overview.zero_never", places=", ".join(never)))

# --- published national figures: real, cited, visibly apart from the illustrative data --------------------
with st.container(border=True):
    st.subheader(tr("published.panel_title"))
    st.badge(tr("published.label"), icon=":material/verified:", color="blue")
    st.caption(tr("published.panel_caption") + " " + tr("published.units_note"))
    boxes = st.columns(4)
    for i, c in enumerate(charts.published_cards(frame.q_all(published.published_highlights), lang)):
        with boxes[i % 4], st.container(border=True):
            st.badge(tr("published.label"), icon=":material/verified:", color="blue")
            st.metric(c["label"], c["value"], c["note"], delta_color="off", delta_arrow="off")
            st.link_button(tr("published.source"), c["url"], icon=":material/open_in_new:", type="tertiary",
                           help=c["url"])
    st.page_link("pages/5_data_metode.py", label=tr("published.all_sources"), icon=":material/menu_book:",
                 query_params=to_query(dataclasses.replace(frame.state, desa=None, banding=None, layanan=None)))

footer(frame)
