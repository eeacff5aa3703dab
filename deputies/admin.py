from django import forms
from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import NoDeleteServiceAdmin, ServiceAdmin
from core.masking import mask_phone
from deputies.models import ConstituentLink, ContactLink, Deputy, DeputyGroup, DeputyKind, Term
from deputies.services import (
    DEPUTY_FIELDS,
    GROUP_FIELDS,
    deputy_create,
    deputy_delete,
    deputy_group_create,
    deputy_group_update,
    deputy_update,
)


class TermFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if kept and self.instance.kind == DeputyKind.DELIBERATION:
            raise forms.ValidationError(
                gettext("A deliberation representative is appointed by the street and holds no congress term.")
            )


class TermInline(admin.TabularInline):
    model = Term
    formset = TermFormSet
    extra = 0
    fields = ("level", "congress", "constituency", "start_year", "end_year")


class CommitteeContactInline(admin.TabularInline):
    """The deputies a standing-committee member keeps in contact with (双联)."""

    model = ContactLink
    fk_name = "committee_member"
    extra = 0
    autocomplete_fields = ("deputy",)
    verbose_name = _("deputy kept in contact")
    verbose_name_plural = _("deputies kept in contact (standing committee members)")


class ConstituentLinkInline(admin.TabularInline):
    """Linked constituents (双联) with their phones masked, as everywhere else.

    A full number is shown through the logged reveal (a reason is required; it writes the
    privacy audit log); links are kept on the deputy's contacts page, not here.
    """

    model = ConstituentLink
    extra = 0
    can_delete = False
    fields = ("name", "masked_phone", "address", "since", "reveal")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("phone"))
    def masked_phone(self, link):
        return mask_phone(link.phone) or "—"

    @admin.display(description=_("full number"))
    def reveal(self, link):
        if not link.phone:
            return "—"
        # The reveal view lives with the privacy audit log (liaison), referred to by URL name only.
        url = reverse("admin:liaison_personaldataaccess_reveal_link", args=[link.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Show (logged)"))


@admin.register(Deputy)
class DeputyAdmin(ServiceAdmin):
    service_fields = DEPUTY_FIELDS
    list_display = ("name", "kind", "levels", "occupation", "is_standing_committee", "is_active")
    list_filter = ("kind", "terms__level", "is_active", "is_standing_committee", "gender", "groups")
    search_fields = ("name", "occupation", "phone")
    inlines = (TermInline, CommitteeContactInline, ConstituentLinkInline)
    fieldsets = (
        (None, {"fields": ("name", "kind", "gender", "birth_year", "party", "occupation", "phone")}),
        (_("Status"), {"fields": ("is_standing_committee", "is_active", "note")}),
        (_("Public page"), {"fields": ("photo", "introduction")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("terms")

    @admin.display(description=_("levels"))
    def levels(self, deputy):
        return "、".join(deputy.level_labels) or "—"

    def service_create(self, data):
        return deputy_create(**data)

    def service_update(self, obj, data):
        return deputy_update(deputy=obj, **data)

    def service_delete(self, obj):
        deputy_delete(deputy=obj)


@admin.register(DeputyGroup)
class DeputyGroupAdmin(NoDeleteServiceAdmin):
    service_fields = (*GROUP_FIELDS, "members")
    list_display = ("name", "kind", "leader", "member_count")
    list_filter = ("kind",)
    search_fields = ("name", "leader__name", "members__name")
    autocomplete_fields = ("leader", "members")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("leader").annotate(member_total=Count("members"))

    @admin.display(description=_("members"), ordering="member_total")
    def member_count(self, group):
        return group.member_total

    def service_create(self, data):
        return deputy_group_create(**data)

    def service_update(self, obj, data):
        return deputy_group_update(group=obj, **data)
