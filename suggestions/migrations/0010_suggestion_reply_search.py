# Full-text search over suggestions and replies (core.search): the search_grams function, columns and
# GIN indexes. PostgreSQL only; nothing changes on SQLite.

from django.db import migrations

from core.search import AddSearchColumn


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0009_hand_over_handling_unit"),
    ]

    operations = [
        AddSearchColumn("suggestion", ["title", "content"]),
        AddSearchColumn("reply", ["content"]),
    ]
