"""Operations that migrations moving a model between apps share."""

from django.db import migrations


def relabel_content_types(moved: list[tuple[str, str]], new_label: str) -> migrations.RunPython:
    """Keep the content types of models moved to ``new_label`` (and so their permissions, admin log and
    generic relations) by relabelling them; ``moved`` lists (old app label, model name). Reversible."""

    def relabel(apps, from_label_of, to_label_of):
        ContentType = apps.get_model("contenttypes", "ContentType")
        for old_label, model in moved:
            source, target = from_label_of(old_label), to_label_of(old_label)
            if not ContentType.objects.filter(app_label=target, model=model).exists():
                ContentType.objects.filter(app_label=source, model=model).update(app_label=target)

    def forwards(apps, schema_editor):
        relabel(apps, lambda old: old, lambda old: new_label)

    def backwards(apps, schema_editor):
        relabel(apps, lambda old: new_label, lambda old: old)

    return migrations.RunPython(forwards, backwards)
