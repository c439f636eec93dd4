"""index clause (version_id, parent_key)

Deleting a clause makes the database look for clauses naming it as their
parent (fk_clause_parent): without an index on the referencing columns, each
lookup scans the clause table, and discarding a draft of 25,000 clauses took
minutes.

Revision ID: c3a9e5f17b42
Revises: 3f8d2c6a1b47
Create Date: 2026-12-07 04:00:00.000000
"""

from alembic import op


revision = 'c3a9e5f17b42'
down_revision = '3f8d2c6a1b47'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_clause_version_id_parent_key', 'clause', ['version_id', 'parent_key'])


def downgrade():
    op.drop_index('ix_clause_version_id_parent_key', table_name='clause')
