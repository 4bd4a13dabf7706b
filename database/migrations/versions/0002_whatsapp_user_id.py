"""customers.whatsapp_user_id: Meta's business-scoped WhatsApp user id

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy import Text  # noqa: F401  (JSONB variants render astext_type=Text())

import database.base  # noqa: F401  (the portable column types)


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    # Batch mode: SQLite adds a unique constraint by rebuilding the table.
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('whatsapp_user_id', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f('uq_customers_whatsapp_user_id'), ['whatsapp_user_id'])


def downgrade():
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_customers_whatsapp_user_id'), type_='unique')
        batch_op.drop_column('whatsapp_user_id')
