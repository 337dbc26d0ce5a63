"""Placeholder overview; replaced by the real overview page (issue 3)."""
import streamlit as st

st.set_page_config(page_title="KOTAKU", layout="wide")
st.title("KOTAKU")
