"""Printable QR codes leading to the public channel: of a station, of a deputy, and a sheet of them."""

import io

import qrcode
import qrcode.image.svg
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.roles import Role
from deputies.models import Deputy
from deputies.selectors import deputies_visible_to
from organisation.selectors import stations_visible_to


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
