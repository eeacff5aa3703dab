"""A reminder rule over accounts only, so the framework can be tested without the other apps' models.

Every active account whose username starts with "due-" is "due" once per day: the subject is the
account, the threshold the day. Its due-items query filters on the unique (indexed) username.
"""

from django.contrib.auth import get_user_model

from notifications.reminders import Due, ReminderRule


def collect_due_accounts(*, today):
    accounts = (
        get_user_model().objects.filter(username__startswith="due-", is_active=True).values_list("pk", "username")
    )
    for pk, username in accounts:
        yield Due(
            recipient_id=pk,
            subject_key=f"account:{pk}",
            threshold=today.isoformat(),
            title=f"Test reminder for {username}",
            body="Something is due today.",
            url="/notifications/",
        )


TEST_RULE = ReminderRule(key="test_due_accounts", collect=collect_due_accounts, description="test only")
