"""Times shown to people: Beijing time unless ``SHOOTPLAN_TZ`` says otherwise.

Everything is stored in UTC; servers often run on UTC; the producers read Beijing time.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def display_timezone() -> tzinfo:
    """Time zone for times shown to people: ``SHOOTPLAN_TZ``, default 北京时间 (Asia/Shanghai).

    Servers often run on UTC; the producers read Beijing time.
    """
    name = os.environ.get("SHOOTPLAN_TZ", "Asia/Shanghai")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone(timedelta(hours=8), "UTC+8")


def local_time(moment: datetime) -> str:
    """``moment`` as ``YYYY-MM-DD HH:MM`` in the display time zone."""
    return f"{moment.astimezone(display_timezone()):%Y-%m-%d %H:%M}"


def local_today() -> date:
    """Today's date in the display time zone: the producers' today, not the server's."""
    return datetime.now(display_timezone()).date()
