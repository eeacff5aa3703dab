"""Pages: the inbox, channel preferences and the admins' status page. Thin: they call services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.masking import mask_phone
from core.roles import Role
from notifications import selectors, services
from notifications.forms import PreferencesForm
from notifications.models import Channel, Notification

PAGE_SIZE = 30


@login_required
def inbox(request):
    """The user's notifications, newest first. Queries: session + user + unread badge + count + page."""
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.notifications_for(request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/inbox.html",
        {"page_obj": page, "notifications": page.object_list, "unread_only": unread_only},
    )


def _own(request, pk: int) -> Notification:
    try:
        return services.notification_mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404 from None


@login_required
def open_notification(request, pk: int):
    """Follow a notification's link; opening it marks it read (like opening an email)."""
    notification = _own(request, pk)
    if notification.url:
        return redirect(notification.url)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_read(request, pk: int):
    _own(request, pk)
    return redirect(_back(request))


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect(_back(request))


def _back(request) -> str:
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "notifications:inbox"


@login_required
def preferences(request):
    current = services.preference_for(request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST, user=request.user)
        if form.is_valid():
            services.preferences_update(user=request.user, **form.cleaned_data)
            messages.success(request, _("Your notification settings were saved."))
            return redirect("notifications:preferences")
    else:
        form = PreferencesForm(initial={"email": current.email, "sms": current.sms}, user=request.user)
    return render(
        request, "notifications/preferences.html", {"form": form, "masked_phone": mask_phone(request.user.phone)}
    )


def _require_admin(request):
    if not request.user.has_role(Role.ADMIN):
        raise PermissionDenied(_("Only administrators may see the background work status."))


@login_required
def status(request):
    """Last run of each periodic task, reminders sent today, failures. Constant number of queries."""
    _require_admin(request)
    return render(
        request,
        "notifications/status.html",
        {
            "heartbeat": selectors.worker_heartbeat(),
            "tasks": selectors.periodic_task_status(),
            "reminders_today": selectors.reminders_sent_today(),
            "failures": selectors.recent_failures(),
            "backlog": selectors.delivery_backlog(),
            "failure_window_days": selectors.FAILURE_WINDOW_DAYS,
            "channels": Channel,
        },
    )


@login_required
@require_POST
def send_test(request):
    """Send the admin a test notification on the channels they chose, to check email/SMS settings."""
    _require_admin(request)
    services.test_notification_send(
        user=request.user,
        title=_("Test notification"),
        body=_("If you can read this, notifications reach you on this channel."),
    )
    messages.success(request, _("A test notification was sent to you."))
    return redirect("notifications:status")
