# Full-text search over opinions (core.search): the search_grams function, column and GIN index.
# PostgreSQL only; nothing changes on SQLite. Rewrites the opinion table (see the README, "Search").

from django.db import migrations

from core.search import AddSearchColumn


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0009_opinion_event_sms"),
    ]

    operations = [
        AddSearchColumn("opinion", ["content", "outcome_note", "resolution_note"]),
    ]
