"""Check a visitor's file against the data contract: read in memory, report, never stored, never imported."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import importer
from ..importer import EXAMPLE_FILE, TEMPLATE_FILE
from .frame import Frame

MAX_MB = 25


def template_downloads(frame: Frame) -> None:
    folder = importer.config.REPO_DIR / "data" / "templates"
    row = st.container(horizontal=True)
    for key, name in (("methods.upload.template", TEMPLATE_FILE), ("methods.upload.example", EXAMPLE_FILE)):
        path = folder / name
        if path.exists():
            row.download_button(frame.t(key), data=path.read_bytes(), file_name=name, key=f"dl_{name}",
                                on_click="ignore", icon=":material/download:",
                                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def upload_checker(frame: Frame) -> None:
    st.subheader(frame.t("methods.upload.title"))
    st.caption(frame.t("methods.upload.help", mb=MAX_MB))
    template_downloads(frame)
    upload = st.file_uploader(frame.t("methods.upload.label"), type=["csv", "xlsx"], key="upload_check")
    if upload is None:
        return
    content = upload.getvalue()
    if len(content) > MAX_MB * 1024 * 1024:
        st.error(frame.t("methods.upload.too_big", mb=MAX_MB))
        return
    report = importer.upload_report(upload.name, content)
    rows = [
        {frame.t("methods.upload.col.kind"): frame.t(f"methods.upload.{kind}"),
         frame.t("methods.upload.col.where"): f"{p.file}" + (f", {p.row}" if p.row is not None else ""),
         frame.t("methods.upload.col.column"): p.column or "",
         frame.t("methods.upload.col.message"): p.message}
        for kind, problems in (("problem", report.problems), ("warning", report.warnings)) for p in problems
    ]
    if report.ok:
        st.success(frame.t("methods.upload.ok", n=len(report.warnings)), icon=":material/check_circle:")
    else:
        st.error(frame.t("methods.upload.failed", n=len(report.problems)), icon=":material/error:")
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, key="upload_report")
