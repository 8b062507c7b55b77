"""Amounts of money as a producer reads them (the app, the reports and the exports)."""

from __future__ import annotations


def format_cny(amount: float) -> str:
    """An amount of CNY as people read it: ``"¥8,500"`` below 1万, else ``"123.4 万元"``."""
    if abs(amount) < 10_000:
        return f"¥{amount:,.0f}"
    return f"{amount / 10_000:,.1f} 万元"
