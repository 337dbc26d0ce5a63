"""Region profile: everything about one province, kabupaten/kota or kelurahan on one page, compared with the
national figures and with a second region; a typo-tolerant search finds any place by name. Layout only.

The region is the URL state: ``desa`` if set, else ``kab``, else ``prov``, else the whole programme; the region
compared with is ``banding``.
"""
from __future__ import annotations

import streamlit as st

from kotaku_data import charts, search, targets
from kotaku_data.i18n import fmt_ha, fmt_number, fmt_pct, fmt_rp, label
from kotaku_data.queries import profile, regions, slum_area, spending
from kotaku_data.ui import data
from kotaku_data.ui.frame import footer, header, start

frame = start("profile")
lang, tr, f, state = frame.lang, frame.t, frame.filters, frame.state
header(frame)
names = data.names(lang)
plot_config = {"displaylogo": False}
NATIONAL = search.NATIONAL

region = search.region_of(f.prov, f.kab, state.desa)
level = search.region_level(region)
banding = state.banding if state.banding != region else None


def place_name(code: str) -> str:
    return tr("profile.national_name") if code == NATIONAL else names.get(code, code)


def open_region(code: str) -> None:
    """Show `code` (sets prov/kab/desa in the URL); the comparison is kept unless it is that same place."""
    st.session_state["profile_search"] = ""
    frame.go(filters=search.place_filters(f, code), desa=code if search.region_level(code) == "desa" else None,
             banding=None if state.banding == code else state.banding)


def compare_with(code: str | None) -> None:
    st.session_state["profile_search"] = ""
    frame.go(banding=code)


# --- find a place, choose a comparison --------------------------------------------------------------------------
with st.container(border=True):
    st.subheader(tr("profile.q_search"))
    left, right = st.columns(2)
    with left:
        text = st.text_input(tr("profile.search_label"), key="profile_search",
                             placeholder=tr("profile.search_placeholder"), help=tr("profile.search_help"))
        if text.strip():
            hits = frame.q_all(regions.region_search, text.strip(), 8)
            if hits.empty:
                st.caption(tr("profile.search_none"))
            for hit in hits.itertuples(index=False):
                parent = hit.induk if isinstance(hit.induk, str) else ""
                row = st.container(horizontal=True, vertical_alignment="center")
                row.button(f"{place_name(hit.kode)} · {tr(f'level.{hit.level}')}" + (f" · {parent}" if parent else ""),
                           key=f"open_{hit.kode}", on_click=open_region, args=(hit.kode,), type="tertiary",
                           icon=":material/location_on:", help=tr("profile.open_help"))
                row.button(tr("profile.compare_button"), key=f"cmp_{hit.kode}", on_click=compare_with,
                           args=(hit.kode,), type="tertiary", icon=":material/compare_arrows:",
                           disabled=hit.kode == region)
    with right:
        choices = frame.q_all(regions.region_choices, f.kab)
        choice_names = {k: place_name(k) + (f" · {p}" if isinstance(p, str) else "")
                        for k, p in zip(choices["kode"], choices["induk"], strict=True)}
        options = [k for k in choice_names if k != region]
        if state.banding and state.banding not in choice_names:
            options.append(state.banding)
        frame.select_param(tr("profile.compare_label"), "banding", options,
                           format_func=lambda c: choice_names.get(c, place_name(c)),
                           placeholder=tr("profile.compare_placeholder"), help=tr("profile.compare_help"))
        if state.banding:
            st.button(tr("profile.compare_clear"), on_click=compare_with, args=(None,), icon=":material/close:",
                      type="tertiary", key="compare_clear")

# --- the region -------------------------------------------------------------------------------------------------
codes = tuple(dict.fromkeys(c for c in (region, banding, NATIONAL) if c))
summary = frame.q(profile.profile_summary, codes)
me = summary.iloc[0]
nat = summary[summary["kode"] == NATIONAL].iloc[0]
roles = {region: "wilayah"}
if banding:
    roles[banding] = "banding"
if region != NATIONAL:
    roles[NATIONAL] = "nasional"
labels = {c: place_name(c) for c in codes}
versus = region != NATIONAL

st.header(place_name(region), anchor="wilayah")
parents = [c for c in (f.kab if level == "desa" else None, f.prov if level in ("desa", "kab") else None) if c]
crumbs = st.container(horizontal=True, vertical_alignment="center")
crumbs.caption(tr(f"level.{level}"), width="content")
for code in [*parents, NATIONAL] if region != NATIONAL else []:
    crumbs.button(place_name(code), key=f"up_{code}", on_click=open_region, args=(code,), type="tertiary",
                  icon=":material/arrow_upward:", help=tr("profile.up_help"))
if banding:
    st.caption(tr("profile.comparing", a=place_name(region), b=place_name(banding)))
st.caption(tr("profile.filters_note_desa" if level == "desa" else "profile.filters_note"))


def vs_national(col: str) -> str | None:
    """"+3,2 poin vs nasional" under a card (nothing on the national profile itself)."""
    if not versus:
        return None
    a, b = me[col], nat[col]
    if a is None or b is None or a != a or b != b:
        return None
    return tr("profile.vs_national", diff=charts.points_text(a - b, lang))


end_year, start_year = str(f.end_year), str(f.start_year)
cards = [col for _ in range(2) for col in st.columns(3)]
with cards[0]:
    st.metric(tr("profile.card.area", year=end_year), fmt_ha(me["luas_akhir_ha"], lang),
              tr("profile.card.area_delta", value=fmt_ha(me["luas_awal_ha"], lang)), border=True,
              delta_color="off", delta_arrow="off")
with cards[1]:
    st.metric(tr("profile.card.reduced"), fmt_pct(me["persen_berkurang"], lang), vs_national("persen_berkurang"),
              border=True, delta_color="off", delta_arrow="off",
              help=tr("profile.card.reduced_help", ha=fmt_ha(me["berkurang_total_ha"], lang)))
with cards[2]:
    st.metric(tr("profile.card.access", year=end_year), fmt_pct(me["akses_akhir"], lang), vs_national("akses_akhir"),
              border=True, delta_color="off", delta_arrow="off",
              help=tr("profile.card.access_help", start=fmt_pct(me["akses_awal"], lang), year=start_year))
if level == "desa":
    with cards[3]:
        st.metric(tr("profile.card.score"), tr("profile.score_value", value=fmt_number(me["skor_akhir"], lang, 1)),
                  tr("profile.card.score_delta", value=fmt_number(me["skor_awal"], lang, 1)), border=True,
                  delta_color="off", delta_arrow="off", help=tr("profile.card.score_help"))
    with cards[4]:
        st.metric(tr("profile.card.level", year=end_year), label("tingkat", me["tingkat_akhir"], lang),
                  tr("profile.card.level_delta", value=label("tingkat", me["tingkat_awal"], lang)), border=True,
                  delta_color="off", delta_arrow="off")
    with cards[5]:
        st.metric(tr("profile.card.type"), label("tipe", me["tipe_lokasi"], lang),
                  label("dana", me["sumber_dana"], lang), border=True, delta_color="off", delta_arrow="off")
else:
    with cards[3]:
        st.metric(tr("profile.card.pokja", year=end_year), fmt_pct(me["pokja_berfungsi"], lang),
                  vs_national("pokja_berfungsi"), border=True, delta_color="off", delta_arrow="off",
                  help=tr("profile.card.pokja_help"))
    with cards[4]:
        survey = str(int(me["puas_tahun"])) if me["puas_tahun"] == me["puas_tahun"] and me["puas_tahun"] else "–"
        st.metric(tr("profile.card.satisfaction", year=survey), fmt_pct(me["puas"], lang), vs_national("puas"),
                  border=True, delta_color="off", delta_arrow="off")
    with cards[5]:
        st.metric(tr("profile.card.spending"), fmt_rp(me["realisasi_rp"], lang),
                  tr("profile.card.spending_delta", pct=fmt_pct(me["persen_serapan"], lang),
                     per_ha=fmt_rp(me["rp_per_ha"], lang)),
                  border=True, delta_color="off", delta_arrow="off")

# --- how it compares ------------------------------------------------------------------------------------------
with st.container(border=True):
    st.subheader(tr("profile.q_compare", name=place_name(region)))
    st.caption(tr("profile.compare_caption"))
    table = data.table(charts.profile_table, summary, labels, lang, f.start_year, f.end_year)
    st.dataframe(table, hide_index=True, key="tbl_profile", height=35 * (len(table) + 1) + 3)
    frame.download(data.table(charts.profile_table, summary, labels, lang, f.start_year, f.end_year, formatted=False),
                   f"profil-{region}", key="profile")

series = frame.q(profile.profile_series, codes)
left, right = st.columns(2)
with left, st.container(border=True):
    st.subheader(tr("profile.q_slum", name=place_name(region)))
    st.caption(tr("profile.slum_caption"))
    st.plotly_chart(data.figure(charts.slum_vs_target, frame.q(slum_area.slum_area_vs_target, region), lang, height=340),
                    config=plot_config, key="chart_slum")
with right, st.container(border=True):
    st.subheader(tr("profile.q_slum_compare"))
    st.caption(tr("profile.slum_compare_caption"))
    st.plotly_chart(data.figure(charts.compare_trend, series, "sisa_kumuh", lang, roles, labels, height=340),
                    config=plot_config, key="chart_slum_compare")

left, right = st.columns(2)
with left, st.container(border=True):
    st.subheader(tr("profile.q_access"))
    st.caption(tr("profile.access_caption", year=end_year))
    st.plotly_chart(data.figure(charts.compare_access, frame.q(profile.profile_access, codes), lang, roles, labels),
                    config=plot_config, key="chart_access")
with right, st.container(border=True):
    st.subheader(tr("profile.q_access_trend"))
    st.caption(tr("profile.access_trend_caption"))
    st.plotly_chart(data.figure(charts.compare_trend, series, "akses", lang, roles, labels,
                                target=targets.TARGETS["access"], height=380),
                    config=plot_config, key="chart_access_trend")

if level != "desa":
    left, right = st.columns(2)
    with left, st.container(border=True):
        st.subheader(tr("profile.q_pokja"))
        st.caption(tr("profile.pokja_caption"))
        st.plotly_chart(data.figure(charts.compare_trend, series, "pokja", lang, roles, labels,
                                    target=targets.TARGETS["pokja"], expected_path=True),
                        config=plot_config, key="chart_pokja")
    with right, st.container(border=True):
        st.subheader(tr("profile.q_satisfaction"))
        st.caption(tr("profile.satisfaction_caption", target=fmt_pct(targets.TARGETS["satisfaction"], lang, 0)))
        st.plotly_chart(data.figure(charts.compare_trend, series, "puas", lang, roles, labels,
                                    target=targets.TARGETS["satisfaction"]),
                        config=plot_config, key="chart_satisfaction")
    with st.container(border=True):
        st.subheader(tr("profile.q_spending", name=place_name(region)))
        st.caption(tr("profile.spending_caption"))
        components = frame.q(spending.spending, ("komponen",))
        st.plotly_chart(data.figure(charts.spending_by_component, components, lang), config=plot_config,
                        key="chart_spending")
        frame.chart_table(components, ["komponen", "alokasi_rp", "realisasi_rp", "persen_serapan"],
                          f"anggaran-{region}", "spending")
else:
    st.info(tr("profile.desa_note"), icon=":material/info:")

footer(frame)
