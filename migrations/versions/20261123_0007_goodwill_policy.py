"""goodwill policy for a long wait, per store

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 19:10:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('stores') as batch:
        batch.add_column(sa.Column('goodwill_wait_minutes', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('goodwill_offer', sa.Text(), nullable=True))
        batch.add_column(sa.Column('goodwill_offer_en', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('stores') as batch:
        batch.drop_column('goodwill_offer_en')
        batch.drop_column('goodwill_offer')
        batch.drop_column('goodwill_wait_minutes')
