"""versions without a label of their own: label '' instead of "Version N"

A version uploaded without a label was stored with the English words
"Version N" as its label, which pages then showed beside "Version N" and
which no other language could translate. A label is now only what the
drafter gave; the pages name a version by its number and add the label when
there is one.

Revision ID: d4e7a1c9b053
Revises: b8d3f6a2c514
Create Date: 2026-12-07 10:00:00.000000
"""

from alembic import op


revision = 'd4e7a1c9b053'
down_revision = 'b8d3f6a2c514'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "UPDATE version SET label = '' "
        "WHERE lower(trim(label)) = 'version ' || CAST(number AS VARCHAR(12))"
    )


def downgrade():
    op.execute(
        "UPDATE version SET label = 'Version ' || CAST(number AS VARCHAR(12)) WHERE label = ''"
    )
