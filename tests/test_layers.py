"""The apps form layers: foreign keys, like imports, point only down.

The order is the import-linter layers contract in pyproject.toml (top first); import-linter
checks the imports, this test checks the relations between the models, which are written
by name and so are invisible to it.
"""

import tomllib
from pathlib import Path

from django.apps import apps

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def _levels() -> list[set[str]]:
    """The layers contract's levels, top first; ``"a | b"`` is one level of two independent apps."""
    config = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if c["type"] == "layers" and "containers" not in c)
    return [{name.strip() for name in level.replace(":", "|").split("|")} for level in contract["layers"]]


def _layers() -> list[str]:
    return [app for level in _levels() for app in sorted(level)]


def _level_of(app: str) -> int:
    return next(index for index, level in enumerate(_levels()) if app in level)


def _relations():
    layers = _layers()
    for model in apps.get_models():
        app = model._meta.app_label
        if app not in layers:
            continue
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete or field.many_to_many) or field.auto_created:
                continue
            yield model, field, field.related_model._meta.app_label


def test_every_project_app_has_a_layer():
    project_apps = {config.label for config in apps.get_app_configs() if not config.name.startswith("django")}
    assert {"core", "organisation", "deputies", "accounts", "duties", "liaison"} <= set(_layers())
    ours = {label for label in project_apps if Path(apps.get_app_config(label).path).parent == PYPROJECT.parent}
    assert ours - set(_layers()) == set()


def test_foreign_keys_point_down_the_layers():
    layers = _layers()
    upward = [
        f"{model._meta.label}.{field.name} -> {field.related_model._meta.label}"
        for model, field, target in _relations()
        if target in layers
        and target != model._meta.app_label
        and _level_of(target) <= _level_of(model._meta.app_label)  # above, or a sibling on the same level
    ]
    assert upward == []


def test_the_check_sees_relations_across_apps():
    # The test above would pass vacuously if it looked at nothing: it sees the user's links down.
    seen = {(model._meta.label, field.name, target) for model, field, target in _relations()}
    assert ("accounts.User", "stations", "organisation") in seen
    assert ("accounts.User", "deputy", "deputies") in seen
    assert ("deputies.Deputy", "resident_stations", "organisation") in seen
    assert ("duties.GridAssignment", "grid", "organisation") in seen
