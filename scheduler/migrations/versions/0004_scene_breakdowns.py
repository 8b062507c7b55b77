"""Scene breakdowns: a title's scenes, a scenario's working minutes a day, a shoot's scenes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07

``scene`` holds scenes.csv, one row per scene in file order (``position``), under
its title. ``scenario.day_minutes`` is scenario.toml's ``day_minutes``; the
scenarios stored before had no scenes and take the default, 720.
``plan_shoot.scenes`` and ``published_shoot.scenes`` list the scene ids shot that
day, in shooting order (plan.csv's ``scenes``); the shoots stored before had none
and hold the empty list.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "scenario",
        sa.Column("day_minutes", sa.Integer(), server_default="720", nullable=False),
    )
    op.create_table(
        "scene",
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title_id", sa.String(), nullable=False),
        sa.Column("scene_id", sa.String(), nullable=False),
        sa.Column("set_type", sa.String(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("cast", sa.JSON(), nullable=False),
        sa.Column("day_night", sa.String(), nullable=False),
        sa.Column("int_ext", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("scenario_id", "position", name="pk_scene"),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenario.id"],
            name="fk_scene_scenario_id_scenario",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["scenario_id", "title_id"],
            ["title.scenario_id", "title.title_id"],
            name="fk_scene_scenario_id_title_id_title",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_scene_scenario_id_title_id", "scene", ["scenario_id", "title_id"])
    for table in ("plan_shoot", "published_shoot"):
        op.add_column(table, sa.Column("scenes", sa.JSON(), server_default="[]", nullable=False))


def downgrade() -> None:
    for table in ("published_shoot", "plan_shoot"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("scenes")
    op.drop_index("ix_scene_scenario_id_title_id", table_name="scene")
    op.drop_table("scene")
    with op.batch_alter_table("scenario") as batch:
        batch.drop_column("day_minutes")
