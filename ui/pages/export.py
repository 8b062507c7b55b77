"""导出 Export: the plan as CSV and .xlsx, per-crew daily schedules and per-base booking sheets."""

from __future__ import annotations

import streamlit as st

from ui.current import pick_scenario

st.title("导出 Export")
current = pick_scenario()
st.info("建设中 / under construction")
