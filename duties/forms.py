"""Forms for the duty pages: grid duties, voter contacts and linked constituents, activities.

They shape input; the services decide and write.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import validate_event_date
from duties.models import ActivityKind, GridDutyKind, VoterContactWay

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GridDutyForm(forms.Form):
    deputy = forms.ModelChoiceField(queryset=None, label=_("Deputy"))
    grid = forms.ModelChoiceField(queryset=None, label=_("Grid"))
    kind = forms.ChoiceField(choices=GridDutyKind.choices, label=_("Duty"))
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT, validators=[validate_event_date])
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, deputies, grids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies
        self.fields["grid"].queryset = grids
        self.fields["grid"].label_from_instance = lambda grid: f"{grid.code} {grid.name}"
        self.fields["date"].initial = timezone.localdate


class VoterContactForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT, validators=[validate_event_date])
    way = forms.ChoiceField(choices=VoterContactWay.choices, label=_("Way of contact"))
    subject = forms.CharField(label=_("Subject"), max_length=200)
    people = forms.IntegerField(label=_("People contacted"), min_value=1, max_value=500, initial=1)
    constituent = forms.ModelChoiceField(queryset=None, label=_("Linked constituent"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, links, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["constituent"].queryset = links
        self.fields["constituent"].label_from_instance = lambda link: link.name
        self.fields["date"].initial = timezone.localdate


class ConstituentLinkForm(forms.Form):
    name = forms.CharField(label=_("Constituent name"), max_length=50)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    since = forms.DateField(
        label=_("In contact since"), widget=DATE_INPUT, required=False, validators=[validate_event_date]
    )


class ActivityForm(forms.Form):
    station = forms.ModelChoiceField(queryset=None, label=_("Station"))
    kind = forms.ChoiceField(choices=ActivityKind.choices, label=_("Kind"))
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT, validators=[validate_event_date])
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    present = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label=_("Present"), widget=forms.SelectMultiple(attrs={"size": 8})
    )
    excused = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label=_("Excused"), widget=forms.SelectMultiple(attrs={"size": 4})
    )
    absent = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label=_("Absent"), widget=forms.SelectMultiple(attrs={"size": 4})
    )

    def __init__(self, *args, stations, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations
        for name in ("present", "excused", "absent"):
            self.fields[name].queryset = deputies

    def clean(self):
        data = super().clean()
        seen = set()
        for name in ("present", "excused", "absent"):
            for deputy in data.get(name) or []:
                if deputy.pk in seen:
                    raise forms.ValidationError(_("A deputy can have only one attendance status."))
                seen.add(deputy.pk)
        return data

    def attendance(self) -> dict:
        result = {}
        for name in ("present", "excused", "absent"):
            for deputy in self.cleaned_data.get(name) or []:
                result[deputy.pk] = name
        return result


class AttendanceForm(ActivityForm):
    """Only the attendance part of an activity."""

    def __init__(self, *args, deputies, **kwargs):
        forms.Form.__init__(self, *args, **kwargs)
        for name in ("station", "kind", "title", "date", "location", "description"):
            del self.fields[name]
        for name in ("present", "excused", "absent"):
            self.fields[name].queryset = deputies
