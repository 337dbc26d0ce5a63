"""Outcome indicators: one section per indicator, each with its definition and unit (evaluators). Layout only."""
from __future__ import annotations

import functools

import streamlit as st

from kotaku_data import charts, config, targets
from kotaku_data.i18n import fmt_ha, fmt_pct, label
from kotaku_data.queries import headline, indicators, slum_area
from kotaku_data.ui import data
from kotaku_data.ui.frame import footer, header, start

frame = start("indicators")
lang, tr, f = frame.lang, frame.t, frame.filters
header(frame)
st.caption(tr("ind.intro"))

names = data.names(lang)
h = frame.q(headline.headline)
level = "kab" if f.prov else "prov"  # by province, or by kabupaten/kota inside a chosen province
place_word = tr("ind.by_kab" if level == "kab" else "ind.by_prov")
start_year, end_year = str(f.start_year), str(f.end_year)
plot_config = {"displaylogo": False}
kab_level_filters = bool(f.tipe or f.tingkat)


def section(n: int) -> None:
    st.header(f"{n}. {label('indicator', n, lang)}", anchor=f"indikator-{n}")
    st.caption(tr(f"indicator.{n}.definition") + " " + tr("ind.unit_line", unit=tr(f"ind.{n}.unit")))


table = functools.partial(frame.chart_table, names=names)  # the table behind a chart, opened on demand


# --- headline cards -----------------------------------------------------------------------------------------
access_years = frame.q(indicators.service_access, "nasional", False)
target_years = frame.q(slum_area.slum_area_vs_target)
pokja_years = frame.q(indicators.pokja_status, "nasional")
sat_years = frame.q(indicators.satisfaction, "nasional")
cards = st.columns(4)
with cards[0]:
    st.metric(tr("ind.card.access"), fmt_pct(h.akses_akhir, lang),
              tr("ind.card.access_delta", value=fmt_pct(h.akses_awal, lang), year=start_year),
              border=True, height="stretch", chart_data=charts.sparkline(access_years, "persen_terlayani") or None,
              delta_color="off", delta_arrow="off", help=tr("ind.card.access_help", year=end_year))
    frame.status(h.status["access"])
with cards[1]:
    st.metric(tr("ind.card.slum"), fmt_pct(h.persen_berkurang, lang),
              tr("ind.card.slum_delta", value=fmt_ha(h.berkurang_total_ha, lang), target=fmt_ha(h.luas_awal_ha, lang)),
              border=True, height="stretch", chart_data=charts.sparkline(target_years, "persen_capaian") or None,
              delta_color="off", delta_arrow="off", help=tr("ind.card.slum_help", year=end_year))
    frame.status(h.status["slum_area"])
with cards[2]:
    st.metric(tr("ind.card.pokja"), fmt_pct(h.pokja_berfungsi, lang),
              tr("ind.card.pokja_delta", value=fmt_pct(h.pokja_terbentuk, lang)),
              border=True, height="stretch", chart_data=charts.sparkline(pokja_years, "persen_berfungsi") or None,
              delta_color="off", delta_arrow="off", help=tr("ind.card.pokja_help", year=end_year))
    frame.status(h.status["pokja"])
with cards[3]:
    st.metric(tr("ind.card.satisfaction"), fmt_pct(h.puas, lang),
              tr("ind.card.satisfaction_delta", year=str(h.puas_tahun or "–"),
                 target=fmt_pct(targets.TARGETS["satisfaction"], lang, 0)),
              border=True, height="stretch", chart_data=charts.sparkline(sat_years, "persen_puas") or None,
              chart_type="bar",
              delta_color="off", delta_arrow="off", help=tr("ind.card.satisfaction_help"))
    frame.status(h.status["satisfaction"])
st.caption(tr("ind.status_rule"))

# --- 1. access to services ------------------------------------------------------------------------------------
section(1)
national_access = frame.q(indicators.service_access_change, "nasional")
place_access = frame.q(indicators.service_access_change, level)
service = frame.state.layanan or config.SERVICES[0]
left, right = st.columns([2, 3])
with left, st.container(border=True):
    st.subheader(tr("ind.q_access_services"))
    st.caption(tr("ind.access_caption", start=start_year, end=end_year))
    st.plotly_chart(data.figure(charts.access_by_service, national_access, lang), config=plot_config,
                    key="chart_access")
    table(national_access, ["layanan", "persen_awal", "persen_akhir", "selisih_poin", "kk_terlayani", "kk_total"],
          "akses-layanan", "access")
with right, st.container(border=True):
    st.subheader(tr("ind.q_access_places", service=label("layanan", service, lang).lower(), places=place_word))
    frame.select_param(tr("ind.service_select"), "layanan", list(config.SERVICES),
                       format_func=lambda s: label("layanan", s, lang),
                       placeholder=label("layanan", service, lang))
    st.caption(tr("ind.access_places_caption", start=start_year, end=end_year))
    service_rows = place_access[place_access["layanan"] == service]
    st.plotly_chart(data.figure(charts.access_by_place, service_rows, service, lang, names=names,
                                selected=f.kab or f.prov),
                    config=plot_config, key="chart_access_places")
    table(service_rows, ["nama", "layanan", "persen_awal", "persen_akhir", "selisih_poin", "kk_terlayani", "kk_total"],
          f"akses-{service}-{level}", "access_places")

# --- 2. slum area against the target -------------------------------------------------------------------------
section(2)
with st.container(border=True):
    st.subheader(tr("ind.q_slum"))
    st.caption(tr("ind.slum_caption", last=str(config.LAST_YEAR)))
    latest = target_years.iloc[-1] if len(target_years) else None
    if latest is not None:
        frame.status(latest["status"])
        st.caption(tr("ind.slum_status_line", year=str(int(latest["tahun"])),
                      actual=fmt_ha(latest["berkurang_ha"], lang), expected=fmt_ha(latest["diharapkan_ha"], lang),
                      target=fmt_ha(latest["target_ha"], lang)))
    st.plotly_chart(data.figure(charts.slum_vs_target, target_years, lang), config=plot_config, key="chart_slum")
    table(target_years, ["tahun", "luas_kumuh_ha", "berkurang_ha", "diharapkan_ha", "target_ha", "persen_capaian",
                         "persen_diharapkan", "status"], "luas-kumuh-target", "slum")

# --- 3. Pokja PKP ------------------------------------------------------------------------------------------------
section(3)
if kab_level_filters:
    st.info(tr("ind.kab_level_note"), icon=":material/info:")
pokja_places = frame.q(indicators.pokja_status, level)
left, right = st.columns([2, 3])
with left, st.container(border=True):
    st.subheader(tr("ind.q_pokja_trend"))
    st.caption(tr("ind.pokja_caption", last=str(config.LAST_YEAR)))
    st.plotly_chart(data.figure(
        charts.percent_trend,
        pokja_years, [("persen_terbentuk", "chart.pokja_formed", charts.component_color(2)),
                      ("persen_berfungsi", "chart.pokja_functioning", charts.ACTUAL_COLOR)],
        lang, target=targets.TARGETS["pokja"], target_key="chart.expected_path", expected_path=True),
        config=plot_config, key="chart_pokja")
    table(pokja_years, ["tahun", "kabkota", "terbentuk", "berfungsi", "persen_terbentuk", "persen_berfungsi"],
          "pokja-nasional", "pokja")
with right, st.container(border=True):
    st.subheader(tr("ind.q_pokja_places", places=place_word))
    st.caption(tr("ind.pokja_places_caption"))
    st.plotly_chart(data.figure(charts.place_year_heatmap, pokja_places, "persen_berfungsi", lang, names=names,
                                hover_cols=["berfungsi", "terbentuk", "kabkota"]),
                    config=plot_config, key="chart_pokja_places")
    table(pokja_places, ["nama", "tahun", "kabkota", "terbentuk", "berfungsi", "persen_terbentuk", "persen_berfungsi"],
          f"pokja-{level}", "pokja_places")

# --- 4. beneficiary satisfaction ---------------------------------------------------------------------------------
section(4)
if kab_level_filters:
    st.info(tr("ind.kab_level_note"), icon=":material/info:")
sat_places = frame.q(indicators.satisfaction, level)
target_sat = targets.TARGETS["satisfaction"]
left, right = st.columns([2, 3])
with left, st.container(border=True):
    st.subheader(tr("ind.q_sat_trend", target=fmt_pct(target_sat, lang, 0)))
    st.caption(tr("ind.sat_caption", target=fmt_pct(target_sat, lang, 0)))
    st.plotly_chart(data.figure(charts.percent_trend, sat_years,
                                [("persen_puas", "chart.satisfied", charts.ACTUAL_COLOR)], lang,
                                target=target_sat, bars=True), config=plot_config, key="chart_sat")
    table(sat_years, ["tahun", "responden", "puas", "persen_puas"], "kepuasan-nasional", "sat")
with right, st.container(border=True):
    st.subheader(tr("ind.q_sat_places", places=place_word, target=fmt_pct(target_sat, lang, 0)))
    st.caption(tr("ind.sat_places_caption", target=fmt_pct(target_sat, lang, 0)))
    st.plotly_chart(data.figure(charts.place_year_heatmap, sat_places, "persen_puas", lang, names=names,
                                hover_cols=["puas", "responden"], zmin=50, zmax=100),
                    config=plot_config, key="chart_sat_places")
    table(charts.with_target_status(sat_places, "persen_puas", target_sat),
          ["nama", "tahun", "responden", "puas", "persen_puas", "status"], f"kepuasan-{level}", "sat_places")

footer(frame)
