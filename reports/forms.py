from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy
from organisation.models import Station
from reports.models import PointItem
from reports.services import EARLIEST_YEAR


def year_choices(first_year: int | None = None) -> list[tuple[int, int]]:
    """This year back to ``first_year`` (the data's first year; EARLIEST_YEAR when not given)."""
    current = timezone.localdate().year
    first = min(max(first_year or EARLIEST_YEAR, EARLIEST_YEAR), current)
    return [(year, year) for year in range(current, first - 1, -1)]


class YearForm(forms.Form):
    """The year (and optionally the station) a dashboard or ranking covers; bad input falls back to defaults."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=year_choices, required=False)

    def __init__(self, *args, stations=None, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        if stations is not None:
            self.fields["station"] = forms.ModelChoiceField(
                label=_("Station"), queryset=stations, required=False, empty_label=_("Whole street")
            )
        if kinds is not None:
            self.fields["kind"] = forms.ChoiceField(label=_("Deputies"), choices=kinds, required=False)

    def value(self, name, default=None):
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get(name) or default
        return default


class StationReportForm(forms.Form):
    """Print a station's annual report, the street's, or a batch of deputies' reports."""

    WHAT = [
        ("station_annual", _("Station annual report")),
        ("street_annual", _("Street annual report")),
        ("batch", _("All deputies' performance reports (one PDF)")),
    ]
    kind = forms.ChoiceField(label=_("Report"), choices=WHAT)
    station = forms.ModelChoiceField(
        label=_("Station"),
        queryset=Station.objects.order_by("kind", "name"),
        required=False,
        empty_label=_("Whole street"),
        help_text=_("Required for a station report; for a batch, leave empty to print every deputy of the street."),
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=year_choices)

    def __init__(self, *args, first_year=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(first_year)
        self.fields["year"].initial = timezone.localdate().year
        # Defaults that print as they are: the hub's report, or the street's when there is no hub.
        hub = Station.objects.filter(parent__isnull=True, is_active=True).order_by("id").first()
        self.fields["kind"].initial = "station_annual" if hub else "street_annual"
        self.fields["station"].initial = hub.pk if hub else None

    def clean(self):
        data = super().clean()
        if data.get("kind") == "station_annual" and not data.get("station"):
            self.add_error("station", _("Choose the station."))
        return data

    def subject_id(self) -> int | None:
        kind, station = self.cleaned_data["kind"], self.cleaned_data.get("station")
        if kind == "street_annual":
            return None
        return station.id if station else None


class DeputyReportForm(forms.Form):
    deputy = forms.ModelChoiceField(label=_("Deputy"), queryset=Deputy.objects.none())
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=year_choices)

    def __init__(self, *args, deputies, first_year=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies
        self.fields["year"].choices = year_choices(first_year)
        self.fields["year"].initial = timezone.localdate().year


class PointWeightsForm(forms.Form):
    """One number per item; the service validates again and records the change."""

    def __init__(self, *args, weights: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for item in PointItem:
            self.fields[item.value] = forms.DecimalField(
                label=item.label,
                min_value=0,
                max_value=1000,
                max_digits=6,
                decimal_places=2,
                initial=weights.get(item.value),
            )
