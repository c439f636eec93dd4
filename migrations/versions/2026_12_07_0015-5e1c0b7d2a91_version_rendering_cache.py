"""version rendering cache

Revision ID: 5e1c0b7d2a91
Revises: 5c0a7e91d2b4
Create Date: 2026-12-07 00:15:00.000000
"""

from alembic import op
import sqlalchemy as sa
import consult.models.base


revision = '5e1c0b7d2a91'
down_revision = '5c0a7e91d2b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('version_rendering',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('renderer', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('created_at', consult.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['version.id'], name=op.f('fk_version_rendering_version_id_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_version_rendering')),
    sa.UniqueConstraint('version_id', 'renderer', name=op.f('uq_version_rendering_version_id_renderer'))
    )


def downgrade():
    op.drop_table('version_rendering')
