"""comparison fragment: the rendered clauses of a stored comparison's page

Revision ID: 5c0a7e91d2b4
Revises: a416f2891a30
Create Date: 2026-12-06 23:50:00.000000
"""

from alembic import op
import sqlalchemy as sa
import consult.models.base


revision = '5c0a7e91d2b4'
down_revision = 'a416f2891a30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('comparison_fragment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('old_version_id', sa.Integer(), nullable=False),
    sa.Column('new_version_id', sa.Integer(), nullable=False),
    sa.Column('variant', sa.String(length=64), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('created_at', consult.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['new_version_id'], ['version.id'], name=op.f('fk_comparison_fragment_new_version_id_version')),
    sa.ForeignKeyConstraint(['old_version_id'], ['version.id'], name=op.f('fk_comparison_fragment_old_version_id_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comparison_fragment')),
    sa.UniqueConstraint('old_version_id', 'new_version_id', 'variant', name=op.f('uq_comparison_fragment_old_version_id_new_version_id_variant'))
    )
    with op.batch_alter_table('comparison_fragment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comparison_fragment_new_version_id'), ['new_version_id'], unique=False)


def downgrade():
    with op.batch_alter_table('comparison_fragment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comparison_fragment_new_version_id'))

    op.drop_table('comparison_fragment')
