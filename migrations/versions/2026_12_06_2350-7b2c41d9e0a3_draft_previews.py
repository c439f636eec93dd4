"""draft previews stored under the digest of what they depend on

Revision ID: 7b2c41d9e0a3
Revises: 5e1c0b7d2a91
Create Date: 2026-12-06 23:50:00.000000
"""

from alembic import op
import sqlalchemy as sa
import consult.models.base


revision = '7b2c41d9e0a3'
down_revision = '5e1c0b7d2a91'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('draft_preview',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('created_at', consult.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['version.id'], name=op.f('fk_draft_preview_version_id_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_preview')),
    sa.UniqueConstraint('version_id', name=op.f('uq_draft_preview_version_id'))
    )


def downgrade():
    op.drop_table('draft_preview')
