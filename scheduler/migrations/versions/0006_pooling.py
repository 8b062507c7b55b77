"""Pooling (区域协同): actors' home cities and the groups of cities that share crews and actors.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-15

``actor.home_city`` is actors.csv's ``home_city`` (blank: the actor works in any
city); ``scenario.pooling`` is scenario.toml's ``[pooling]`` as groups of cities
(the empty list: every city shares crews and actors, as every scenario stored
before did).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("actor", sa.Column("home_city", sa.String(), server_default="", nullable=False))
    op.add_column("scenario", sa.Column("pooling", sa.JSON(), server_default="[]", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("scenario") as batch:
        batch.drop_column("pooling")
    with op.batch_alter_table("actor") as batch:
        batch.drop_column("home_city")
