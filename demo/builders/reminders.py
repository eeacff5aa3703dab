"""Reminders at the demo street: every reminder rule swept once, as the nightly beat would.

The inboxes then hold what is really due today in the demo data (suggestions to assign, replies
due soon, overdue or at risk of being late, evaluations pending, duties missing, milestones overdue,
tomorrow's reception rosters). Each reminder is claimed once per item and step, so seeding again sends nothing twice.
"""

from demo.builders.base import DemoContext
from liaison.reminders import GRID_DUTY_MISSING, RECEPTION_TOMORROW
from livelihood.reminders import OVERDUE_MILESTONES
from notifications.reminders import run_sweep
from suggestions.reminders import (
    ASSIGNMENT_PENDING,
    CO_OPINION_DUE,
    EVALUATION_PENDING,
    OVERDUE,
    REPLY_DUE,
    RISK_HIGH,
)

RULES = [
    ASSIGNMENT_PENDING,
    REPLY_DUE,
    CO_OPINION_DUE,
    OVERDUE,
    EVALUATION_PENDING,
    RISK_HIGH,
    RECEPTION_TOMORROW,
    GRID_DUTY_MISSING,
    OVERDUE_MILESTONES,
]


def build(ctx: DemoContext) -> None:
    sent = 0
    for rule in RULES:
        result = run_sweep(rule)
        sent += result.get("sent", 0)
    ctx.log(f"reminders: {sent} sent")
