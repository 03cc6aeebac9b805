"""push bookkeeping: which stage changes and approval requests the customer was sent

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 18:40:00
"""
from alembic import op
import sqlalchemy as sa

from aftersales.models.base import UTCDateTime

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Set when the stage change was pushed to the customer, or deliberately not (opted out,
    # no channel): the pusher looks only at rows where it is empty, so a restart repeats nothing.
    with op.batch_alter_table('repair_order_events') as batch:
        batch.add_column(sa.Column('pushed_at', UTCDateTime(), nullable=True))
    with op.batch_alter_table('repair_order_items') as batch:
        batch.add_column(sa.Column('notified_at', UTCDateTime(), nullable=True))
    # Existing history is not news: mark it pushed.
    op.execute("UPDATE repair_order_events SET pushed_at = at")
    op.execute("UPDATE repair_order_items SET notified_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table('repair_order_items') as batch:
        batch.drop_column('notified_at')
    with op.batch_alter_table('repair_order_events') as batch:
        batch.drop_column('pushed_at')
