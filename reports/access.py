"""Who may read and print what in the reports app.

Reading starts from these querysets and checks, so the pages, the API, the Excel
exports and the PDFs agree: a deputy sees their own performance file and prints
their own annual report; the office, leaders and admins see and print everything.
"""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from core.roles import Role
from deputies.models import Deputy
from organisation.models import Station
from reports.models import ReportJob, ReportKind

# Roles that read dashboards, rankings and every deputy's file, and print every report.
OVERSEERS = (Role.OFFICE, Role.LEADER, Role.ADMIN)


def sees_all_reports(user) -> bool:
    return user.is_authenticated and user.has_role(*OVERSEERS)


def can_request(user, *, kind: str, subject_id: int | None) -> bool:
    if sees_all_reports(user):
        return True
    if user.has_role(Role.DEPUTY) and user.deputy_id:
        return kind == ReportKind.DEPUTY_ANNUAL and subject_id == user.deputy_id
    return False


def jobs_visible_to(user) -> QuerySet[ReportJob]:
    """Report jobs ``user`` may follow and download: their own; everything for overseers."""
    base = ReportJob.objects.select_related("requested_by")
    if not (user.is_authenticated and user.is_active):
        return base.none()
    if sees_all_reports(user):
        return base
    return base.filter(requested_by=user)


def jobs_downloadable_by(user) -> QuerySet[ReportJob]:
    """Report jobs whose PDF ``user`` may download: visible to them, and of a subject they may still print.

    An owner who has since lost the right (a deputy account linked to someone else, an office
    account moved to another role) no longer downloads what they printed before.
    """
    jobs = jobs_visible_to(user)
    if sees_all_reports(user):
        return jobs
    if user.is_authenticated and user.has_role(Role.DEPUTY) and user.deputy_id:
        return jobs.filter(kind=ReportKind.DEPUTY_ANNUAL, subject_id=user.deputy_id)
    return jobs.none()


def performance_deputies_visible_to(user) -> QuerySet[Deputy]:
    """Deputies whose performance file ``user`` may read: their own, or all for overseers."""
    if not (user.is_authenticated and user.is_active):
        return Deputy.objects.none()
    if sees_all_reports(user):
        return Deputy.objects.all()
    if user.has_role(Role.DEPUTY) and user.deputy_id:
        return Deputy.objects.filter(id=user.deputy_id)
    return Deputy.objects.none()


def describe_subject(*, kind: str, subject_id: int | None, year: int, user=None) -> str:
    """The job's title in Chinese (reports are printed in Chinese); ``ValidationError`` if the subject is unknown."""
    with translation.override("zh-hans"):
        if kind == ReportKind.DEPUTY_ANNUAL:
            deputy = Deputy.objects.filter(id=subject_id).only("name").first()
            if deputy is None:
                raise ValidationError({"subject": _("No such deputy.")})
            return _("%(year)s annual performance report of %(name)s") % {"year": year, "name": deputy.name}
        if kind == ReportKind.STATION_ANNUAL:
            station = Station.objects.filter(id=subject_id).only("name").first()
            if station is None:
                raise ValidationError({"subject": _("No such station.")})
            return _("%(year)s annual report of %(station)s") % {"year": year, "station": station.name}
        if kind == ReportKind.STREET_ANNUAL:
            return _("%(year)s annual report of the street") % {"year": year}
        if subject_id is None:
            return _("%(year)s performance reports of all deputies of the street") % {"year": year}
        station = Station.objects.filter(id=subject_id).only("name").first()
        if station is None:
            raise ValidationError({"subject": _("No such station.")})
        return _("%(year)s performance reports of the deputies of %(station)s") % {
            "year": year,
            "station": station.name,
        }
