"""one of each: de-duplication per shopper, one open conversation, one answer, money in cents

messages.customer_id joins the de-duplication key (channel, shopper, provider id);
messages.answer_claimed_at / answered_at make "answered once" a column; delivery_attempt_at
lets one delivery attempt run at a time; a partial unique index keeps one open conversation
per shopper and channel; on SQLite money is stored as integer cents.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import database.base  # noqa: F401  (the portable column types)


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

OPEN = sa.text("status != 'closed'")


def upgrade():
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('customer_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('answer_claimed_at', database.base.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('answered_at', database.base.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('delivery_attempt_at', database.base.UTCDateTime(),
                                      nullable=True))
    op.execute("UPDATE messages SET customer_id = (SELECT conversations.customer_id FROM "
               "conversations WHERE conversations.id = messages.conversation_id)")
    has_outcome = ("json_extract(metadata, '$.outcome') IS NOT NULL" if sqlite
                   else "metadata ? 'outcome'")
    op.execute(f"UPDATE messages SET answered_at = created_at WHERE direction = 'in' "
               f"AND {has_outcome}")
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.alter_column('customer_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_messages_customer_id_customers'),
                                    'customers', ['customer_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_constraint(batch_op.f('uq_messages_channel_channel_message_id'),
                                 type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_messages_channel_customer_id_channel_message_id'),
            ['channel', 'customer_id', 'channel_message_id'])
        batch_op.create_index('ix_messages_channel_message_id', ['channel_message_id'],
                              unique=False)
        batch_op.create_index('ix_messages_customer_id', ['customer_id', 'id'], unique=False)
    # Earlier races may have left two open conversations: the newest stays open.
    op.execute("UPDATE conversations SET status = 'closed', ended_at = last_message_at "
               "WHERE status != 'closed' AND id NOT IN (SELECT max(id) FROM conversations "
               "WHERE status != 'closed' GROUP BY customer_id, channel)")
    op.create_index('uq_conversations_open', 'conversations', ['customer_id', 'channel'],
                    unique=True, sqlite_where=OPEN, postgresql_where=OPEN)
    if sqlite:
        # SQLite's NUMERIC keeps binary floats: amounts become exact integer cents.
        op.execute("UPDATE products SET price = CAST(ROUND(price * 100) AS INTEGER)")
        op.execute("UPDATE orders SET total = CAST(ROUND(total * 100) AS INTEGER)")


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("UPDATE products SET price = price / 100.0")
        op.execute("UPDATE orders SET total = total / 100.0")
    op.drop_index('uq_conversations_open', table_name='conversations',
                  sqlite_where=OPEN, postgresql_where=OPEN)
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_customer_id')
        batch_op.drop_index('ix_messages_channel_message_id')
        batch_op.drop_constraint(
            batch_op.f('uq_messages_channel_customer_id_channel_message_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_messages_channel_channel_message_id'),
                                          ['channel', 'channel_message_id'])
        batch_op.drop_constraint(batch_op.f('fk_messages_customer_id_customers'),
                                 type_='foreignkey')
        batch_op.drop_column('delivery_attempt_at')
        batch_op.drop_column('answered_at')
        batch_op.drop_column('answer_claimed_at')
        batch_op.drop_column('customer_id')
