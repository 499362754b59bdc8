"""privacy: legal hold and anonymisation marks on feedback and alerts; the access log; subject access requests

Revision ID: f40aa33fec36
Revises: b7c4e2a9f013
Create Date: 2026-11-23 13:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f40aa33fec36'
down_revision = 'b7c4e2a9f013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legal_hold_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('legal_hold_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('safeguarding_alert', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table('record_access',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('record_type', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.String(length=40), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'], name=op.f('fk_record_access_staff_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_access'))
    )
    with op.batch_alter_table('record_access', schema=None) as batch_op:
        batch_op.create_index('ix_record_access_opened_at', ['opened_at'], unique=False)
        batch_op.create_index('ix_record_access_record', ['record_type', 'record_id'], unique=False)
    op.create_table('subject_access_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requester', sa.String(length=200), nullable=False),
    sa.Column('terms', sa.JSON(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('logged_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['logged_by_id'], ['staff_user.id'], name=op.f('fk_subject_access_request_logged_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subject_access_request'))
    )
    with op.batch_alter_table('subject_access_request', schema=None) as batch_op:
        batch_op.create_index('ix_subject_access_request_open', ['completed_on', 'due_on'], unique=False)


def downgrade():
    with op.batch_alter_table('subject_access_request', schema=None) as batch_op:
        batch_op.drop_index('ix_subject_access_request_open')
    op.drop_table('subject_access_request')
    with op.batch_alter_table('record_access', schema=None) as batch_op:
        batch_op.drop_index('ix_record_access_record')
        batch_op.drop_index('ix_record_access_opened_at')
    op.drop_table('record_access')
    with op.batch_alter_table('safeguarding_alert', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
        batch_op.drop_column('legal_hold_at')
        batch_op.drop_column('legal_hold_reason')
