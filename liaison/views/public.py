"""The public QR channel: mobile pages for constituents (no account).

Submissions and status look-ups are rate-limited per client address (django-ratelimit,
groups shared with the public API); a limited request gets a 429 page in Chinese.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from core import clock
from core.errors import ActionRefused
from core.files import serve_file
from core.pages import run_service
from deputies.models import Deputy
from liaison.forms import PublicOpinionForm, PublicStatusForm
from liaison.selectors import reception_days_of_deputy
from liaison.services import public as public_services
from organisation.models import Station

SESSION_KEY = "liaison_public_submission"
# The opinion whose sender may still ask for the code by SMS (set on the confirmation page, one use).
SMS_SESSION_KEY = "liaison_public_sms"
# How many of a deputy's next reception days the public page lists.
UPCOMING_DAYS = 5


def _limited(request, group: str, rate: str) -> bool:
    return is_ratelimited(request, group=group, key="ip", rate=rate, increment=True)


def _too_many(request):
    return render(request, "liaison/public/limited.html", status=429)


def _submit(request, *, station: Station | None, deputy: Deputy | None, title: str, profile: dict | None = None):
    form = PublicOpinionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if _limited(request, public_services.SUBMIT_GROUP, public_services.SUBMIT_RATE):
            return _too_many(request)
        if form.is_valid():
            data = form.cleaned_data
            outcome = run_service(
                request,
                form,
                lambda: public_services.public_opinion_submit(
                    station=station,
                    deputy=deputy,
                    category=data["category"],
                    content=data["content"],
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    photos=request.FILES.getlist("photos"),
                    consent=data["consent"],
                ),
            )
            if outcome.ok:
                submission = outcome.result
                request.session[SESSION_KEY] = {
                    "code": submission.tracking_code,
                    "digits": submission.check_digits,
                    "opinion": submission.opinion_id,
                }
                return redirect("liaison:public_submitted")
        status = 400
    return render(
        request,
        "liaison/public/submit.html",
        {"form": form, "title": title, "station": station, "deputy": deputy, "profile": profile},
        status=status,
    )


@never_cache
def public_station(request, pk):
    station = get_object_or_404(Station, pk=pk, is_active=True)
    return _submit(request, station=station, deputy=None, title=station.name)


@never_cache
def public_deputy(request, pk):
    deputy = get_object_or_404(Deputy, pk=pk, is_active=True)
    station = public_services.public_station_for_deputy(deputy)
    if station is None:
        raise Http404(_("This deputy is not attached to a station yet."))
    return _submit(
        request,
        station=station,
        deputy=deputy,
        title=_("Deputy %(name)s") % {"name": deputy.name},
        profile=_deputy_profile(deputy),
    )


def _deputy_profile(deputy: Deputy) -> dict:
    """What a constituent sees of a deputy: photo, introduction, levels, stations with their hours and
    the next reception days the deputy is on (no phone, no personal data)."""
    stations = list(deputy.resident_stations.filter(is_active=True).order_by("id"))
    grid_station = public_services.public_station_for_deputy(deputy)
    if grid_station is not None and grid_station not in stations:
        stations.append(grid_station)
    upcoming = (
        reception_days_of_deputy(deputy.pk)
        .filter(date__gte=clock.today(), is_cancelled=False)
        .prefetch_related(None)[:UPCOMING_DAYS]
    )
    return {
        "deputy": deputy,
        "levels": deputy.level_labels,
        "stations": stations,
        "upcoming": list(upcoming),
    }


@never_cache
def public_deputy_photo(request, pk):
    """A deputy's portrait, public like their page; only active deputies' and only the photo."""
    deputy = get_object_or_404(Deputy.objects.exclude(photo=""), pk=pk, is_active=True)
    return serve_file(deputy.photo, filename=f"deputy-{deputy.pk}")


@never_cache
def public_submitted(request):
    # Shown once: on a shared phone the next person does not see the code and check number.
    submission = request.session.pop(SESSION_KEY, None)
    if not submission:
        return redirect("liaison:public_status")
    if not submission["digits"] and submission.get("opinion"):
        # A phone was left: the sender may have the code sent to it, once, from this page.
        request.session[SMS_SESSION_KEY] = submission["opinion"]
    return render(request, "liaison/public/submitted.html", {"submission": submission})


@never_cache
@require_POST
def public_sms(request):
    """Send the tracking code to the phone left with the opinion just submitted (one use per submission)."""
    opinion_id = request.session.get(SMS_SESSION_KEY)
    if not opinion_id:
        return render(
            request, "liaison/public/sms.html", {"sent": False, "message": _("This page has expired.")}, status=409
        )
    if _limited(request, public_services.SMS_GROUP, public_services.SMS_RATE):
        return _too_many(request)
    request.session.pop(SMS_SESSION_KEY, None)
    try:
        public_services.public_tracking_sms_request(opinion_id=opinion_id)
    except ActionRefused as exc:
        return render(request, "liaison/public/sms.html", {"sent": False, "message": exc.message}, status=409)
    return render(request, "liaison/public/sms.html", {"sent": True})


@never_cache
def public_status(request):
    """Status by tracking code plus four digits; the answer shows nothing personal."""
    # A link from the confirmation page carries only the code: show the form with it filled in.
    bound = "digits" in request.GET
    form = PublicStatusForm(request.GET if bound else None, initial={"code": request.GET.get("code", "")})
    result, status_code = None, 200
    if form.is_bound:
        if _limited(request, public_services.STATUS_GROUP, public_services.STATUS_RATE):
            return _too_many(request)
        if form.is_valid():
            opinion = public_services.public_opinion_lookup(
                tracking_code=form.cleaned_data["code"], check_digits=form.cleaned_data["digits"]
            )
            if opinion is None:  # also the answer for a code typed wrongly
                form.add_error(None, _("No opinion matches this tracking code and these four digits."))
                status_code = 404
            else:
                result = public_services.public_status(opinion)
        else:
            status_code = 400
    return render(request, "liaison/public/status.html", {"form": form, "result": result}, status=status_code)
