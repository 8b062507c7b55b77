"""Index the set → base and need → title foreign keys.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

Saving a scenario deletes its titles and bases; PostgreSQL then looks up the
rows that refer to each one. Without these indexes that look-up scans every
need (or set) of the scenario, and saving a 4,000-title scenario took 3 s.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_title_need_scenario_id_title_id", "title_need", ["scenario_id", "title_id"]
    )
    op.create_index("ix_film_set_scenario_id_base_id", "film_set", ["scenario_id", "base_id"])


def downgrade() -> None:
    op.drop_index("ix_film_set_scenario_id_base_id", table_name="film_set")
    op.drop_index("ix_title_need_scenario_id_title_id", table_name="title_need")
