"""Publications (the shoots sent out to crews, kept as sent) and a re-plan's change list.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

``publication`` holds who published which plan of a scenario up to which date,
and when; ``published_shoot`` a copy of each shoot published, so the record
stays as sent whatever happens to the plan later (deleting the plan only
clears ``publication.plan_id``). ``plan.changes`` keeps a re-plan's change
list (变更单) with the plan; it is ``NULL`` for the plans stored before, which
were not re-plans with a stored change list.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("plan", sa.Column("changes", sa.JSON(), nullable=True))
    op.create_table(
        "publication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("plan_label", sa.String(), nullable=False),
        sa.Column("scenario_version", sa.Integer(), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("published_by", sa.String(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_publication"),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenario.id"],
            name="fk_publication_scenario_id_scenario",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name="fk_publication_plan_id_plan", ondelete="SET NULL"
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_publication_scenario_id", "publication", ["scenario_id"])
    op.create_index("ix_publication_plan_id", "publication", ["plan_id"])
    op.create_table(
        "published_shoot",
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("title_id", sa.String(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("base_id", sa.String(), nullable=False),
        sa.Column("set_id", sa.String(), nullable=False),
        sa.Column("crew_id", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("publication_id", "title_id", "date", name="pk_published_shoot"),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publication.id"],
            name="fk_published_shoot_publication_id_publication",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    op.drop_table("published_shoot")
    op.drop_index("ix_publication_plan_id", table_name="publication")
    op.drop_index("ix_publication_scenario_id", table_name="publication")
    op.drop_table("publication")
    with op.batch_alter_table("plan") as batch:
        batch.drop_column("changes")
