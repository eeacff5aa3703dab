"""Notification delivery and the reminder rules (settings imported by ``config.settings``).

The beat runs one sweep per rule (``config.background``); the deadlines the suggestion reminders watch are
SUGGESTION_DEADLINES in ``config.settings``.
"""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_int, env_int_list, env_list, env_str

# The SMS channel class (a dotted path); the default only logs. A gateway subclasses
# notifications.channels.SmsChannel and is named here.
NOTIFICATIONS_SMS_CHANNEL = env_str("NOTIFICATIONS_SMS_CHANNEL", "notifications.channels.LoggingSmsChannel")
# Absolute links in emails and SMS ("https://station.example.org"); relative when empty.
NOTIFICATIONS_SITE_URL = (env_str("NOTIFICATIONS_SITE_URL", "") or "").rstrip("/")
# A delivery that keeps failing is marked failed (shown on the status page) after this many attempts.
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 5, minimum=1)
# The reminder rules. Each goes at most once per recipient, subject and threshold (notifications.reminders).
REMINDERS = {
    # Lead-unit officers, this many days before the reply deadline.
    "REPLY_DUE_DAYS": env_int_list("REMINDER_REPLY_DUE_DAYS", [15, 7, 1], minimum=1),
    # Co-unit officers, this many days before their written opinion is due.
    "CO_OPINION_DUE_DAYS": env_int_list("REMINDER_CO_OPINION_DUE_DAYS", [7, 1], minimum=1),
    # The deputy, once a reply has waited this many working days for an evaluation.
    "EVALUATION_PENDING_WORKING_DAYS": env_int("REMINDER_EVALUATION_WORKING_DAYS", 20, minimum=1),
    # Rostered deputies, this many days before a reception day (1 = the day before).
    "RECEPTION_DAYS_BEFORE": env_int("REMINDER_RECEPTION_DAYS_BEFORE", 1, minimum=1),
    # A deputy with a "四个一" duty still missing this many days before the end of its period.
    "GRID_DUTY_DAYS_BEFORE_END": {
        "month": env_int("REMINDER_DUTY_MONTH_DAYS", 7, minimum=1),
        "quarter": env_int("REMINDER_DUTY_QUARTER_DAYS", 15, minimum=1),
        "year": env_int("REMINDER_DUTY_YEAR_DAYS", 30, minimum=1),
    },
    # The incremental sweeps (overdue, assignment, evaluation) read only what changed since their last
    # run; a full sweep at least this often also reaches what they cannot see (e.g. a new recipient).
    "FULL_SWEEP_DAYS": env_int("REMINDER_FULL_SWEEP_DAYS", 7, minimum=1),
    # Overdue suggestions (unit, office, flagging leader) and overdue livelihood milestones (unit)
    # are reminded once per ISO week while they stay overdue; the assignment deadline (office) once,
    # the working days coming from SUGGESTION_ASSIGN_WORKING_DAYS.
}
REMINDER_RULE_KEYS = {
    "suggestion_reply_due",
    "suggestion_co_opinion_due",
    "suggestion_overdue",
    "suggestion_assignment_pending",
    "suggestion_evaluation_pending",
    "reception_day_tomorrow",
    "grid_duty_missing",
    "livelihood_milestone_overdue",
}
# Reminder rules that must not run at all, e.g. "suggestion_overdue,grid_duty_missing".
REMINDERS_DISABLED = set(env_list("REMINDERS_DISABLED", []))
if REMINDERS_DISABLED - REMINDER_RULE_KEYS:
    raise ImproperlyConfigured(
        f"REMINDERS_DISABLED names unknown rules {sorted(REMINDERS_DISABLED - REMINDER_RULE_KEYS)}; "
        f"known rules: {sorted(REMINDER_RULE_KEYS)}."
    )
