"""Forms for the livelihood pages; they only validate input, the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import validate_event_date
from deputies.models import Deputy
from livelihood.models import Choice, ProposerKind, Rating
from organisation.models import HandlingUnit


class CycleForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    places = forms.IntegerField(label=_("Number of places"), min_value=1, max_value=100, initial=10)


class CandidateForm(forms.Form):
    # Both may be left empty when the proposal is drawn from an opinion or a suggestion: the service
    # then takes them from the source, and otherwise reports them missing.
    title = forms.CharField(label=_("Project name"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    proposer_kind = forms.ChoiceField(label=_("Proposed by"), choices=ProposerKind.choices)
    proposer_name = forms.CharField(
        label=_("Proposer name"),
        max_length=100,
        required=False,
        help_text=_("A constituent's or department's name; never shown on the public page."),
    )
    proposer_phone = forms.CharField(label=_("Proposer phone"), max_length=20, required=False)
    proposer_deputy = forms.ModelChoiceField(
        label=_("Proposing deputy"), queryset=Deputy.objects.filter(is_active=True), required=False
    )
    estimated_budget = forms.DecimalField(
        label=_("Estimated budget (10k yuan)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    responsible_unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=HandlingUnit.objects.filter(is_active=True), required=False
    )

    source_opinion = forms.IntegerField(
        label=_("From opinion No."),
        min_value=1,
        required=False,
        help_text=_("The number of a recorded constituent opinion this proposal grew out of."),
    )
    source_suggestion = forms.IntegerField(
        label=_("From suggestion No."),
        min_value=1,
        required=False,
        help_text=_("The number of a deputy's suggestion this proposal grew out of."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Deputies and unit officers propose as themselves: the service fills the proposer in.
        if user is not None and user.effective_role in ("deputy", "unit_officer"):
            for name in ("proposer_kind", "proposer_name", "proposer_phone", "proposer_deputy"):
                del self.fields[name]


class PublicProposalForm(forms.Form):
    title = forms.CharField(label=_("Project name"), max_length=200)
    description = forms.CharField(
        label=_("What should be done, and where"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    proposer_name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    proposer_phone = forms.RegexField(
        label=_("Phone (optional, so that staff can contact you)"),
        regex=r"^[0-9+\- ]{5,20}$",
        required=False,
        error_messages={"invalid": _("Enter a valid phone number.")},
    )


class VoteOpenForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Deputies present"),
        queryset=Deputy.objects.filter(is_active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )


class AttendanceForm(forms.Form):
    deputies = forms.ModelMultipleChoiceField(
        label=_("Late arrivals"), queryset=Deputy.objects.filter(is_active=True), widget=forms.CheckboxSelectMultiple
    )


class BallotForm(forms.Form):
    """One required 赞成/反对/弃权 choice per shortlisted candidate."""

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        for candidate in self.candidates:
            self.fields[f"c{candidate.pk}"] = forms.ChoiceField(
                label=candidate.title, choices=Choice.choices, widget=forms.RadioSelect
            )

    def choices(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.candidates}

    def rows(self):
        return [(candidate, self[f"c{candidate.pk}"]) for candidate in self.candidates]


class TieDecisionForm(forms.Form):
    selected = forms.ModelMultipleChoiceField(
        label=_("Candidates that take the remaining places"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("How it was decided"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. the resolution of the chairpersons' meeting, or a second vote."),
    )

    def __init__(self, *args, tied=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = tied


class SubItemForm(forms.Form):
    title = forms.CharField(label=_("Sub-item"), max_length=200)
    budget = forms.DecimalField(
        label=_("Budget (10k yuan)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_date = forms.DateField(
        label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_event_date]
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.ImageField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    sub_item = forms.ModelChoiceField(label=_("Sub-item"), queryset=None, required=False)
    photos = MultipleImageField(label=_("Photos"), required=False)

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sub_item"].queryset = project.sub_items.all() if project else None


class VisitForm(forms.Form):
    visited_on = forms.DateField(
        label=_("Visited on"), widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_event_date]
    )
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"visited_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class RatingForm(forms.Form):
    rating = forms.ChoiceField(label=_("Your rating"), choices=Rating.choices, widget=forms.RadioSelect)
