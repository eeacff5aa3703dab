"""Read-only admin views of the reception records.

Every change to reception days, visits and opinions goes through the services (and their
history rows), so the admin only shows them; constituents' phones appear masked here too.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from core.errors import PermissionRefused
from core.masking import mask_phone
from deputies.models import ConstituentLink
from duties.models import Activity, GridDuty, VoterContact
from liaison.forms import RevealForm
from liaison.models import Opinion, OpinionEvent, PersonalDataAccess, ReceptionDay, ReceptionRule, RosterEntry, Visit
from liaison.services import privacy
from liaison.services.privacy import mask_name


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReceptionRule)
class ReceptionRuleAdmin(ReadOnlyAdmin):
    list_display = ("station", "describe", "valid_from", "valid_to", "is_active")
    list_filter = ("kind", "is_active")
    list_select_related = ("station",)


class RosterInline(ReadOnlyInline):
    model = RosterEntry
    fields = ("deputy", "group")


@admin.register(ReceptionDay)
class ReceptionDayAdmin(ReadOnlyAdmin):
    list_display = ("date", "station", "origin", "is_cancelled")
    list_filter = ("origin", "is_cancelled")
    list_select_related = ("station",)
    date_hierarchy = "date"
    inlines = [RosterInline]


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ("date", "station", "channel", "headcount", "recorded_by")
    list_filter = ("channel",)
    list_select_related = ("station", "recorded_by")
    date_hierarchy = "date"
    exclude = ()
    readonly_fields = ("station", "date", "channel", "headcount", "grid", "note", "recorded_by", "masked_constituents")
    fields = readonly_fields

    @admin.display(description=_("Constituents"))
    def masked_constituents(self, obj):
        return "、".join(f"{mask_name(c.name)} {mask_phone(c.phone)}".strip() for c in obj.constituents.all())


class OpinionEventInline(ReadOnlyInline):
    model = OpinionEvent
    fields = ("at", "kind", "outcome", "note", "actor", "entered_at")
    readonly_fields = fields


@admin.register(Opinion)
class OpinionAdmin(ReadOnlyAdmin):
    list_display = ("id", "received_on", "station", "category", "outcome", "resolved_at", "source")
    list_filter = ("outcome", "category", "source")
    list_select_related = ("station",)
    search_fields = ("content", "tracking_code")
    date_hierarchy = "received_on"
    readonly_fields = (
        "station",
        "grid",
        "visit",
        "deputy",
        "source",
        "category",
        "content",
        "received_on",
        "outcome",
        "outcome_note",
        "referral_unit",
        "resolved_at",
        "resolution_note",
        "tracking_code",
        "masked_contact",
    )
    fields = readonly_fields
    inlines = [OpinionEventInline]

    @admin.display(description=_("Constituent"))
    def masked_contact(self, obj):
        return f"{mask_name(obj.contact_name)} {mask_phone(obj.contact_phone)}".strip() or "—"


@admin.register(GridDuty)
class GridDutyAdmin(ReadOnlyAdmin):
    list_display = ("date", "deputy", "grid", "kind")
    list_filter = ("kind",)
    list_select_related = ("deputy", "grid")


@admin.register(VoterContact)
class VoterContactAdmin(ReadOnlyAdmin):
    list_display = ("date", "deputy", "way", "subject", "people")
    list_filter = ("way",)
    list_select_related = ("deputy",)
    search_fields = ("deputy__name", "subject")


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ("date", "title", "kind", "station")
    list_filter = ("kind",)
    list_select_related = ("station",)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "action", "subject", "ip_address")
    list_filter = ("action",)
    list_select_related = ("user",)

    def get_urls(self):
        reveal = path(
            "reveal/constituent-link/<int:link_id>/",
            self.admin_site.admin_view(self.reveal_constituent_link),
            name="liaison_personaldataaccess_reveal_link",
        )
        return [reveal, *super().get_urls()]

    def reveal_constituent_link(self, request, link_id: int):
        """A linked constituent's phone in full (the deputy page shows it masked): a reason is required; logged."""
        link = get_object_or_404(ConstituentLink.objects.select_related("deputy"), pk=link_id)
        form = RevealForm(request.POST or None)
        phone = None
        if request.method == "POST" and form.is_valid():
            try:
                phone = privacy.constituent_link_reveal(
                    link=link, actor=request.user, reason=form.cleaned_data["reason"], ip=privacy.client_ip(request)
                )
            except PermissionRefused as exc:
                raise PermissionDenied(exc.message) from None
            except ValidationError as exc:
                form.add_error("reason", exc.message_dict.get("reason", exc.messages))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Full contact details"),
            "link": link,
            "masked_phone": mask_phone(link.phone),
            "phone": phone,
            "form": form,
            "deputy_url": reverse("admin:deputies_deputy_change", args=[link.deputy_id]),
        }
        return TemplateResponse(request, "admin/liaison/reveal_constituent_link.html", context)
