"""Sweeps: a base scenario's variants planned with several seeds, and each run's outcome.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-15

``sweep`` holds a sweep as it was run (its TOML text, the base scenario it varied)
and its state; ``sweep_run`` one row per variant and seed: its state, the
variant's stored scenario, the run's stored plan once done, the error of a
failed run, and its seconds (solve, wall, and the overhead between them).
Deleting a scenario or a plan clears the run's reference to it; deleting a
sweep deletes its runs (not their scenarios or plans).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sweep",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("base_scenario", sa.String(), nullable=False),
        sa.Column("base_scenario_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sweep"),
        sa.ForeignKeyConstraint(
            ["base_scenario_id"],
            ["scenario.id"],
            name="fk_sweep_base_scenario_id_scenario",
            ondelete="SET NULL",
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_sweep_base_scenario_id", "sweep", ["base_scenario_id"])
    op.create_table(
        "sweep_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sweep_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("variant", sa.String(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=True),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("error", sa.String(), nullable=False),
        sa.Column("solve_seconds", sa.Float(), nullable=True),
        sa.Column("wall_seconds", sa.Float(), nullable=True),
        sa.Column("overhead_seconds", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_sweep_run"),
        sa.UniqueConstraint(
            "sweep_id", "variant", "seed", name="uq_sweep_run_sweep_id_variant_seed"
        ),
        sa.ForeignKeyConstraint(
            ["sweep_id"], ["sweep.id"], name="fk_sweep_run_sweep_id_sweep", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenario.id"],
            name="fk_sweep_run_scenario_id_scenario",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name="fk_sweep_run_plan_id_plan", ondelete="SET NULL"
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_sweep_run_scenario_id", "sweep_run", ["scenario_id"])
    op.create_index("ix_sweep_run_plan_id", "sweep_run", ["plan_id"])


def downgrade() -> None:
    op.drop_index("ix_sweep_run_plan_id", table_name="sweep_run")
    op.drop_index("ix_sweep_run_scenario_id", table_name="sweep_run")
    op.drop_table("sweep_run")
    op.drop_index("ix_sweep_base_scenario_id", table_name="sweep")
    op.drop_table("sweep")
