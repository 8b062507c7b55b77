"""ShootPlan 短剧排期 — the app's entry: page setup, the login gate and navigation only.

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

from scheduler.app.access import ALL_SCREENS, USERS, home_for, screens_for  # noqa: E402
from ui import login  # noqa: E402
from ui.resources import scenario_store  # noqa: E402

# Not "pages": Streamlit would take a folder of that name for the old multipage layout
# and run a page file alone on a deep link (/plan) to a fresh server, without this file.
PAGES = Path(__file__).resolve().parent / "views"

# Streamlit runs this file as __main__. A solve's LP bound starts a child process with
# "spawn", which re-runs __main__'s file as __mp_main__: the child needs none of the app (it
# would open the database and draw the first page in bare mode), so nothing runs there.
if __name__ != "__mp_main__":
    st.set_page_config(
        page_title="ShootPlan 短剧排期", page_icon=":material/movie:", layout="wide"
    )
    account = login.session_account(scenario_store())
    if account is None:
        # The login form alone: no menu, and no page of the app can run. It answers at every
        # screen's address too, so a bookmark (/plan) shows the form rather than "page not
        # found"; Streamlit names a page by its address, so once logged in the rerun opens
        # that screen if the role sees it (else the role's home).
        st.navigation(
            [st.Page(login.login_screen, title="登录 Log in", url_path="login", default=True)]
            + [
                st.Page(login.login_screen, title="登录 Log in", url_path=screen.url_path)
                for screen in ALL_SCREENS
            ],
            position="hidden",
        ).run()
    else:
        # Only the role's screens are given to Streamlit: a link to any other (a bookmark,
        # switch_page) opens the role's home screen instead, so that page never runs.
        home = home_for(account.role)
        pages = {
            screen: st.Page(
                PAGES / screen.file,
                title=screen.title,
                icon=screen.icon,
                url_path=screen.url_path,
                default=screen == home,
            )
            for screen in screens_for(account.role)
        }
        login.sidebar(account, pages.get(USERS))
        # expanded: Streamlit folds a menu of more than ten pages behind "View more"
        st.navigation(list(pages.values()), expanded=True).run()
