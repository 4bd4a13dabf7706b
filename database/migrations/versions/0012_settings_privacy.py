"""settings and privacy: archives of conversations past their retention period

Revision ID: 0012
Revises: 0008
Create Date: 2026-12-01 17:03:18.595421

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy import Text  # noqa: F401  (JSONB variants render astext_type=Text())

import database.base  # noqa: F401  (the portable column types)


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('archives',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('started_at', database.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_message_at', database.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('message_count', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('archived_at', database.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_archives'))
    )
    with op.batch_alter_table('archives', schema=None) as batch_op:
        batch_op.create_index('ix_archives_archived_at', ['archived_at'], unique=False)
        batch_op.create_index('ix_archives_customer_id', ['customer_id'], unique=False)



def downgrade():
    with op.batch_alter_table('archives', schema=None) as batch_op:
        batch_op.drop_index('ix_archives_customer_id')
        batch_op.drop_index('ix_archives_archived_at')

    op.drop_table('archives')
