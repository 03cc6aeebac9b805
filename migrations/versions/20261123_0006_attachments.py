"""attachments: photos customers send, kept with their open complaint or repair order

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 18:41:28.782817
"""
from alembic import op
import sqlalchemy as sa

from aftersales.models.base import UTCDateTime

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_key', sa.String(length=160), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('complaint_id', sa.Integer(), nullable=True),
    sa.Column('repair_order_id', sa.Integer(), nullable=True),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.Column('content_type', sa.String(length=60), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('caption', sa.Text(), nullable=True),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.CheckConstraint("channel IN ('telegram', 'web', 'phone', 'console', 'rest')", name=op.f('ck_attachments_channel')),
    sa.CheckConstraint('size_bytes >= 0', name=op.f('ck_attachments_size_not_negative')),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_attachments_complaint_id_complaints'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_attachments_customer_id_customers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['repair_order_id'], ['repair_orders.id'], name=op.f('fk_attachments_repair_order_id_repair_orders'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_complaint_id'), ['complaint_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_conversation_key'), ['conversation_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_repair_order_id'), ['repair_order_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_repair_order_id'))
        batch_op.drop_index(batch_op.f('ix_attachments_customer_id'))
        batch_op.drop_index(batch_op.f('ix_attachments_conversation_key'))
        batch_op.drop_index(batch_op.f('ix_attachments_complaint_id'))
    op.drop_table('attachments')
