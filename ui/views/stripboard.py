"""顺场表 Stripboard.

A title's scenes as strips, one per scene, grouped into its shoot days: the plan's order and
dates when a plan schedules it, else the pinned order, else the sequencer's cheapest.
重新排序 shows the cheapest order beside it with both costs; 锁定此顺序 pins the order shown
for the next solve (pins.csv ``scene_order``), 取消锁定 frees it: a ``save`` of the signed-in
user, checked on the server and audited (greyed out for a role that may not). The rows come
from :mod:`scheduler.app.stripboard`, the orders from :mod:`scheduler.services.sequencing`.
"""

from __future__ import annotations

import streamlit as st

from scheduler.app import stripboard
from scheduler.app.text import markdown_text as md
from scheduler.domain.accounts import Account, Action
from scheduler.domain.model import Scenario
from scheduler.services.pinning import PinError, pin_scene_order, unpin_scene_order
from scheduler.services.scenarios import save_scenario
from scheduler.services.sequencing import TitleOrders, title_orders
from ui.actions import ACTION_ERRORS, allowed, show_error
from ui.current import Current, pick_plan, pick_scenario, user

FLASH_KEY = "stripboard_flash"  # a message that survives the rerun after a pin is saved
RESEQUENCED_KEY = "stripboard_resequenced"  # (scenario id, title id) whose cheapest is shown
SHOW_CHEAPEST = "最省顺序 cheapest"
SHOW_CURRENT = "当前顺序 current"


@st.cache_data(show_spinner="排序中 / sequencing…", max_entries=64)
def cheapest_orders(
    _scenario: Scenario, scenario_id: int, version: int, title_id: str
) -> TitleOrders:
    """The sequencer's orders of the title (cached per scenario version)."""
    return title_orders(_scenario, title_id)


def save_pins(current: Current, account: Account, scenario: Scenario, message: str) -> None:
    """Store the scenario with its changed pins as ``account`` (version check); rerun on
    success. The message is also what the audit row says changed."""
    try:
        save_scenario(
            current.store, account, current.info.scenario_id, scenario, current.version, message
        )
    except ACTION_ERRORS as error:  # saved by someone else in between: nothing saved
        show_error(error)
        return
    st.session_state[FLASH_KEY] = message
    st.rerun()


st.title("顺场表 Stripboard")
account = user()
current = pick_scenario()
if current is None:
    st.info("还没有场景：请先在「场景 Scenarios」页导入。/ No scenario yet: import one first.")
    st.stop()
scenario = current.scenario
chosen = pick_plan(current, "方案 Plan（显示其拍摄日和日期）")
plan = chosen.plan if chosen is not None else None
plan_id = chosen.info.plan_id if chosen is not None else None
choices = stripboard.title_choices(scenario, plan)
if not choices:
    st.info(
        "这个场景没有录入场次的剧目：在「输入 Inputs」页的场次表（scenes）录入后再来。"
        " / No title of this scenario has scenes."
    )
    st.stop()
if chosen is None:
    st.caption(
        "还没有排期方案：按求解器算出的最省顺序显示，不带日期。"
        " / No plan yet: the sequencer's cheapest order, undated."
    )

flash = st.session_state.pop(FLASH_KEY, None)
if isinstance(flash, str):
    st.success(md(flash))

title_id = st.selectbox(
    "剧目 Title", list(choices), format_func=choices.__getitem__, key="stripboard_title"
)
orders = cheapest_orders(scenario, current.info.scenario_id, current.version, title_id)
shown = stripboard.shown_order(scenario, title_id, plan, orders.cheapest.scene_ids, plan_id)
board = stripboard.stripboard(scenario, title_id, shown.days)
if shown.note:
    st.info(md(f"{shown.note}；显示{stripboard.source_text(shown, plan_id)}。"))

here = (current.info.scenario_id, title_id)
if st.button("重新排序 Re-sequence", icon=":material/swap_vert:", key="stripboard_resequence"):
    st.session_state[RESEQUENCED_KEY] = here
if st.session_state.get(RESEQUENCED_KEY) == here:
    cheapest = stripboard.stripboard(
        scenario, title_id, stripboard.order_days(scenario, title_id, orders.cheapest.scene_ids)
    )
    comparison = stripboard.compare(board, cheapest.cost, orders.proven, orders.lower_bound)
    left, right = st.columns(2)
    left.metric(
        f"当前顺序 Current（{stripboard.source_word(shown, plan_id)}）", f"¥{comparison.current:,}"
    )
    right.metric(
        f"最省顺序 Cheapest（{comparison.proof_text}）",
        f"¥{comparison.cheapest:,}",
        delta=f"-¥{comparison.saving:,}" if comparison.saving else None,
        delta_color="inverse",
    )
    st.caption(md(comparison.verdict))
    view = st.radio(
        "显示 Show", [SHOW_CURRENT, SHOW_CHEAPEST], horizontal=True, key="stripboard_view"
    )
    if view == SHOW_CHEAPEST:
        board = cheapest

pinned = stripboard.pinned_order(scenario, title_id)
st.caption(md(stripboard.board_caption(board, shown, plan_id)))
pin_row = st.container(horizontal=True, vertical_alignment="center")
if pin_row.button(
    "锁定此顺序 Pin this order",
    icon=":material/push_pin:",
    key="stripboard_pin",
    **allowed(Action.SAVE, account=account, disabled=board.scene_order == pinned),
):
    try:
        changed = pin_scene_order(scenario, title_id, board.scene_order)
    except PinError as error:
        st.error(md(str(error)))
    else:
        save_pins(
            current,
            account,
            changed,
            f"已锁定 {choices[title_id]} 的场次顺序，下次排期按此顺序拍",
        )
if pin_row.button(
    "取消锁定 Unpin",
    icon=":material/close:",
    key="stripboard_unpin",
    **allowed(Action.SAVE, account=account, disabled=not pinned),
):
    save_pins(
        current,
        account,
        unpin_scene_order(scenario, title_id),
        f"已取消锁定 {title_id} 的场次顺序",
    )
pin_row.caption(md(stripboard.pin_text(pinned, board.scene_order)))

st.html(stripboard.board_html(board))

with st.expander(f"求解器可选的顺序 Orders the solver chooses among（{len(orders.slate)}）"):
    st.dataframe(
        stripboard.orders_table(
            scenario, title_id, [(order.scene_ids, order.cost) for order in orders.slate]
        ),
        hide_index=True,
    )
    if orders.more:
        st.caption("另有更多顺序，都不比最省顺序省 / more orders exist, none cheaper")
    if pinned:
        st.caption("已锁定顺序：下次排期只用锁定的顺序 / pinned: the next solve uses that order")
