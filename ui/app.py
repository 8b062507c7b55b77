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

# Not "pages": Streamlit would take a folder of that name for the old multipage layout
# and run a page file alone on a deep link (/plan) to a fresh server, without this file.
PAGES = Path(__file__).resolve().parent / "views"

# (file, title, icon, url path); Material icons are drawn without an emoji font
SCREENS = (
    ("scenarios.py", "场景 Scenarios", ":material/folder_open:", "scenarios"),
    ("inputs.py", "输入 Inputs", ":material/edit_note:", "inputs"),
    ("plan.py", "排期 Plan", ":material/calendar_month:", "plan"),
    ("stripboard.py", "顺场表 Stripboard", ":material/view_agenda:", "stripboard"),
    ("utilisation.py", "产能 Utilisation", ":material/monitoring:", "utilisation"),
    ("base.py", "基地视图 Base manager", ":material/warehouse:", "base"),
    ("capacity.py", "产能规划 Capacity planning", ":material/factory:", "capacity"),
    ("pooling.py", "区域协同 Pooling", ":material/hub:", "pooling"),
    ("whatif.py", "对比 What-if", ":material/compare_arrows:", "whatif"),
    ("sweep.py", "批量推演 Sweeps", ":material/stacked_line_chart:", "sweep"),
    ("export.py", "导出 Export", ":material/download:", "export"),
)

# Streamlit runs this file as __main__. A solve's LP bound starts a child process with
# "spawn", which re-runs __main__'s file as __mp_main__: the child needs none of the app (it
# would open the database and draw the first page in bare mode), so nothing runs there.
if __name__ != "__mp_main__":
    st.set_page_config(
        page_title="ShootPlan 短剧排期", page_icon=":material/movie:", layout="wide"
    )
    navigation = st.navigation(
        [
            st.Page(PAGES / file, title=title, icon=icon, url_path=path, default=number == 0)
            for number, (file, title, icon, path) in enumerate(SCREENS)
        ]
    )
    navigation.run()
