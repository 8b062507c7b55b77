"""Pinned scene orders: a pin may fix the order in which its title shoots its scenes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08

``pin.scene_order`` lists the title's scene ids in pinned shooting order (pins.csv's
``scene_order``); the pins stored before fixed no order and hold the empty list.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("pin", sa.Column("scene_order", sa.JSON(), server_default="[]", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("pin") as batch:
        batch.drop_column("scene_order")
