"""场景 Scenarios: the scenarios stored in the database."""

from __future__ import annotations

import streamlit as st

from scheduler.app_support import scenario_rows
from ui.resources import scenario_store

st.title("场景 Scenarios")

store = scenario_store()
rows = scenario_rows(store.list())
if rows:
    st.dataframe(rows, hide_index=True)
else:
    st.info(
        "还没有保存的场景。用 `python -m scheduler db import 场景文件夹` 导入一个。\n\n"
        "No scenarios stored yet. Import one with `python -m scheduler db import FOLDER`."
    )
st.caption(f"数据库 / database: {store.engine.url.render_as_string(hide_password=True)}")
