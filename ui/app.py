"""ShootPlan 短剧排期 — the app's entry: page setup and navigation only.

Run from the repository root: ``streamlit run ui/app.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run` puts ui/ on the path, not the repository root that holds scheduler/.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

PAGES = Path(__file__).resolve().parent / "pages"

st.set_page_config(page_title="ShootPlan 短剧排期", page_icon="🎬", layout="wide")

navigation = st.navigation(
    [
        st.Page(PAGES / "scenarios.py", title="场景 Scenarios", icon="📋", default=True),
        st.Page(PAGES / "inputs.py", title="输入 Inputs", icon="✏️", url_path="inputs"),
        st.Page(PAGES / "plan.py", title="排期 Plan", icon="🗓️", url_path="plan"),
        st.Page(
            PAGES / "utilisation.py", title="产能 Utilisation", icon="📊", url_path="utilisation"
        ),
        st.Page(PAGES / "whatif.py", title="对比 What-if", icon="⚖️", url_path="whatif"),
        st.Page(PAGES / "export.py", title="导出 Export", icon="📤", url_path="export"),
    ]
)
navigation.run()
