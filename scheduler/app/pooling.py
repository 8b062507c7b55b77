"""What the 区域协同 Pooling page shows, kept free of Streamlit so it can be tested.

The policies a user may pick (each city alone, every city pooled, groups typed as
``郑州,开封;洛阳``), the table per policy and the table per city and policy (titles a
month, priority, cost, set utilisation, idle set-days, crews), the metric cards and
the dividend in words, and the report's download. Comparisons are planned in the
background by :mod:`scheduler.services.pooling_jobs`.
"""

from __future__ import annotations

import json
from typing import NamedTuple

import pandas as pd

from scheduler.domain import figures
from scheduler.domain.model import Scenario
from scheduler.domain.money import format_cny
from scheduler.domain.pooling import parse_groups, policy_groups
from scheduler.domain.sweep import ALONE, POOLED, PoolingPolicy
from scheduler.services.pooling import PoolingReport, policy_label

__all__ = [
    "CITY_COLUMNS",
    "POLICY_COLUMNS",
    "MetricCard",
    "chosen_policies",
    "city_table",
    "dividend_text",
    "metric_cards",
    "one_city_note",
    "policy_table",
    "report_file_name",
    "report_json",
]

POLICY_COLUMNS = (
    "协同方式 policy",
    "已排剧目 scheduled titles",
    "每月剧目 titles / month",
    "总优先级 priority",
    "成本（万元）cost",
    "场景利用率 set use",
    "闲置棚天 idle set-days",
    "状态 status",
)
"""The table per policy, Chinese first."""

CITY_COLUMNS = (
    "城市 city",
    "协同方式 policy",
    "剧目 titles",
    "每月剧目 titles / month",
    "优先级 priority",
    "成本（万元）cost",
    "场景利用率 set use",
    "闲置棚天 idle set-days",
    "用到剧组 crews",
    "外地剧组 crews from elsewhere",
)
"""The table per city and policy, Chinese first."""

WAN = 10_000


def chosen_policies(
    scenario: Scenario, alone: bool, pooled: bool, groups_text: str
) -> tuple[tuple[PoolingPolicy, ...], list[str]]:
    """The policies the page's inputs ask for, or the problems that stop planning them.

    ``groups_text`` (blank: none) is one more policy, groups of cities typed as
    ``郑州,开封;洛阳``; each problem names what is wrong, Chinese first.
    """
    policies: list[PoolingPolicy] = []
    problems: list[str] = []
    if alone:
        policies.append(ALONE)
    if groups_text.strip():
        groups = parse_groups(groups_text)
        try:
            policy_groups(scenario, groups)
        except ValueError as error:
            problems.append(f"城市分组 groups：{error}")
        else:
            policies.append(groups)
    if pooled:
        policies.append(POOLED)
    if not policies and not problems:
        problems.append("请至少选一种协同方式 / pick at least one policy")
    return tuple(policies), problems


def one_city_note(scenario: Scenario) -> str:
    """A note when every base is in one city (then every policy is the same), else blank."""
    if len(scenario.cities) > 1:
        return ""
    city = scenario.cities[0] if scenario.cities else "–"
    return (
        f"所有基地都在{city}：各城独立与区域协同是同一个问题，结果只差求解波动。"
        f" / Every base is in {city}: the policies plan the same question."
    )


def _status(report: PoolingReport, name: str) -> str:
    result = report.policies[name]
    if not result.ok:
        return "未通过检查 not checked"
    return {"optimal": "已证最优 optimal", "feasible": "可行 feasible"}.get(
        result.outcome.status.value, result.outcome.status.value
    )


def policy_table(report: PoolingReport) -> pd.DataFrame:
    """One row per policy planned, in the order asked."""
    rows = [
        (
            policy_label(name),
            result.scheduled_titles,
            result.titles_per_30_days,
            result.priority_scheduled,
            round(result.cost / WAN, 1),
            figures.percent(result.set_utilisation),
            result.idle_set_days,
            _status(report, name),
        )
        for name, result in report.policies.items()
    ]
    return pd.DataFrame(rows, columns=list(POLICY_COLUMNS))


def city_table(report: PoolingReport) -> pd.DataFrame:
    """One row per city and policy: cities in order, each with every policy planned."""
    rows = []
    for city in report.cities:
        for name, result in report.policies.items():
            figures_of = {c.city: c for c in result.by_city}
            found = figures_of.get(city)
            if found is None:
                continue
            rows.append(
                (
                    city,
                    policy_label(name),
                    found.titles,
                    found.titles_per_30_days,
                    found.priority,
                    round(found.cost / WAN, 1),
                    figures.percent(found.set_utilisation),
                    found.idle_set_days,
                    found.crews_used,
                    found.crews_from_elsewhere,
                )
            )
    return pd.DataFrame(rows, columns=list(CITY_COLUMNS))


class MetricCard(NamedTuple):
    """One card above the tables: label, value, the note under it and its help."""

    label: str
    value: str
    note: str
    help: str


def metric_cards(report: PoolingReport) -> list[MetricCard]:
    """The dividend of pooling over the cities alone: titles a month, share, priority, cost.

    Empty when the report lacks one of the two policies.
    """
    dividend = report.dividend
    if dividend is None:
        return []
    alone, pooled = report.policies[ALONE], report.policies[POOLED]
    share = "–" if dividend.share is None else f"{dividend.share:+.1%}"
    return [
        MetricCard(
            "每月多排 extra titles / month",
            f"{dividend.titles_per_month:+g} 部",
            f"各城独立 {alone.titles_per_30_days:g} → 区域协同 {pooled.titles_per_30_days:g}",
            "区域协同比各城独立每月多排完的剧目数（按 30 天折算）/ titles a month, pooled − alone",
        ),
        MetricCard(
            "相对增幅 share",
            share,
            "相对各城独立每月剧目数",
            "多排的剧目占各城独立每月剧目数的比例 / the gain as a share of alone",
        ),
        MetricCard(
            "总优先级 priority",
            f"{dividend.priority:+,}",
            f"{alone.priority_scheduled:,} → {pooled.priority_scheduled:,}",
            "排进剧目的优先级之和之差 / Σ priority, pooled − alone",
        ),
        MetricCard(
            "成本 cost",
            ("+" if dividend.cost > 0 else "−" if dividend.cost < 0 else "±")
            + format_cny(abs(dividend.cost)),
            f"{format_cny(alone.cost)} → {format_cny(pooled.cost)}",
            "场景、剧组、演员日价之和之差 / cost, pooled − alone",
        ),
    ]


def dividend_text(report: PoolingReport) -> str:
    """The dividend in words, or what is missing to state one."""
    sentence = report.dividend_sentence()
    if sentence:
        return sentence
    if report.stopped:
        return (
            "规划被停止，两种方式没有都排完，算不出协同红利。"
            " / Stopped before both policies were planned: no dividend."
        )
    return (
        "选上「各城独立」和「区域协同」两种方式，才能算协同红利。"
        " / Plan both alone and pooled to see the dividend."
    )


def report_json(report: PoolingReport) -> str:
    """The report as the command line's ``--out`` writes it."""
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"


def report_file_name(scenario: Scenario) -> str:
    """``区域协同_<scenario name>.json``, without characters a file name cannot hold."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in scenario.name)
    return f"区域协同_{safe}.json"
