"""staff side: round robin's last assignment, escalation claims, the queue's index

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 13:09:53.760029

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy import Text  # noqa: F401  (JSONB variants render astext_type=Text())

import database.base  # noqa: F401  (the portable column types)


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('escalated_at', database.base.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.create_index('ix_conversations_status_waiting', ['status', 'waiting_since'],
                              unique=False)

    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_assigned_at',
                                      database.base.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_column('last_assigned_at')

    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_index('ix_conversations_status_waiting')
        batch_op.drop_column('escalated_at')
