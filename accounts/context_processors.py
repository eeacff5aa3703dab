from accounts.navigation import menu_for


def navigation(request):
    """The navigation entries this user may use; computed without database queries."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": menu_for(user, request.path)}
