"""staff side: settings, canned replies, staff language and team, queue priority, private notes

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 12:56:30.148479

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy import Text  # noqa: F401  (JSONB variants render astext_type=Text())

import database.base  # noqa: F401  (the portable column types)
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('canned_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shortcode', sa.String(length=40), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', database.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', database.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("language IN ('fr', 'en', 'pt', 'es')", name=op.f('ck_canned_replies_language')),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff_users.id'], name=op.f('fk_canned_replies_created_by_id_staff_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_canned_replies')),
    sa.UniqueConstraint('shortcode', 'language', name=op.f('uq_canned_replies_shortcode_language'))
    )
    op.create_table('settings',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('updated_at', database.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['staff_users.id'], name=op.f('fk_settings_updated_by_id_staff_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority', sa.String(length=10), server_default='normal', nullable=False))
        batch_op.add_column(sa.Column('team', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('assigned_at', database.base.UTCDateTime(timezone=True), nullable=True))
    # SQLite rebuilds the table for a constraint: the new columns must exist by then.
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.create_check_constraint(
            'priority', "priority IN ('urgent', 'high', 'normal', 'low')")

    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('private', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=5), server_default='en', nullable=False))
        batch_op.add_column(sa.Column('team', sa.String(length=60), nullable=True))
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.create_check_constraint('language', "language IN ('fr', 'en', 'pt', 'es')")



def downgrade():
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_staff_users_language'), type_='check')
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_column('team')
        batch_op.drop_column('language')

    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('private')

    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_conversations_priority'), type_='check')
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_column('assigned_at')
        batch_op.drop_column('team')
        batch_op.drop_column('priority')

    op.drop_table('settings')
    op.drop_table('canned_replies')
