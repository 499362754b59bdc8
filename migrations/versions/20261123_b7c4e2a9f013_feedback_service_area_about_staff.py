"""feedback categories: the service area and whether a complaint is about a member of staff

Revision ID: b7c4e2a9f013
Revises: 5a0c7e31d2b4
Create Date: 2026-11-23 12:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c4e2a9f013'
down_revision = '5a0c7e31d2b4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.add_column(sa.Column('service_area', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('about_staff', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_column('about_staff')
        batch_op.drop_column('service_area')
