"""The suggestion itself: one matter raised by a lead deputy, and the columns lists and reminders read."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabels
from core.search import SearchableFields
from organisation.models import HandlingUnit
from suggestions.models.choices import (
    AWAITING_ASSIGNMENT,
    AWAITING_REPLY,
    FOLLOW_UP_CLASSES,
    Category,
    Rating,
    ReplyClass,
    State,
)

# The longest suggestion text accepted (forms, API, services). A suggestion is a letter to a government
# department: 20,000 characters is some twenty printed pages; supporting material goes in attachments.
CONTENT_MAX_LENGTH = 20_000


class Suggestion(ChoiceLabels):
    """代表建议: one matter (一事一议) raised by a lead deputy, with optional co-signers."""

    lead_deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("lead deputy"), on_delete=models.PROTECT, related_name="led_suggestions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(
        _("content"), max_length=CONTENT_MAX_LENGTH, validators=[MaxLengthValidator(CONTENT_MAX_LENGTH)]
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices, default=Category.OTHER)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    source_opinions = models.ManyToManyField(
        "liaison.Opinion", verbose_name=_("source opinions"), blank=True, related_name="suggestions"
    )

    # 交: the office's decision.
    is_complex = models.BooleanField(_("complex matter"), default=False)
    lead_unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_suggestions",
    )
    return_reason = models.TextField(_("reason for return"), blank=True)

    # Deadlines (dates, Asia/Shanghai). Overdue is derived from these and today, never stored.
    submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    assign_due = models.DateField(_("assignment due"), null=True, blank=True)
    # The day the assignment clock started (submission, resubmission, or taking the item back): what
    # ``assign_due`` is counted from, so that it can be counted again when the official calendar comes.
    assign_counted_from = models.DateField(_("assignment clock started on"), null=True, blank=True)
    assign_due_provisional = models.BooleanField(
        _("assignment deadline provisional"),
        default=False,
        help_text=_("Counted on the statutory holidays because the year had no official schedule yet."),
    )
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True)
    reply_due = models.DateField(_("reply due"), null=True, blank=True)
    return_request_due = models.DateField(_("return requests accepted until"), null=True, blank=True)
    return_request_due_provisional = models.BooleanField(
        _("return deadline provisional"),
        default=False,
        help_text=_("Counted on the statutory holidays because the year had no official schedule yet."),
    )

    # 办 and 评, repeated from the reply and evaluation rows for lists and statistics.
    reply_round = models.PositiveSmallIntegerField(_("replies given"), default=0)
    first_replied_on = models.DateField(_("first replied on"), null=True, blank=True)
    first_reply_on_time = models.BooleanField(_("first reply on time"), null=True, blank=True)
    reply_class = models.CharField(_("reply class"), max_length=1, choices=ReplyClass.choices, blank=True)
    contacted = models.BooleanField(_("deputy contacted"), default=False)
    first_rating = models.CharField(_("first rating"), max_length=20, choices=Rating.choices, blank=True)
    final_rating = models.CharField(_("final rating"), max_length=20, choices=Rating.choices, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    follow_up_solved_on = models.DateField(_("follow-up solved on"), null=True, blank=True)

    # 督
    key_supervision = models.BooleanField(_("key supervision"), default=False)
    key_supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("flagged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawal"), blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Indexed for full-text search (core.search; the column is added by migration 0010).
    SEARCH = SearchableFields("title", "content")

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The reminder sweep and the overdue list: "awaiting reply, due before X".
            models.Index(fields=["state", "reply_due"], name="sugg_state_reply_due"),
            models.Index(fields=["state", "assign_due"], name="sugg_state_assign_due"),
            # The home pages' workload counts (reports.selectors.suggestion_workload): each an index-only
            # range of the submitted suggestions, never a fetch of the rows counted.
            models.Index(
                fields=["state", "reply_due", "assign_due"],
                include=["key_supervision"],
                condition=Q(submitted_at__isnull=False),
                name="sugg_workload",
            ),
            # The few deadlines to count again when an official calendar year is entered.
            models.Index(fields=["assign_due"], condition=Q(assign_due_provisional=True), name="sugg_assign_due_prov"),
            models.Index(
                fields=["return_request_due"],
                condition=Q(return_request_due_provisional=True),
                name="sugg_return_due_prov",
            ),
            models.Index(fields=["lead_unit", "state"], name="sugg_unit_state"),
            models.Index(fields=["lead_deputy", "state"], name="sugg_deputy_state"),
            # The home pages' 重点督办 count and list: the few flagged suggestions that were submitted (4,600
            # of 180,000 at city scale), without reading the other entries of a bigger index. (It replaces
            # an index on (key_supervision, state), which held every suggestion.)
            models.Index(
                fields=["state"],
                condition=Q(key_supervision=True, submitted_at__isnull=False),
                name="sugg_key_submitted",
            ),
            models.Index(fields=["assigned_on"], name="sugg_assigned_on"),
            models.Index(fields=["submitted_at"], name="sugg_submitted_at"),
            models.Index(fields=["category", "state"], name="sugg_category_state"),
            # The lists' order (-created_at, -id), read backwards so that a page needs no sort.
            models.Index(fields=["created_at", "id"], name="sugg_created_id"),
            # Station staff's list (the submitted suggestions of their stations' deputies) newest first:
            # the keys of a page are read from this index alone (core.pagination.page_rows).
            models.Index(
                fields=["lead_deputy", "created_at", "id"],
                condition=Q(submitted_at__isnull=False),
                name="sugg_deputy_created",
            ),
            # The incremental reminder sweeps read the suggestions changed since their last run.
            models.Index(fields=["updated_at"], name="sugg_updated_at"),
        ]
        constraints = [
            models.CheckConstraint(
                name="sugg_assigned_has_lead_unit",
                condition=~Q(state__in=["assigned", "in_progress", "replied", "rehandling"])
                | Q(lead_unit__isnull=False, reply_due__isnull=False, assigned_on__isnull=False),
                violation_error_message=_("An assigned suggestion needs a lead unit and a reply deadline."),
            ),
            models.CheckConstraint(
                name="sugg_reply_round_0_to_2",
                condition=Q(reply_round__lte=2),
                violation_error_message=_("A suggestion gets at most two replies."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def current_deadline(self):
        """The date the next step is due by, or None when nobody owes anything."""
        if self.state in AWAITING_ASSIGNMENT:
            return self.assign_due
        if self.state in AWAITING_REPLY:
            return self.reply_due
        return None

    @property
    def current_deadline_provisional(self) -> bool:
        """Whether ``current_deadline`` was counted on the statutory holidays (no official schedule yet)."""
        return self.state in AWAITING_ASSIGNMENT and self.assign_due_provisional

    def is_overdue_on(self, day) -> bool:
        deadline = self.current_deadline
        return deadline is not None and deadline < day

    @property
    def is_overdue(self) -> bool:
        """Derived against today; list querysets annotate the same as ``overdue`` (see selectors)."""
        annotated = getattr(self, "overdue", None)
        if annotated is not None:
            return bool(annotated)
        return self.is_overdue_on(timezone.localdate())

    @property
    def needs_follow_up(self) -> bool:
        return self.state == State.CLOSED and self.reply_class in FOLLOW_UP_CLASSES and not self.follow_up_solved_on
