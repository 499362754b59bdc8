"""compliments: the member of staff a young person wants to thank, and when thanks were passed on;
"you said, we did": what changed because of feedback, published for young people

Revision ID: 7c8c194aef49
Revises: f40aa33fec36
Create Date: 2026-11-23 13:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c8c194aef49'
down_revision = 'f40aa33fec36'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.add_column(sa.Column('thanked', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('thanks_passed_on_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'you_said_we_did',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('you_said', sa.Text(), nullable=False),
        sa.Column('we_did', sa.Text(), nullable=False),
        sa.Column('published_on', sa.Date(), nullable=False),
        sa.Column('published_by_id', sa.Integer(), nullable=True),
        sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['published_by_id'], ['staff_user.id'], name=op.f('fk_you_said_we_did_published_by_id_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_you_said_we_did')),
    )


def downgrade():
    op.drop_table('you_said_we_did')
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_column('thanks_passed_on_at')
        batch_op.drop_column('thanked')
