"""Admin building blocks: writes through services, errors shown as the service words them.

The forms validate by running the service in a transaction that is rolled back
(``validate_with_service``), so the admin shows exactly the errors the service would
raise, and the real write happens once in ``save_model``, through the same service.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect

from core.errors import ActionRefused


class _RolledBack(Exception):
    pass


def validate_with_service(form: forms.Form, call, *, field_map: dict[str, str] | None = None) -> None:
    """Run a service call and undo it; its ``ValidationError`` / ``ActionRefused`` become form errors."""
    field_map = field_map or {}
    try:
        with transaction.atomic():
            call()
            raise _RolledBack
    except _RolledBack:
        return
    except ActionRefused as exc:
        form.add_error(None, exc.message)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
        for field, messages_ in errors.items():
            field = field_map.get(field, field)
            form.add_error(field if field in form.fields else None, messages_)


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose writes go through services, for the organisation's reference data.

    Subclasses implement ``service_create(data)``, ``service_update(obj, data)`` and
    ``service_delete(obj)``; ``data`` holds the form's cleaned values of ``service_fields``.
    The form validates by running the same call and rolling it back, so every rule of
    the service shows up as a form error and nothing half-valid is written.
    """

    service_fields: tuple[str, ...] = ()

    def service_create(self, data: dict):
        raise NotImplementedError

    def service_update(self, obj, data: dict):
        raise NotImplementedError

    def service_delete(self, obj) -> None:
        raise NotImplementedError

    def _service_data(self, form) -> dict:
        return {field: form.cleaned_data[field] for field in self.service_fields if field in form.cleaned_data}

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        admin_ = self

        class ServiceForm(form_class):
            def clean(self):
                cleaned = super().clean()
                if not self.errors:
                    data = admin_._service_data(self)
                    if self.instance.pk:
                        current = type(self.instance).objects.get(pk=self.instance.pk)
                        validate_with_service(self, lambda: admin_.service_update(current, data))
                    else:
                        validate_with_service(self, lambda: admin_.service_create(data))
                return cleaned

        return ServiceForm

    def save_model(self, request, obj, form, change):
        data = self._service_data(form)
        saved = self.service_update(obj, data) if change else self.service_create(data)
        obj.pk = saved.pk
        obj._state.adding = False
        obj._state.db = saved._state.db

    def save_related(self, request, form, formsets, change):
        # Many-to-many fields in ``service_fields`` were set by the service.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        self.service_delete(obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            try:
                self.service_delete(obj)
            except ActionRefused as exc:
                self.message_user(request, f"{obj}: {exc.message}", messages.ERROR)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ActionRefused as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.path.rsplit("delete/", 1)[0])


class NoDeleteServiceAdmin(ServiceAdmin):
    """For records the services create and change but never delete (grids and history refer to them)."""

    def has_delete_permission(self, request, obj=None):
        return False


class ListedChildrenInline(admin.TabularInline):
    """The children of a record, listed with a link to their own page, where the services change them."""

    extra = 0
    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
