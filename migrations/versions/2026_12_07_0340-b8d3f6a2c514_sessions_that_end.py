"""sessions that end: last activity, remember-me and browser of each login

Revision ID: b8d3f6a2c514
Revises: c3a9e5f17b42
Create Date: 2026-12-07 03:20:00.000000
"""

from alembic import op
import sqlalchemy as sa
import consult.models.base


revision = 'b8d3f6a2c514'
down_revision = 'c3a9e5f17b42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', consult.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('remember', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('user_agent', sa.String(length=300), nullable=False, server_default=''))
    # Sessions open before this migration count as last used when they started.
    op.execute("UPDATE user_session SET last_seen_at = created_at")
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.alter_column('last_seen_at', existing_type=consult.models.base.UTCDateTime(timezone=True), nullable=False)
        batch_op.alter_column('remember', existing_type=sa.Boolean(), server_default=None)
        batch_op.alter_column('user_agent', existing_type=sa.String(length=300), server_default=None)


def downgrade():
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_column('user_agent')
        batch_op.drop_column('remember')
        batch_op.drop_column('last_seen_at')
