"""``get_FOO_display()`` from a table of labels per field and language.

Django's ``get_FOO_display`` builds a dict of the field's choices on every call, hashing every lazy
label, which translates it: a list page of 50 opinions showing three choice fields translated about
2,000 labels (a tenth of the page's rendering time at city scale). ``ChoiceLabels`` models look the
value up in a table built once per field and language instead; the result is the same string.
"""

from functools import lru_cache

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language


@lru_cache(maxsize=512)
def _labels(field, language: str | None) -> dict:
    # Built while ``language`` is active (the caller's), so the lazy labels translate to it.
    return {make_hashable(value): force_str(label) for value, label in field.flatchoices}


class ChoiceLabels(models.Model):
    """Abstract base: ``get_FOO_display()`` of the model's choice fields from ``_labels``."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return force_str(_labels(field, get_language()).get(make_hashable(value), value), strings_only=True)
