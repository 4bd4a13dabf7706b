"""dashboard at scale: hourly and daily counters rolled up from messages and events; events by kind and id

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import database.base  # noqa: F401  (the portable column types)


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('metric_hours',
    sa.Column('hour', database.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('metric', sa.String(length=40), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=False),
    sa.Column('total', sa.Double(), nullable=False),
    sa.PrimaryKeyConstraint('hour', 'metric', 'key', name=op.f('pk_metric_hours'))
    )
    with op.batch_alter_table('metric_hours', schema=None) as batch_op:
        batch_op.create_index('ix_metric_hours_metric_hour', ['metric', 'hour'], unique=False)
    op.create_table('metric_days',
    sa.Column('day', database.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('metric', sa.String(length=40), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=False),
    sa.Column('total', sa.Double(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'metric', 'key', name=op.f('pk_metric_days'))
    )
    # "The latest events of these kinds" (the queue's handle times, the Claude breaker): an
    # index walk instead of sorting every event of the kind.
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_kind_id', ['kind', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_kind_id')
    op.drop_table('metric_days')
    op.drop_table('metric_hours')
