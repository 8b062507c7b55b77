"""排期 Plan.

Solve with a live progress line and a stop button; Gantt charts; unscheduled titles; pins.
"""

from __future__ import annotations

import streamlit as st

from ui.current import pick_scenario

st.title("排期 Plan")
current = pick_scenario()
st.info("建设中 / under construction")
