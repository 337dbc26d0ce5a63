"""The reference page of bench/pages.py: a minimal Streamlit page with two Plotly charts and a table.

The dashboard's pages are timed in the browser next to this page, on a server of its own, in the same run: the
ratio of the two says how much the dashboard adds to what any Streamlit page with charts costs on that machine.
"""
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="Minimal page", layout="wide")

years = list(range(2015, 2025))
df = pd.DataFrame({"tahun": years,
                   "luas_ha": [38431 - 3200 * i for i in range(len(years))],
                   "realisasi_rp_miliar": [120 + 35 * (i % 4) for i in range(len(years))]})

st.title("Minimal page")
left, right = st.columns(2)
with left:
    st.plotly_chart(go.Figure(go.Scatter(x=df["tahun"], y=df["luas_ha"], mode="lines+markers")), key="line")
with right:
    st.plotly_chart(go.Figure(go.Bar(x=df["tahun"], y=df["realisasi_rp_miliar"])), key="bar")
st.dataframe(df, hide_index=True)
