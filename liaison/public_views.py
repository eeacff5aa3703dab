"""The public QR channel: mobile pages for constituents (no account) and the printable QR codes.

Submissions and status look-ups are rate-limited per client address (django-ratelimit,
groups shared with the public API); a limited request gets a 429 page in Chinese.
"""

import io

import qrcode
import qrcode.image.svg
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited

from core.pages import run_service
from core.roles import Role
from deputies.models import Deputy
from deputies.selectors import deputies_visible_to
from liaison.reception_forms import PublicOpinionForm, PublicStatusForm
from liaison.services import public as public_services
from organisation.models import Station
from organisation.selectors import stations_visible_to

SESSION_KEY = "liaison_public_submission"


def _limited(request, group: str, rate: str) -> bool:
    return is_ratelimited(request, group=group, key="ip", rate=rate, increment=True)


def _too_many(request):
    return render(request, "liaison/public/limited.html", status=429)


def _submit(request, *, station: Station | None, deputy: Deputy | None, title: str):
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
                }
                return redirect("liaison:public_submitted")
        status = 400
    return render(
        request,
        "liaison/public/submit.html",
        {"form": form, "title": title, "station": station, "deputy": deputy},
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
    return _submit(request, station=station, deputy=deputy, title=_("Deputy %(name)s") % {"name": deputy.name})


@never_cache
def public_submitted(request):
    # Shown once: on a shared phone the next person does not see the code and check number.
    submission = request.session.pop(SESSION_KEY, None)
    if not submission:
        return redirect("liaison:public_status")
    return render(request, "liaison/public/submitted.html", {"submission": submission})


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
            if opinion is None:
                form.add_error(None, _("No opinion matches this tracking code and these four digits."))
                status_code = 404
            else:
                result = public_services.public_status(opinion)
        else:
            status_code = 400
    return render(request, "liaison/public/status.html", {"form": form, "result": result}, status=status_code)


# --- QR codes ---------------------------------------------------------------------------------------------


def qr_image_bytes(url: str, fmt: str) -> bytes:
    """A QR code for ``url`` as PNG or SVG (medium error correction survives a smudged poster)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    qr.add_data(url)
    qr.make(fit=True)
    buffer = io.BytesIO()
    if fmt == "svg":
        qr.make_image(image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    else:
        qr.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def _qr_response(url: str, fmt: str, filename: str):
    content_type = "image/svg+xml" if fmt == "svg" else "image/png"
    response = HttpResponse(qr_image_bytes(url, fmt), content_type=content_type)
    if "download" in filename:
        response["Content-Disposition"] = f'attachment; filename="{filename.replace("download-", "")}.{fmt}"'
    return response


def _qr_format(fmt: str) -> str:
    if fmt not in ("png", "svg"):
        raise Http404(_("Unknown format."))
    return fmt


@login_required
def qr_station(request, pk, fmt):
    station = get_object_or_404(stations_visible_to(request.user), pk=pk)
    url = request.build_absolute_uri(reverse("liaison:public_station", args=[station.pk]))
    name = f"{'download-' if request.GET.get('download') else ''}station-{station.pk}"
    return _qr_response(url, _qr_format(fmt), name)


@login_required
def qr_deputy(request, pk, fmt):
    deputy = get_object_or_404(_qr_deputies(request.user), pk=pk)
    url = request.build_absolute_uri(reverse("liaison:public_deputy", args=[deputy.pk]))
    name = f"{'download-' if request.GET.get('download') else ''}deputy-{deputy.pk}"
    return _qr_response(url, _qr_format(fmt), name)


def _qr_deputies(user):
    if user.has_role(Role.DEPUTY):
        return Deputy.objects.filter(pk=user.deputy_id)
    return deputies_visible_to(user).filter(is_active=True)


@login_required
def qr_sheet(request):
    """Printable QR codes: the user's stations and their resident deputies (a deputy: their own)."""
    user = request.user
    if user.has_role(Role.UNIT_OFFICER):
        raise Http404
    stations = stations_visible_to(user).filter(is_active=True).prefetch_related("resident_deputies")
    if user.has_role(Role.DEPUTY):
        stations = stations.none()
    deputies = _qr_deputies(user).order_by("name")[:200] if user.has_role(Role.DEPUTY) else None
    return render(request, "liaison/reception/qr_sheet.html", {"stations": stations, "deputies": deputies})
