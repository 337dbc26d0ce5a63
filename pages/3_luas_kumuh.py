"""Slum area by province: map and ranked bars, drill down to kabupaten/kota and kelurahan. Layout only."""
from __future__ import annotations

import dataclasses

import streamlit as st

from kotaku_data import charts, config
from kotaku_data.i18n import fmt_ha, fmt_int, fmt_pct
from kotaku_data.queries import slum_area
from kotaku_data.ui import data
from kotaku_data.ui.frame import footer, header, start

frame = start("slum_area")
lang, tr, f = frame.lang, frame.t, frame.filters
header(frame)
names = data.names(lang)
plot_config = {"displaylogo": False}
national = dataclasses.replace(f, prov=None, kab=None)  # the map and province bars always show every province
in_province = dataclasses.replace(f, kab=None)  # the kabupaten/kota bars show every one of the province
place = names.get(frame.state.desa or f.kab or f.prov or "", tr("slum.national"))


def select(prov: str | None, kab: str | None = None) -> None:
    """Drill to a province / kabupaten/kota: write it to the URL (a shareable link) and rerun."""
    if (prov, kab) != (f.prov, f.kab):
        frame.go(filters=dataclasses.replace(f, prov=prov, kab=kab), desa=None)
        st.rerun()


# --- headline cards for the current selection -----------------------------------------------------------
summary = frame.q(slum_area.slum_area_summary, "nasional")
trend = frame.q(slum_area.slum_area_by_year, "nasional", filters=dataclasses.replace(f, tahun=(config.FIRST_YEAR, f.end_year)))
s = summary.iloc[0] if len(summary) else None
st.subheader(tr("slum.cards_title", place=place))
c1, c2, c3, c4 = st.columns(4)
c1.metric(tr("col.luas_awal_ha"), fmt_ha(s["luas_awal_ha"] if s is not None else None, lang), border=True,
          help=tr("slum.baseline_help"))
c2.metric(tr("col.berkurang_total_ha"), fmt_ha(s["berkurang_total_ha"] if s is not None else None, lang),
          tr("card.slum_area_delta", pct=fmt_pct(s["persen_berkurang"] if s is not None else None, lang),
             baseline=fmt_ha(s["luas_awal_ha"] if s is not None else None, lang)),
          delta_color="off", delta_arrow="off", border=True, chart_data=charts.sparkline(trend, "berkurang_ha") or None)
c3.metric(tr("slum.remaining_card", year=str(f.end_year)), fmt_ha(s["luas_akhir_ha"] if s is not None else None, lang),
          border=True, chart_data=charts.sparkline(trend, "luas_kumuh_ha") or None)
c4.metric(tr("col.lokasi"), fmt_int(s["lokasi"] if s is not None else None, lang),
          tr("slum.upgrading_count", n=fmt_int(s["lokasi_peningkatan"] if s is not None else None, lang)),
          delta_color="off", delta_arrow="off", border=True)

# --- national map: click a province to drill down --------------------------------------------------------
provinces = frame.q(slum_area.slum_area_summary, "prov", filters=national)
with st.container(border=True):
    st.subheader(tr("slum.q_map"))
    st.caption(tr("slum.map_caption"))
    fig = data.province_map(provinces, "persen_berkurang", lang,
                            ("berkurang_total_ha", "luas_akhir_ha", "luas_awal_ha", "lokasi"),
                            selected=f.prov, names=names, height=440, zoom=3.4)
    event = st.plotly_chart(fig, on_select="rerun", selection_mode="points", key=f"slum_map_{f.prov}",
                            config={**plot_config, "scrollZoom": False})
    code = charts.selected_code(event)
    if code and code != f.prov:
        select(code)

# --- ranked bars: provinces, then the kabupaten/kota of the selected province ------------------------------
left, right = st.columns(2)
with left, st.container(border=True):
    st.subheader(tr("slum.q_rank_prov"))
    st.caption(tr("slum.rank_caption"))
    event = st.plotly_chart(data.figure(charts.ranked_bar, provinces, lang, names=names, selected=f.prov),
                            on_select="rerun", selection_mode="points", key=f"slum_bar_prov_{f.prov}",
                            config=plot_config)
    code = charts.selected_code(event)
    if code and code != f.prov:
        select(code)
    with st.expander(tr("slum.table_prov")):
        cols = ["kode", "nama", "lokasi", "luas_awal_ha", "berkurang_total_ha", "luas_akhir_ha", "persen_berkurang",
                "peringkat"]
        st.dataframe(data.table(charts.display_table, provinces, cols, lang, names=names), hide_index=True,
                     key="tbl_prov")
        frame.download(data.table(charts.display_table, provinces, cols, lang, formatted=False, names=names),
                       "luas-kumuh-provinsi", key="slum_prov")
with right, st.container(border=True):
    if not f.prov:
        st.subheader(tr("slum.q_rank_kab_none"))
        st.info(tr("slum.pick_province"), icon=":material/touch_app:")
    else:
        kabs = frame.q(slum_area.slum_area_summary, "kab", filters=in_province)
        st.subheader(tr("slum.q_rank_kab", place=names.get(f.prov, f.prov)))
        st.caption(tr("slum.rank_kab_caption"))
        event = st.plotly_chart(data.figure(charts.ranked_bar, kabs, lang, selected=f.kab), on_select="rerun",
                                selection_mode="points", key=f"slum_bar_kab_{f.prov}_{f.kab}", config=plot_config)
        code = charts.selected_code(event)
        if code and code != f.kab and code.startswith(f"{f.prov}."):
            select(f.prov, code)
        with st.expander(tr("slum.table_kab")):
            cols = ["kode", "nama", "lokasi", "luas_awal_ha", "berkurang_total_ha", "luas_akhir_ha",
                    "persen_berkurang", "peringkat"]
            st.dataframe(data.table(charts.display_table, kabs, cols, lang), hide_index=True, key="tbl_kab")
            frame.download(data.table(charts.display_table, kabs, cols, lang, formatted=False), "luas-kumuh-kabkota",
                           key="slum_kab")
        st.button(tr("slum.back_national"), icon=":material/arrow_back:", on_click=frame.go,
                  kwargs={"filters": national, "desa": None}, key="back_national")

# --- kelurahan of the selected kabupaten/kota -----------------------------------------------------------
if f.kab:
    with st.container(border=True):
        st.subheader(tr("slum.q_kelurahan", place=names.get(f.kab, f.kab)))
        st.caption(tr("slum.kelurahan_caption", start=str(config.FIRST_YEAR), end=str(f.end_year)))
        kel = frame.q(slum_area.kelurahan_table)
        cols = ["kode_desa", "nama_desa", "tipe_lokasi", "sumber_dana", "luas_awal_ha", "luas_akhir_ha",
                "berkurang_total_ha", "tingkat_kumuh_awal", "tingkat_kumuh_akhir"]
        st.dataframe(data.table(charts.display_table, kel, cols, lang), hide_index=True, key="tbl_kel")
        frame.download(data.table(charts.display_table, kel, cols, lang, formatted=False), "kelurahan", key="slum_kel")
        st.button(tr("slum.back_province", place=names.get(f.prov, f.prov)), icon=":material/arrow_back:",
                  on_click=frame.go, kwargs={"filters": in_province, "desa": None}, key="back_province")

# --- trend for the current selection ---------------------------------------------------------------------
with st.container(border=True):
    st.subheader(tr("slum.q_trend", place=place))
    st.caption(tr("overview.trend_caption", year=str(f.end_year)))
    if frame.state.desa:
        desa_years = frame.q(slum_area.slum_area_by_year, "desa",
                             filters=dataclasses.replace(f, tahun=(config.FIRST_YEAR, f.end_year)))
        fig = data.figure(charts.slum_trend, desa_years, lang, name=place, code=frame.state.desa, height=380)
    else:
        fig = data.figure(charts.slum_trend, trend, lang, name=place, height=380)
    st.plotly_chart(fig, config=plot_config, key="slum_trend")

footer(frame)
