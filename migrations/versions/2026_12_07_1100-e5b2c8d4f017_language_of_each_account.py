"""the language each person chose for the interface

A column with a default, so that the release before it (which names no such
column) goes on inserting accounts while hosts are replaced.

Revision ID: e5b2c8d4f017
Revises: d4e7a1c9b053
Create Date: 2026-12-07 11:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = 'e5b2c8d4f017'
down_revision = 'd4e7a1c9b053'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('language')
