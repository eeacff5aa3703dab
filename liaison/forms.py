"""Forms for the reception pages and the public channel. They shape input; the services decide and write."""

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import validate_event_date
from core.periods import Basis
from deputies.models import Deputy, DeputyGroup
from liaison.models import Opinion, OpinionCategory, OpinionOutcome, ReceptionRuleKind, VisitChannel, Weekday

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def unit_queryset():
    """Active handling units (communities, departments) to refer opinions to.

    The unit model lives in a higher layer, so it is reached through the relation.
    """
    model = Opinion._meta.get_field("referral_unit").related_model
    return model.objects.filter(is_active=True).order_by("kind", "name")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files in one input; the service checks that each is a real image of ≤ 5 MB."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleImageField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class VisitHeaderForm(forms.Form):
    station = forms.ModelChoiceField(queryset=None, label=_("Station"))
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT, validators=[validate_event_date])
    channel = forms.ChoiceField(choices=VisitChannel.choices, label=_("Channel"))
    headcount = forms.IntegerField(
        label=_("Number of constituents"),
        min_value=1,
        max_value=10000,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    deputies = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label=_("Receiving deputies"), widget=forms.SelectMultiple(attrs={"size": 5})
    )
    grid = forms.ModelChoiceField(queryset=None, required=False, label=_("Grid"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, stations, deputies, grids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations
        self.fields["deputies"].queryset = deputies
        self.fields["grid"].queryset = grids
        self.fields["date"].initial = timezone.localdate
        self.fields["grid"].label_from_instance = lambda grid: f"{grid.code} {grid.name}"


class ConstituentForm(forms.Form):
    name = forms.CharField(label=_("Constituent name"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )


class OpinionRowForm(forms.Form):
    category = forms.ChoiceField(choices=[("", "---------"), *OpinionCategory.choices], label=_("Category"))
    grid = forms.ModelChoiceField(queryset=None, required=False, label=_("Grid"))
    content = forms.CharField(label=_("Content"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(
        choices=[
            ("", _("Decide later")),
            (OpinionOutcome.ANSWERED_ON_SITE, OpinionOutcome.ANSWERED_ON_SITE.label),
            (OpinionOutcome.REFERRED, OpinionOutcome.REFERRED.label),
            (OpinionOutcome.FILED, OpinionOutcome.FILED.label),
        ],
        required=False,
        label=_("Outcome"),
    )
    outcome_note = forms.CharField(
        label=_("Reply or note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    referral_unit = forms.ModelChoiceField(queryset=None, required=False, label=_("Referred to"))
    escalate_to = forms.ModelChoiceField(
        queryset=Deputy.objects.none(), required=False, label=_("Deputy who raises the suggestion")
    )
    photos = MultipleImageField(
        label=_("Photos"), widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})
    )

    def __init__(self, *args, grids=None, escalation_deputies=None, **kwargs):
        """``escalation_deputies``: the deputies an opinion may be escalated to (形成意见建议) from this
        form; None leaves that outcome out (it is then made later from the opinion's page)."""
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids
        self.fields["grid"].label_from_instance = lambda grid: f"{grid.code} {grid.name}"
        self.fields["referral_unit"].queryset = unit_queryset()
        if escalation_deputies is None:
            del self.fields["escalate_to"]
        else:
            outcome = self.fields["outcome"]
            outcome.choices = [
                *outcome.choices[:3],
                (OpinionOutcome.ESCALATED, OpinionOutcome.ESCALATED.label),
                *outcome.choices[3:],
            ]
            self.fields["escalate_to"].queryset = escalation_deputies

    def clean(self):
        data = super().clean()
        if data.get("outcome") == OpinionOutcome.ESCALATED and not data.get("escalate_to"):
            self.add_error("escalate_to", _("Choose the deputy who will raise the suggestion."))
        return data


ConstituentFormSet = formset_factory(ConstituentForm, extra=1, max_num=50, validate_max=True)
OpinionFormSet = formset_factory(OpinionRowForm, extra=1, max_num=50, validate_max=True)


class ReceptionRuleForm(forms.Form):
    station = forms.ModelChoiceField(queryset=None, label=_("Station"))
    kind = forms.ChoiceField(choices=ReceptionRuleKind.choices, label=_("Recurrence"))
    day_of_month = forms.IntegerField(
        label=_("Day of month"),
        min_value=1,
        max_value=31,
        required=False,
        help_text=_("The 29th–31st fall on the last day of shorter months."),
    )
    weekday = forms.TypedChoiceField(
        choices=[("", "---------"), *Weekday.choices], coerce=int, empty_value=None, required=False, label=_("Weekday")
    )
    date = forms.DateField(label=_("Date (once)"), required=False, widget=DATE_INPUT, validators=[validate_event_date])
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=DATE_INPUT, validators=[validate_event_date]
    )
    valid_to = forms.DateField(label=_("Valid to"), required=False, widget=DATE_INPUT, validators=[validate_event_date])
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations


class ReceptionRuleEditForm(forms.Form):
    kind = forms.ChoiceField(choices=ReceptionRuleKind.choices, label=_("Recurrence"))
    day_of_month = ReceptionRuleForm.base_fields["day_of_month"]
    weekday = ReceptionRuleForm.base_fields["weekday"]
    date = ReceptionRuleForm.base_fields["date"]
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_INPUT, validators=[validate_event_date])
    valid_to = ReceptionRuleForm.base_fields["valid_to"]
    note = ReceptionRuleForm.base_fields["note"]
    is_active = forms.BooleanField(label=_("Active"), required=False)


class OneOffDayForm(forms.Form):
    station = forms.ModelChoiceField(queryset=None, label=_("Station"))
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT, validators=[validate_event_date])
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations


class RosterForm(forms.Form):
    deputies = forms.ModelMultipleChoiceField(
        queryset=Deputy.objects.none(),
        required=False,
        label=_("Deputies"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    groups = forms.ModelMultipleChoiceField(
        queryset=DeputyGroup.objects.order_by("name"), required=False, label=_("Deputy groups")
    )

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = deputies


class CancelDayForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=200)


class BackRecordMixin:
    """补录: the date the step happened, optional, offered to the station's desk (its staff, the office)."""

    def __init__(self, *args, back_record: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if back_record:
            self.fields["happened_on"] = forms.DateField(
                label=_("Date it happened"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
                validators=[validate_event_date],
                help_text=_("Leave empty for today; for a step recorded afterwards (补录), the day it happened."),
            )


class OutcomeForm(BackRecordMixin, forms.Form):
    outcome = forms.ChoiceField(
        choices=[
            (OpinionOutcome.ANSWERED_ON_SITE, OpinionOutcome.ANSWERED_ON_SITE.label),
            (OpinionOutcome.REFERRED, OpinionOutcome.REFERRED.label),
            (OpinionOutcome.FILED, OpinionOutcome.FILED.label),
        ],
        label=_("Outcome"),
    )
    referral_unit = forms.ModelChoiceField(queryset=None, required=False, label=_("Referred to"))
    note = forms.CharField(
        label=_("Reply or note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the constituent who checks the opinion's status."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral_unit"].queryset = unit_queryset()


class FeedbackForm(forms.Form):
    content = forms.CharField(
        label=_("Feedback from the unit"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the constituent who checks the opinion's status."),
    )


class ResolveForm(BackRecordMixin, forms.Form):
    note = forms.CharField(
        label=_("How it was solved"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the constituent who checks the opinion's status."),
    )


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need the full contact details?"), max_length=200, required=False)


class PeriodForm(forms.Form):
    station = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Station"), empty_label=_("All my stations")
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    basis = forms.ChoiceField(label=_("Counted by"), choices=Basis.LABELS, required=False)

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data


class PublicOpinionForm(forms.Form):
    category = forms.ChoiceField(choices=[("", _("Choose…")), *OpinionCategory.choices], label=_("Category"))
    content = forms.CharField(
        label=_("Your opinion or problem"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 2000}),
    )
    contact_name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=_("Your phone (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("Used only to call you back about this matter and to check its progress."),
    )
    photos = MultipleImageField(
        label=_("Photos (optional, at most 3)"),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    consent = forms.BooleanField(label=_("I have read the privacy notice above and agree."))


class PublicStatusForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=30,
        help_text=_("For example K7M-4QX-92R; capitals, small letters and dashes all work."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}),
    )
    digits = forms.CharField(
        label=_("Last four digits of your phone (or your check number)"),
        min_length=4,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{4}"}),
    )
