"""产能 Utilisation.

KPI cards against the targets, heatmaps, idle set-days, the base manager's view.
"""

from __future__ import annotations

import streamlit as st

from ui.current import pick_scenario

st.title("产能 Utilisation")
current = pick_scenario()
st.info("建设中 / under construction")
