"""对比 What-if.

Two or more plans side by side: KPI deltas, changed titles, utilisation by base.
"""

from __future__ import annotations

import streamlit as st

from ui.current import pick_scenario

st.title("对比 What-if")
current = pick_scenario()
st.info("建设中 / under construction")
