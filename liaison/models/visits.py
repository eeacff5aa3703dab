"""Visits (接待记录) and the constituents who came."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.choices import ChoiceLabels
from core.dates import validate_event_date
from deputies.models import Deputy
from liaison.models.reception import ReceptionDay
from organisation.models import Grid, Station


class VisitChannel(models.TextChoices):
    AT_STATION = "at_station", _("Reception at the station")
    HOME_VISIT = "home_visit", _("Home visit")
    GRID_PATROL = "grid_patrol", _("Grid patrol")
    ONLINE = "online", _("QR code / online")
    PHONE = "phone", _("Telephone")
    WECHAT = "wechat", _("WeChat")
    COURTYARD_TALK = "courtyard_talk", _("Courtyard talk")
    COUNCIL = "council", _("Deliberation council")


class Visit(ChoiceLabels):
    """One reception event (接待记录): who received how many constituents, where and how."""

    station = models.ForeignKey(Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="visits")
    reception_day = models.ForeignKey(
        ReceptionDay,
        verbose_name=_("reception day"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    date = models.DateField(_("date"), validators=[validate_event_date])
    channel = models.CharField(pgettext_lazy("visit", "channel"), max_length=20, choices=VisitChannel.choices)
    deputies = models.ManyToManyField(
        Deputy, verbose_name=_("receiving deputies"), related_name="visits_received", blank=True
    )
    headcount = models.PositiveIntegerField(_("number of constituents"), default=1)
    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="visits_recorded"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                name="visit_headcount_at_least_one",
                condition=Q(headcount__gte=1),
                violation_error_message=_("A visit receives at least one constituent."),
            ),
        ]
        indexes = [
            # A station's (or a staff member's few stations') visits newest first: the keys of a page are
            # read from this index alone (core.pagination.page_rows).
            models.Index(fields=["station", "date", "id"], name="visit_station_date"),
            # The lists' order (-date, -id), read backwards so that a page needs no sort.
            models.Index(fields=["date", "id"], name="visit_date_id"),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.date} ({self.get_channel_display()})"


class VisitConstituent(models.Model):
    """A constituent who came, when they gave their name: personal information (PIPL)."""

    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="constituents")
    name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("visiting constituent")
        verbose_name_plural = _("visiting constituents")
        ordering = ["visit", "id"]
        constraints = [
            models.CheckConstraint(
                name="visit_constituent_has_name_or_phone",
                condition=~Q(name="") | ~Q(phone=""),
                violation_error_message=_("Give the constituent's name or phone."),
            ),
        ]

    def __str__(self) -> str:
        return self.name or "-"
