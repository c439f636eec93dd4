"""the language each comment is written in

A column with a default, so that the release before it (which names no such
column) goes on storing comments while hosts are replaced. Comments stored
before it say '' (not known).

Revision ID: f7c3a9d2e618
Revises: e5b2c8d4f017
Create Date: 2026-12-07 12:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = 'f7c3a9d2e618'
down_revision = 'e5b2c8d4f017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=20), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_column('language')
