"""Data & Methods: where every number comes from, how the status is decided, and what KOTAKU is. Layout only."""
from __future__ import annotations

import streamlit as st

from kotaku_data import charts, config, targets
from kotaku_data.build.reference import PUBLISHED_FILES
from kotaku_data.data import schema
from kotaku_data.i18n import fmt_date, fmt_ha, fmt_int, fmt_pct, label
from kotaku_data.queries import published
from kotaku_data.ui import data
from kotaku_data.ui.frame import footer, header, start
from kotaku_data.ui.upload import upload_checker

FAQ_URL = "http://kotaku.pu.go.id/view/6991/faq-tentang-kotaku"

frame = start("methods")
lang, tr = frame.lang, frame.t
header(frame, illustrative=False)
version, manifest = data.manifest()
kind = manifest.get("kind", "illustrative")

about, indicators, illustrative, sources, dictionary, version_tab = st.tabs([
    tr("methods.tab.about"), tr("methods.tab.indicators"), tr("methods.tab.illustrative"),
    tr("methods.tab.sources"), tr("methods.tab.dictionary"), tr("methods.tab.version"),
])

# --- About KOTAKU (for presenters) -------------------------------------------------------------------------
with about:
    st.header(tr("methods.about.title"))
    st.markdown(tr("methods.about.goal", target=fmt_ha(config.TARGET_HA, lang, 0),
                   prov=fmt_int(config.N_PROVINCES, lang), kab=fmt_int(config.N_KABKOTA, lang),
                   desa=fmt_int(config.N_DESA, lang)))
    left, right = st.columns(2)
    with left:
        st.subheader(tr("methods.about.principles"))
        st.markdown("\n".join(f"{i}. {tr(f'methods.principle.{i}')}" for i in range(1, 8)))
        st.subheader(tr("methods.about.locations"))
        st.markdown("\n".join(f"- **{label('tipe', c, lang)}**: {tr(f'methods.location.{c}')}"
                              for c in config.LOCATION_TYPES))
    with right:
        st.subheader(tr("methods.about.components"))
        st.markdown("\n".join(f"{c}. {label('component', c, lang)}" for c in config.COMPONENTS))
        st.subheader(tr("methods.about.targets"))
        st.markdown("\n".join(f"{i}. **{tr(f'indicator.{i}.name')}**" for i in range(1, 5)))
        st.markdown(tr("methods.about.targets_text", target=fmt_ha(config.TARGET_HA, lang, 0)))
    st.link_button(tr("methods.about.source"), FAQ_URL, icon=":material/open_in_new:", help=FAQ_URL)

# --- indicator definitions and the status rule -------------------------------------------------------------
with indicators:
    st.header(tr("methods.indicators.title"))
    for i in range(1, 5):
        with st.container(border=True):
            st.markdown(f"**{i}. {tr(f'indicator.{i}.name')}**")
            st.write(tr(f"indicator.{i}.definition"))
            st.caption(tr(f"methods.measure.{i}"))
    st.subheader(tr("methods.status.title"))
    st.markdown(tr("methods.status.rule", on_track=fmt_pct(100 * targets.STATUS_ON_TRACK, lang, 0),
                   at_risk=fmt_pct(100 * targets.STATUS_AT_RISK, lang, 0), first=str(config.FIRST_YEAR),
                   last=str(config.LAST_YEAR)))
    row = st.container(horizontal=True)
    with row:
        for code in ("on_track", "at_risk", "off_track"):
            frame.status(code)
    st.dataframe(data.table(charts.targets_table, targets.TARGETS, lang), hide_index=True, key="targets")
    st.info(tr("methods.status.working_targets", target=fmt_ha(config.TARGET_HA, lang, 0)),
            icon=":material/info:")

# --- the illustrative data: how it is made, how to replace it ---------------------------------------------
with illustrative:
    st.header(tr("methods.illustrative.title"))
    frame.illustrative_badge()
    st.markdown(tr("methods.illustrative.why"))
    st.markdown(tr("methods.illustrative.how", prov=fmt_int(config.N_PROVINCES, lang),
                   kab=fmt_int(config.N_KABKOTA, lang), desa=fmt_int(config.N_DESA, lang),
                   target=fmt_ha(config.TARGET_HA, lang, 0),
                   reduced=fmt_ha(config.PUBLISHED_REDUCED_2019_HA, lang, 0),
                   seed=str(manifest.get("seed", "–"))))
    st.subheader(tr("methods.replace.title"))
    st.markdown(tr("methods.replace.text"))
    st.dataframe(data.table(charts.contract_table, schema.TABLES, lang), hide_index=True, key="contract")
    st.code("python -m kotaku_data validate path/to/data\n"
            f"python -m kotaku_data import path/to/export.xlsx --dry-run   # {tr('methods.replace.dry_run')}\n"
            f"python -m kotaku_data import path/to/export.xlsx   # {tr('methods.replace.import')}\n"
            f"python -m kotaku_data restore   # {tr('methods.replace.restore')}\n"
            f"python -m kotaku_data generate   # {tr('methods.replace.regenerate')}", language="bash")
    upload_checker(frame)

# --- sources of every published figure ------------------------------------------------------------------
with sources:
    st.header(tr("methods.sources.title"))
    st.badge(tr("published.label"), icon=":material/verified:", color="blue")
    st.caption(tr("methods.sources.caption"))
    for file in PUBLISHED_FILES:
        name = file.removesuffix(".csv")
        table = frame.q_all(published.published_table, name)
        with st.expander(tr(f"methods.source.{name}") + f" · {fmt_int(len(table), lang)} " + tr("methods.rows_unit"),
                         expanded=name == "kotaku_national_slum_reduction"):
            st.caption(tr(f"methods.source_note.{name}"))
            shown = data.table(charts.published_display, table, lang)
            st.dataframe(shown, hide_index=True, key=f"pub_{name}",
                         column_config={tr("published.source"): st.column_config.LinkColumn()})
            frame.download(shown, f"sumber-{name}", key=f"pub_{name}")

# --- data dictionary ----------------------------------------------------------------------------------------
with dictionary:
    st.header(tr("methods.dd.title"))
    st.caption(tr("methods.dd.caption"))
    dd = data.table(charts.data_dictionary_table, schema.data_dictionary(), lang)
    st.dataframe(dd, hide_index=True, key="data_dictionary")
    frame.download(dd, "kamus-data", key="data_dictionary")

# --- data version and map attribution -----------------------------------------------------------------------
with version_tab:
    st.header(tr("methods.version.title"))
    when = manifest.get("generated_at") or manifest.get("imported_at")
    st.markdown(f"- **{tr('methods.version.version')}:** `{version}`\n"
                f"- **{tr('methods.version.kind')}:** {tr(f'footer.kind.{kind}')}\n"
                f"- **{tr('methods.version.date')}:** {fmt_date(when[:10], lang) if when else '–'}")
    st.caption(tr("methods.version.source", source=str(manifest.get("source", "–")),
                  schema=str(manifest.get("schema_version", "–"))))
    st.dataframe(data.table(charts.manifest_table, manifest, lang), hide_index=True, key="manifest")
    st.subheader(tr("methods.attribution.title"))
    st.text(frame.q_all(published.map_attribution))

footer(frame)
