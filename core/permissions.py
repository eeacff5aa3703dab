"""Role checks shared by every app's API (the rows a user may see come from selectors)."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.roles import Role


class IsAdministrator(BasePermission):
    """Administrators only (role ``admin`` or a Django superuser)."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.has_role(Role.ADMIN))


class OfficeWritesOthersRead(BasePermission):
    """Any signed-in user may read (as far as the view's selector lets them); office and admins may write."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        return user.has_role(Role.OFFICE, Role.ADMIN)
