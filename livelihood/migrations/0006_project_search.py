# Full-text search over livelihood projects (core.search): the search_grams function, column and GIN
# index. PostgreSQL only; nothing changes on SQLite.

from django.db import migrations

from core.search import AddSearchColumn


class Migration(migrations.Migration):
    dependencies = [
        ("livelihood", "0005_point_to_organisation"),
    ]

    operations = [
        AddSearchColumn("project", ["title", "description"]),
    ]
