"""Fixtures every test module may ask for by name."""

from __future__ import annotations

from tests.app_pages import tutorial_db

__all__ = ["tutorial_db"]
