"""输入 Inputs.

Every table of the current scenario, editable, saved as one transaction with the version check.
"""

from __future__ import annotations

import streamlit as st

from ui.current import pick_scenario

st.title("输入 Inputs")
current = pick_scenario()
st.info("建设中 / under construction")
