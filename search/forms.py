from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from search.selectors import KINDS, MAX_PAGE


class SearchForm(forms.Form):
    """The search page's query: any text (``core.search.terms_of`` keeps what can be searched), a kind, a page."""

    q = forms.CharField(
        label=pgettext_lazy("site search", "Search"),
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "maxlength": 200, "placeholder": _("e.g. 电梯")}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", "")] + [(key, kind.label) for key, kind in KINDS.items()]
    )
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=MAX_PAGE)
