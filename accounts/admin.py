"""User administration: accounts are created and changed through the account services.

The forms validate by running the service in a transaction that is rolled back
(``validate_with_service``), so the admin shows exactly the errors the service would
raise — role links, password policy, uniqueness — and the real write happens once
in ``save_model``, through the same service.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, ReadOnlyPasswordHashField
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import api_tokens_revoke, user_create, user_deactivate, user_reactivate, user_update
from core.admin import validate_with_service
from core.errors import ActionRefused, PermissionRefused

admin.site.site_header = _("Deputy Liaison Station administration")
admin.site.site_title = _("Deputy Liaison Station")
admin.site.index_title = _("Users, organisation and reference data")

PROFILE_FIELDS = ("first_name", "last_name", "email", "phone")
LINK_FIELDS = ("role", "stations", "deputy", "unit")


class UserAddForm(forms.ModelForm):
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password confirmation"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Enter the same password again. At least 12 characters, not a common password."),
    )

    class Meta:
        model = User
        fields = ("username", *PROFILE_FIELDS, *LINK_FIELDS)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "username": data["username"],
            "password": data["password1"],
            "role": data["role"],
            "stations": list(data.get("stations") or []),
            "deputy": data.get("deputy"),
            "unit": data.get("unit"),
            **{field: data.get(field) or "" for field in PROFILE_FIELDS},
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", gettext("The two password fields didn’t match."))
        if not self.errors:
            validate_with_service(
                self, lambda: user_create(**self.service_arguments()), field_map={"password": "password2"}
            )
        return cleaned

    def _post_clean(self):
        # Validation is the service's (see clean); the model's own checks ran there.
        pass


class UserChangeForm(forms.ModelForm):
    password = ReadOnlyPasswordHashField(
        label=_("Password"),
        help_text=_("Raw passwords are not stored. Use the password form to set a new one."),
    )

    class Meta:
        model = User
        fields = ("username", "password", *PROFILE_FIELDS, *LINK_FIELDS, "is_active")

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "role": data["role"],
            "stations": list(data.get("stations") or []),
            "deputy": data.get("deputy"),
            "unit": data.get("unit"),
            **{field: data.get(field) or "" for field in PROFILE_FIELDS},
        }

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            user = User.objects.get(pk=self.instance.pk)
            validate_with_service(self, lambda: user_update(user=user, actor=self.actor, **self.service_arguments()))
            if self.instance.pk == getattr(self.actor, "pk", None) and cleaned.get("is_active") is False:
                self.add_error("is_active", gettext("You cannot deactivate your own account."))
        return cleaned


class PasswordChangeForm(AdminPasswordChangeForm):
    """Sets the password through ``user_update``: the policy applies and old API tokens are revoked."""

    usable_password = None

    def save(self, commit=True):
        return user_update(user=self.user, password=self.cleaned_data["password1"])


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserAddForm
    change_password_form = PasswordChangeForm
    list_display = ("username", "display_name", "role", "links", "is_active", "last_login")
    list_filter = ("role", "is_active", "stations")
    search_fields = ("username", "last_name", "first_name", "phone", "email", "deputy__name", "unit__name")
    ordering = ("username",)
    autocomplete_fields = ("deputy", "stations")
    readonly_fields = ("last_login", "date_joined")
    actions = ("deactivate", "reactivate", "revoke_api_tokens")
    filter_horizontal = ()
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("last_name", "first_name", "phone", "email")}),
        (
            _("Role and links"),
            {
                "fields": ("role", "stations", "deputy", "unit"),
                "description": _(
                    "Station staff are attached to their stations, a deputy account to its deputy record, "
                    "a handling-unit officer to a unit."
                ),
            },
        ),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2")}),
        (_("Personal info"), {"fields": ("last_name", "first_name", "phone", "email")}),
        (_("Role and links"), {"fields": ("role", "stations", "deputy", "unit")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("deputy", "unit").prefetch_related("stations")

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        if obj is None:
            return form_class

        class WithActor(form_class):
            def __init__(self, *args, **inner):
                super().__init__(*args, actor=request.user, **inner)

        return WithActor

    @admin.display(description=_("full name"))
    def display_name(self, user):
        return user.get_full_name() or "—"

    @admin.display(description=_("links"))
    def links(self, user):
        parts = [station.name for station in user.stations.all()]
        if user.deputy_id:
            parts.append(str(user.deputy))
        if user.unit_id:
            parts.append(str(user.unit))
        return "、".join(parts) or "—"

    def save_model(self, request, obj, form, change):
        if not change:
            created = user_create(**form.service_arguments())
            obj.pk = created.pk
            obj._state.adding = False
            obj._state.db = created._state.db
            return
        user = user_update(user=obj, actor=request.user, **form.service_arguments())
        if "username" in form.changed_data:
            user.username = form.cleaned_data["username"]
            user.save(update_fields=["username"])
        if "is_active" in form.changed_data:
            if form.cleaned_data["is_active"]:
                user_reactivate(user=user, actor=request.user)
            else:
                user_deactivate(user=user, actor=request.user)

    def save_related(self, request, form, formsets, change):
        # The service has set the stations; the generic many-to-many save would only repeat it.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.action(description=_("Deactivate the selected accounts"))
    def deactivate(self, request, queryset):
        done = 0
        for user in queryset:
            try:
                user_deactivate(user=user, actor=request.user)
                done += 1
            except (ActionRefused, PermissionRefused) as exc:
                self.message_user(request, f"{user.username}: {exc.message}", messages.WARNING)
        if done:
            self.message_user(request, gettext("%(count)d accounts deactivated.") % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Reactivate the selected accounts"))
    def reactivate(self, request, queryset):
        """Switch accounts back on through the service; login lockouts stay (see ``user_reactivate``)."""
        done = 0
        for user in queryset.filter(is_active=False):
            try:
                user_reactivate(user=user, actor=request.user)
                done += 1
            except PermissionRefused as exc:
                self.message_user(request, f"{user.username}: {exc.message}", messages.WARNING)
        if done:
            self.message_user(request, gettext("%(count)d accounts reactivated.") % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Revoke the API tokens of the selected accounts"))
    def revoke_api_tokens(self, request, queryset):
        done = 0
        for user in queryset:
            try:
                done += api_tokens_revoke(user=user, actor=request.user)
            except PermissionRefused as exc:
                self.message_user(request, f"{user.username}: {exc.message}", messages.WARNING)
        self.message_user(request, gettext("%(count)d API tokens revoked.") % {"count": done}, messages.SUCCESS)
