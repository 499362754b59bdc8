"""compliments: the member of staff a young person wants to thank, and when thanks were passed on

Revision ID: 7c8c194aef49
Revises: b7c4e2a9f013
Create Date: 2026-11-23 13:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c8c194aef49'
down_revision = 'b7c4e2a9f013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.add_column(sa.Column('thanked', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('thanks_passed_on_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_column('thanks_passed_on_at')
        batch_op.drop_column('thanked')
