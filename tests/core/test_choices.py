"""``core.choices.ChoiceLabels``: the same labels as Django's ``get_FOO_display``, in every language."""

import pytest
from django.db import models
from django.utils import translation

from liaison.models import Opinion, Visit
from suggestions.models import Suggestion


@pytest.mark.parametrize("model", [Opinion, Visit, Suggestion])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_labels_equal_djangos(model, language):
    fields = [f for f in model._meta.concrete_fields if f.choices]
    assert fields
    with translation.override(language):
        for field in fields:
            for value in [*(v for v, _label in field.flatchoices), None, "not-a-choice"]:
                row = model(**{field.attname: value})
                assert row._get_FIELD_display(field) == models.Model._get_FIELD_display(row, field), (field, value)
    with translation.override("zh-hans"):
        chinese = Opinion(category=Opinion._meta.get_field("category").flatchoices[0][0]).get_category_display()
    with translation.override("en"):
        english = Opinion(category=Opinion._meta.get_field("category").flatchoices[0][0]).get_category_display()
    assert chinese != english  # each language has its own table
