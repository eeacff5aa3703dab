"""Forms for the suggestion pages. They only parse input; the services decide and write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.dates import validate_event_date
from deputies.models import Deputy
from organisation.models import HandlingUnit
from suggestions import holidays
from suggestions.models import (
    CALENDAR_FIRST_YEAR,
    CALENDAR_LAST_YEAR,
    CONTENT_MAX_LENGTH,
    Action,
    AssignmentRole,
    Category,
    ContactMethod,
    Rating,
    ReplyClass,
)


class YesNoSelect(forms.NullBooleanSelect):
    """A yes/no filter whose empty choice reads "any" rather than "unknown"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", "—"), ("true", _("Yes")), ("false", _("No"))]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _deputy_label(deputy: Deputy) -> str:
    return deputy.name


class SuggestionForm(forms.Form):
    """Draft or edit a suggestion; co-signers are invited and must confirm before submission."""

    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices, initial=Category.OTHER)
    content = forms.CharField(
        label=_("Content"), max_length=CONTENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 10})
    )
    cosigners = forms.ModelMultipleChoiceField(
        label=_("Co-signers"),
        queryset=Deputy.objects.none(),
        required=False,
        help_text=_("Deputies invited to co-sign; each must confirm before you can submit."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args, lead_deputy_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        deputies = Deputy.objects.filter(is_active=True).order_by("name", "id")
        if lead_deputy_id:
            deputies = deputies.exclude(pk=lead_deputy_id)
        self.fields["cosigners"].queryset = deputies
        self.fields["cosigners"].label_from_instance = _deputy_label


class PastSuggestionForm(SuggestionForm):
    """补录: a suggestion submitted in the past, entered by the office or station staff for its lead deputy."""

    lead_deputy = forms.ModelChoiceField(label=_("Lead deputy"), queryset=Deputy.objects.none())
    happened_on = forms.DateField(
        label=_("Submitted on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_event_date],
        help_text=_(
            "The day the deputy submitted it; the office's five working days to assign are counted from it. "
            "Co-signers are recorded as having confirmed."
        ),
    )

    field_order = ["lead_deputy", "happened_on", "title", "category", "content", "cosigners", "attachments"]

    def __init__(self, *args, deputies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_deputy"].queryset = (deputies if deputies is not None else Deputy.objects.none()).order_by(
            "name", "id"
        )
        self.fields["lead_deputy"].label_from_instance = _deputy_label
        self.fields["cosigners"].help_text = _("Deputies who co-signed it.")


def add_happened_on(form, *, dated_by: str | None = None) -> None:
    """补录: the date the step happened, first on the form, for the office and station staff recording it
    afterwards. ``dated_by`` names a date field the form already has that serves (a contact's date)."""
    if dated_by:
        form.fields[dated_by].help_text = _("The date it happened; deadlines are counted from it.")
        return
    field = forms.DateField(
        label=_("Date it happened"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_event_date],
        help_text=_(
            "Recorded afterwards (补录): not in the future, not before the previous step; deadlines and "
            "on-time are counted from this date, and the timeline shows who entered it and when."
        ),
    )
    form.fields = {"happened_on": field, **form.fields}


def add_acting_party(form, *, action: str, suggestion) -> None:
    """补录 of a step someone else took: whom it is recorded for, after the date. A co-signer's answer
    names the co-signer, a co-unit's opinion or a unit's return request the unit (the only one, chosen in
    advance); other steps need nothing more."""
    if action == Action.COSIGN:
        name = "deputy"
        field = forms.ModelChoiceField(
            label=_("Co-signer"),
            queryset=Deputy.objects.filter(cosignatures__suggestion=suggestion).order_by("name", "id"),
        )
        field.label_from_instance = _deputy_label
    elif action in (Action.CO_UNIT_OPINION, Action.REQUEST_RETURN):
        assignments = suggestion.assignments.filter(active=True)
        if action == Action.CO_UNIT_OPINION:
            assignments = assignments.filter(role=AssignmentRole.CO)
        name = "unit"
        field = forms.ModelChoiceField(
            label=_("Unit"), queryset=HandlingUnit.objects.filter(assignments__in=assignments).order_by("name", "id")
        )
    else:
        return
    choices = list(field.queryset[:2])
    if len(choices) == 1 and not form.is_bound:
        form.initial[name] = choices[0].pk
    fields = dict(form.fields)
    happened_on = fields.pop("happened_on", None)
    form.fields = {**({"happened_on": happened_on} if happened_on else {}), name: field, **fields}


class ConfirmForm(forms.Form):
    """An action that needs nothing but a click."""


class CosignForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Your answer"),
        choices=[("1", _("Confirm co-signing")), ("0", _("Decline"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))


class AssignForm(forms.Form):
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=HandlingUnit.objects.none())
    co_units = forms.ModelMultipleChoiceField(
        label=_("Co-units"),
        queryset=HandlingUnit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    complex = forms.BooleanField(label=_("Complex matter"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = HandlingUnit.objects.filter(is_active=True).order_by("kind", "name")
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units


class DecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Reject"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ContentForm(forms.Form):
    content = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 6}))


class ContactForm(forms.Form):
    method = forms.ChoiceField(label=_("How"), choices=ContactMethod.choices, widget=forms.RadioSelect)
    contacted_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_event_date]
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(forms.Form):
    reply_class = forms.ChoiceField(label=_("Reply class"), choices=ReplyClass.choices, widget=forms.RadioSelect)
    content = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 10}))
    contacted = forms.BooleanField(label=_("We met or called the deputy before replying"), required=False)
    attachment = forms.FileField(label=_("Attachment (the signed reply letter)"), required=False)


class EvaluateForm(forms.Form):
    rating = forms.ChoiceField(label=_("Your rating"), choices=Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ExtendForm(forms.Form):
    new_due = forms.DateField(
        label=_("New reply deadline"), widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_event_date]
    )
    reason = forms.CharField(label=_("Reason (the deputy will see it)"), widget=forms.Textarea(attrs={"rows": 4}))


class SuperviseForm(forms.Form):
    note = forms.CharField(label=_("Supervision note"), widget=forms.Textarea(attrs={"rows": 4}))
    key_supervision = forms.TypedChoiceField(
        label=_("Key supervision"),
        choices=[("", _("Leave as it is")), ("1", _("Flag for key supervision")), ("0", _("Lift key supervision"))],
        coerce=lambda value: {"1": True, "0": False}.get(value),
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, can_flag: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_flag:
            del self.fields["key_supervision"]


class FollowUpForm(forms.Form):
    content = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 5}))
    solved = forms.BooleanField(label=_("The matter is now solved"), required=False)


class EscalateForm(forms.Form):
    deputy = forms.ModelChoiceField(label=_("Deputy who will raise it"), queryset=Deputy.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)

    def __init__(self, *args, deputies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies if deputies is not None else Deputy.objects.none()
        self.fields["deputy"].label_from_instance = _deputy_label


SCHEDULE_HELP = _(
    "One line per day or range, as published: “2027-01-01 元旦”, “2027-02-06~2027-02-13 春节”. "
    "Write 上班 for a weekend day worked in exchange (调休上班): “2027-02-14 上班”. Days not listed "
    "follow the week: Monday to Friday on, weekends off."
)


class CalendarYearForm(forms.Form):
    """A year's official holiday schedule as pasted text; ``entries`` holds the parsed days once valid."""

    year = forms.IntegerField(label=_("Year"), min_value=CALENDAR_FIRST_YEAR, max_value=CALENDAR_LAST_YEAR)
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=_("The notice the schedule comes from, e.g. its number."),
    )
    schedule = forms.CharField(
        label=_("Holidays and make-up working days"),
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        help_text=SCHEDULE_HELP,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if "year" in data and "schedule" in data:
            try:
                data["entries"] = holidays.check_entries(data["year"], holidays.parse_schedule(data["schedule"]))
            except ValidationError as exc:
                self.add_error(None if hasattr(exc, "error_dict") else "schedule", exc)
        return data


class RiskFilterForm(forms.Form):
    """The risk list's filters: the lead unit and the category (both optional)."""

    unit = forms.ModelChoiceField(
        queryset=HandlingUnit.objects.filter(is_active=True).order_by("kind", "name"),
        required=False,
        label=_("Lead unit"),
    )
    category = forms.ChoiceField(choices=[("", "—"), *Category.choices], required=False, label=_("Category"))
