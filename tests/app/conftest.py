"""Streamlit AppTest runs: the repository on sys.path, and Streamlit caches cleared before every test so each
test sees a fresh server (as after a restart)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import streamlit as st

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
