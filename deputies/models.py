from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.dates import validate_event_date


class Level(models.TextChoices):
    """The five levels at which people's congress deputies are elected."""

    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    COUNTY = "county", _("County/district")
    TOWNSHIP = "township", _("Township/street")


class DeputyKind(models.TextChoices):
    CONGRESS = "congress", _("People's congress deputy")
    # 议政代表: appointed by the street; takes part in station work but holds no congress term.
    DELIBERATION = "deliberation", _("Deliberation representative")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Deputy(models.Model):
    name = models.CharField(_("name"), max_length=50, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DeputyKind.choices, default=DeputyKind.CONGRESS)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    party = models.CharField(_("political affiliation"), max_length=50, blank=True)
    occupation = models.CharField(_("work unit and position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_standing_committee = models.BooleanField(_("standing committee member"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)
    # Shown on the deputy's public page (the QR code's page): a portrait and a short introduction.
    photo = models.ImageField(_("photo"), upload_to="deputies/", blank=True)
    introduction = models.TextField(
        _("introduction"),
        max_length=1000,
        blank=True,
        help_text=_("Shown to constituents on the deputy's public page: background, concerns, how to reach them."),
    )
    # 进站代表: the stations where the deputy is resident (they receive constituents there).
    resident_stations = models.ManyToManyField(
        "organisation.Station", verbose_name=_("resident stations"), related_name="resident_deputies", blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["kind", "is_active"])]

    def __str__(self) -> str:
        return self.name

    @property
    def level_labels(self) -> list[str]:
        """Labels of the current terms; uses a prefetched ``terms`` when there is one."""
        order = list(Level.values)
        terms = sorted(self.terms.all(), key=lambda term: order.index(term.level))
        return [term.get_level_display() for term in terms]


class Term(models.Model):
    """One level at which a person is a deputy; a person may hold several at once."""

    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="terms", verbose_name=_("deputy"))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    congress = models.CharField(_("congress"), max_length=100, help_text=_("e.g. 某区第十八届人民代表大会"))
    constituency = models.CharField(_("constituency"), max_length=100, blank=True)
    start_year = models.PositiveSmallIntegerField(_("start year"))
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["deputy", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["deputy", "level", "start_year"],
                name="unique_term_per_level_and_start",
                violation_error_message=_("This deputy already has a term at this level starting that year."),
            ),
            models.CheckConstraint(
                name="term_ends_after_start",
                condition=Q(end_year__isnull=True) | Q(end_year__gte=F("start_year")),
                violation_error_message=_("A term cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.get_level_display()}"


class GroupKind(models.TextChoices):
    AREA = "area", _("By area")
    PROFESSION = "profession", _("By profession")


class DeputyGroup(models.Model):
    """代表小组: deputies grouped by area or by profession (教育, 心理 …)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=GroupKind.choices, default=GroupKind.AREA)
    leader = models.ForeignKey(
        Deputy, verbose_name=_("group leader"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    members = models.ManyToManyField(Deputy, verbose_name=_("members"), related_name="groups", blank=True)

    class Meta:
        verbose_name = _("deputy group")
        verbose_name_plural = _("deputy groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContactLink(models.Model):
    """双联: a standing-committee member keeps in contact with a deputy."""

    committee_member = models.ForeignKey(
        Deputy, on_delete=models.CASCADE, related_name="contact_links", verbose_name=_("committee member")
    )
    deputy = models.ForeignKey(
        Deputy, on_delete=models.CASCADE, related_name="committee_contacts", verbose_name=_("deputy")
    )
    since = models.DateField(_("since"), null=True, blank=True, validators=[validate_event_date])

    class Meta:
        verbose_name = _("committee contact link")
        verbose_name_plural = _("committee contact links")
        constraints = [
            models.UniqueConstraint(
                fields=["committee_member", "deputy"],
                name="unique_contact_link",
                violation_error_message=_("This contact link already exists."),
            ),
            models.CheckConstraint(
                name="contact_link_not_self",
                condition=~Q(committee_member=F("deputy")),
                violation_error_message=_("A member cannot be linked to themselves."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee_member} → {self.deputy}"


class ConstituentLink(models.Model):
    """双联: a deputy keeps in regular contact with a constituent (at least five each)."""

    deputy = models.ForeignKey(
        Deputy, on_delete=models.CASCADE, related_name="constituent_links", verbose_name=_("deputy")
    )
    name = models.CharField(_("constituent name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    since = models.DateField(_("since"), null=True, blank=True, validators=[validate_event_date])

    class Meta:
        verbose_name = _("constituent contact link")
        verbose_name_plural = _("constituent contact links")
        constraints = [
            models.UniqueConstraint(
                fields=["deputy", "name", "phone"],
                name="unique_constituent_link",
                violation_error_message=_("This constituent is already linked to the deputy."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} → {self.name}"
