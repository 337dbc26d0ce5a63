"""Spending: the five components by year and financier, allocated against realised, by province, and rupiah per
hectare of slum reduced (evaluators). Layout only."""
from __future__ import annotations

import streamlit as st

from kotaku_data import charts
from kotaku_data.i18n import fmt_ha, fmt_pct, fmt_rp
from kotaku_data.queries import spending
from kotaku_data.ui import data
from kotaku_data.ui.frame import footer, header, start

frame = start("spending")
lang, tr, f = frame.lang, frame.t, frame.filters
header(frame)
st.caption(tr("spend.intro"))
if f.tipe or f.tingkat:
    st.info(tr("spend.kab_level_note"), icon=":material/info:")

names = data.names(lang)
level = "kab" if f.prov else "prov"
place_word = tr("ind.by_kab" if level == "kab" else "ind.by_prov")
plot_config = {"displaylogo": False}
s = frame.q(spending.spending_summary)
by_year = frame.q(spending.spending, ("tahun",))


table = frame.chart_table  # the table behind a chart, opened on demand


# --- headline cards -------------------------------------------------------------------------------------------
cards = st.columns([1, 1, 1, 1.25])
with cards[0]:
    period = (tr("filter.chip.year", year=str(f.end_year)) if f.tahun[0] == f.end_year
              else tr("filter.chip.years", start=str(f.tahun[0]), end=str(f.end_year)))
    st.metric(tr("spend.card.allocated"), fmt_rp(s.alokasi_rp, lang), period,
              border=True, height="stretch", chart_data=charts.sparkline(by_year, "alokasi_rp", decimals=0) or None,
              chart_type="bar",
              delta_color="off", delta_arrow="off", help=tr("spend.card.allocated_help"))
with cards[1]:
    st.metric(tr("spend.card.realised"), fmt_rp(s.realisasi_rp, lang),
              tr("spend.card.realised_delta", value=fmt_rp(s.belum_terserap_rp, lang)),
              border=True, height="stretch", chart_data=charts.sparkline(by_year, "realisasi_rp", decimals=0) or None,
              chart_type="bar",
              delta_color="off", delta_arrow="off", help=tr("spend.card.realised_help"))
with cards[2]:
    st.metric(tr("spend.card.absorption"), fmt_pct(s.persen_serapan, lang), tr("spend.card.absorption_delta"),
              border=True, height="stretch", chart_data=charts.sparkline(by_year, "persen_serapan") or None,
              delta_color="off", delta_arrow="off", help=tr("spend.card.absorption_help"))
    frame.status(s.status)
with cards[3]:
    per_ha = tr("spend.per_ha_value", value=fmt_rp(s.rp_per_ha, lang, 0)) if s.rp_per_ha else "–"
    st.metric(tr("spend.card.per_ha"), per_ha,
              tr("spend.card.per_ha_delta", ha=fmt_ha(s.berkurang_ha, lang)),
              border=True, height="stretch", delta_color="off", delta_arrow="off", help=tr("spend.card.per_ha_help"))

# --- by year and component ------------------------------------------------------------------------------------
with st.container(border=True):
    st.subheader(tr("spend.q_year"))
    st.caption(tr("spend.year_caption"))
    year_component = frame.q(spending.spending, ("tahun", "komponen"))
    st.plotly_chart(data.figure(charts.spending_by_year, year_component, lang), config=plot_config, key="chart_year")
    table(year_component, ["tahun", "komponen", "alokasi_rp", "realisasi_rp", "persen_serapan"],
          "anggaran-tahun-komponen", "year")

left, right = st.columns(2)
with left, st.container(border=True):
    st.subheader(tr("spend.q_component"))
    st.caption(tr("spend.component_caption"))
    components = frame.q(spending.spending, ("komponen",))
    st.plotly_chart(data.figure(charts.spending_by_component, components, lang), config=plot_config,
                    key="chart_component")
    table(components, ["komponen", "alokasi_rp", "realisasi_rp", "persen_serapan"], "anggaran-komponen", "component")
with right, st.container(border=True):
    st.subheader(tr("spend.q_financier"))
    st.caption(tr("spend.financier_caption"))
    tab_component, tab_year = st.tabs([tr("spend.tab_component"), tr("spend.tab_year")])
    component_financier = frame.q(spending.spending, ("komponen", "sumber_dana"))
    with tab_component:
        st.plotly_chart(data.figure(charts.spending_by_financier, component_financier, lang), config=plot_config,
                        key="chart_financier")
    with tab_year:
        st.plotly_chart(data.figure(charts.spending_by_financier, frame.q(spending.spending, ("tahun", "sumber_dana")), lang,
                                    by="tahun"),
                        config=plot_config, key="chart_financier_year")
    table(component_financier, ["komponen", "sumber_dana", "alokasi_rp", "realisasi_rp", "persen_serapan"],
          "anggaran-komponen-dana", "financier")

# --- by province (or kabupaten/kota) ----------------------------------------------------------------------------
regions = frame.q(spending.spending_by_region, level)
left, right = st.columns(2)
with left, st.container(border=True):
    st.subheader(tr("spend.q_places", places=place_word))
    st.caption(tr("spend.places_caption"))
    st.plotly_chart(data.figure(charts.spending_by_place, regions, lang, names=names, selected=f.kab or f.prov),
                    config=plot_config, key="chart_places")
with right, st.container(border=True):
    st.subheader(tr("spend.q_per_ha", places=place_word))
    st.caption(tr("spend.per_ha_caption"))
    st.plotly_chart(data.figure(charts.cost_per_hectare, regions, lang, names=names, national=s.rp_per_ha,
                                selected=f.kab or f.prov),
                    config=plot_config, key="chart_per_ha")
with st.container(border=True):
    st.subheader(tr("spend.q_table", places=place_word))
    cols = ["nama", "alokasi_rp", "realisasi_rp", "persen_serapan", "berkurang_ha", "rp_per_ha"]
    st.dataframe(data.table(charts.page_table, regions, cols, lang, names=names), hide_index=True, key="tbl_places")
    frame.download(data.table(charts.page_table, regions, ["kode", *cols], lang, names=names, formatted=False),
                   f"anggaran-{level}", key="places")

footer(frame)
