"""What the livelihood pages share: who counts as the office, how refusals show, finding a cycle."""

from django.shortcuts import get_object_or_404

from core.roles import Role
from livelihood import selectors


def is_office(user) -> bool:
    return user.has_role(Role.OFFICE, Role.ADMIN)


# Refusals show as a message on the page the user comes back to; bad input goes on the form.
SHOW_REFUSALS = {"refusals": "messages", "separator": " "}


def cycle_or_404(request, pk):
    return get_object_or_404(selectors.cycles_visible_to(request.user), pk=pk)
