"""knowledge editor: one article per topic and language (translations are linked by topic)

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-01 17:05:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("knowledge_articles", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_knowledge_articles_topic_language"), ["topic", "language"])


def downgrade():
    with op.batch_alter_table("knowledge_articles", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_knowledge_articles_topic_language"),
                                 type_="unique")
