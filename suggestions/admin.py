"""Admin: handling units and the working-day calendar are edited here (through the services);
suggestions are read-only.

A suggestion changes only through its lifecycle actions (the pages and the API), so the admin shows
the record and its timeline but offers no way to edit, add or delete one.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from organisation.models import HandlingUnit
from suggestions import holidays, services
from suggestions.forms import SCHEDULE_HELP
from suggestions.models import CalendarYear, Suggestion, SuggestionEvent


@admin.register(HandlingUnit)
class HandlingUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "contact_person", "phone", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "contact_person")
    fields = ("name", "kind", "contact_person", "phone", "address", "is_active")

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in self.fields if name in form.cleaned_data}
        if change:
            saved = services.unit_update(actor=request.user, unit=obj, **data)
        else:
            data.pop("is_active", None)
            saved = services.unit_create(actor=request.user, **data)
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None) -> bool:
        # Units are referenced by assignments and replies; deactivate them instead.
        return False


class EventInline(admin.TabularInline):
    model = SuggestionEvent
    fields = ("at", "actor", "action", "from_state", "to_state", "note", "entered_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("at", "id")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ("title", "state", "lead_deputy", "lead_unit", "reply_due", "key_supervision")
    list_filter = ("state", "category", "key_supervision")
    search_fields = ("title", "lead_deputy__name", "lead_unit__name")
    list_select_related = ("lead_deputy", "lead_unit")
    inlines = [EventInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields] + ["source_opinions"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # view-only: the admin shows the record and its timeline

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CalendarYearForm(forms.ModelForm):
    """The year's days as the same text the office pastes on the calendar page."""

    schedule = forms.CharField(
        label=_("Holidays and make-up working days"),
        widget=forms.Textarea(attrs={"rows": 16, "cols": 60}),
        help_text=SCHEDULE_HELP,
    )

    class Meta:
        model = CalendarYear
        fields = ("year", "source", "note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["schedule"].initial = holidays.schedule_text(self.instance.days.all())

    def clean(self):
        data = super().clean()
        year = data.get("year", self.instance.year)
        if year is not None and "schedule" in data:
            try:
                data["entries"] = holidays.check_entries(year, holidays.parse_schedule(data["schedule"]))
            except ValidationError as exc:
                self.add_error(None if hasattr(exc, "error_dict") else "schedule", exc)
        return data


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    form = CalendarYearForm
    list_display = ("year", "source", "entered_by", "entered_at")
    fields = ("year", "source", "schedule", "note")

    def get_readonly_fields(self, request, obj=None):
        return ("year",) if obj else ()

    def save_model(self, request, obj, form, change):
        saved = services.calendar_year_enter(
            actor=request.user,
            year=obj.year,
            entries=form.cleaned_data["entries"],
            source=form.cleaned_data["source"],
            note=form.cleaned_data["note"],
            replace=change,
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deadlines were computed on it; correct a year by entering it again.
        return False
