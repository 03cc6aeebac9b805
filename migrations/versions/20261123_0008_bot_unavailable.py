"""an escalation when the bot cannot answer (Rasa or the action server down)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 20:00:00
"""
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

OLD = ('customer_request', 'rejected_resolution', 'high_severity', 'repeat', 'misunderstanding', 'sla_breach')
NEW = OLD + ('bot_unavailable',)


def _reasons(values) -> str:
    return "reason IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade() -> None:
    with op.batch_alter_table('escalations') as batch:
        batch.drop_constraint(op.f('ck_escalations_reason'), type_='check')
        batch.create_check_constraint('reason', _reasons(NEW))


def downgrade() -> None:
    op.execute("DELETE FROM escalations WHERE reason = 'bot_unavailable'")
    with op.batch_alter_table('escalations') as batch:
        batch.drop_constraint(op.f('ck_escalations_reason'), type_='check')
        batch.create_check_constraint('reason', _reasons(OLD))
