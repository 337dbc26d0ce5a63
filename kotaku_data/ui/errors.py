"""The clear page shown instead of a stack trace when a data file is missing or damaged."""

from __future__ import annotations

import streamlit as st

from ..data.db import DataError
from ..i18n import normalize_lang, t

RESTORE_COMMANDS = "python -m kotaku_data restore\npython -m kotaku_data generate"


def _code_span(text: str, limit: int = 300) -> str:
    """`text` as a Markdown code span: paths keep their underscores, nothing in it is rendered as Markdown."""
    return "`" + text.replace("`", "'").replace("\n", " ")[:limit] + "`"


def data_error_page(exc: DataError, lang: str | None = None, title: bool = False) -> None:
    """The clear page for a missing or damaged data file: which file, what is wrong, the commands that restore
    or rebuild it. Never a stack trace. Stops the run."""
    lang = lang or normalize_lang(st.query_params.get("lang"))
    if title:
        st.title(t("app.title", lang))
    if exc.detail == "file is missing":
        message = t("error.data_missing", lang, path=_code_span(str(exc.path)))
    else:
        message = t("error.data_invalid", lang, file=_code_span(str(exc.path)), detail=_code_span(exc.detail))
    st.error(message, icon=":material/database:")
    st.markdown(t("error.data_fix", lang))
    st.code(RESTORE_COMMANDS, language="bash")
    st.stop()
