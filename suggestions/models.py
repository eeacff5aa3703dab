"""提、交、办、督、评: deputies' suggestions and everything that happens to them.

Every state change goes through ``suggestions.services`` and is checked against
``suggestions.transitions``; the rows here only hold data. Several columns on
``Suggestion`` (``first_replied_on``, ``reply_class``, ``final_rating`` …) repeat
what the reply and evaluation rows say, so that lists, reminders and statistics
for a whole city are one indexed query; only the services write them.
"""

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import validate_event_date
from liaison.models import OpinionCategory
from organisation.models import HandlingUnit


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    REPLIED = "replied", _("Replied")
    REHANDLING = "rehandling", _("Re-handling")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# States in which a unit owes a reply, and the state in which the office owes an assignment.
AWAITING_REPLY = (State.ASSIGNED, State.IN_PROGRESS, State.REHANDLING)
AWAITING_ASSIGNMENT = (State.SUBMITTED,)


# One list of categories for opinions and the suggestions they become (城建, 交通, 环境 …).
Category = OpinionCategory


class ReplyClass(models.TextChoices):
    A = "A", _("A: solved or basically solved")
    B = "B", _("B: being solved or planned")
    C = "C", _("C: to be solved when conditions allow")
    D = "D", _("D: kept for reference")


# Replies of these classes stay tracked after closing (回头看) until the unit reports the matter solved.
FOLLOW_UP_CLASSES = (ReplyClass.B, ReplyClass.C)


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


SATISFIED_RATINGS = (Rating.SATISFIED, Rating.BASICALLY_SATISFIED)


class Action(models.TextChoices):
    """Everything that can happen to a suggestion; each one is a service and an event."""

    CREATE = "create", _("Create draft")
    UPDATE = "update", _("Edit")
    COSIGN = "cosign", _("Co-sign")
    SUBMIT = "submit", _("Submit")
    RETURN = "return", _("Return")
    RESUBMIT = "resubmit", _("Resubmit")
    ASSIGN = "assign", _("Assign")
    REQUEST_RETURN = "request_return", _("Ask to return")
    DECIDE_RETURN = "decide_return", _("Decide on return request")
    ACKNOWLEDGE = "acknowledge", _("Acknowledge")
    CO_UNIT_OPINION = "co_unit_opinion", _("Co-unit opinion")
    RECORD_CONTACT = "record_contact", _("Record contact")
    REPLY = "reply", _("Reply")
    EVALUATE = "evaluate", _("Evaluate")
    EXTEND = "extend", _("Extend deadline")
    DECIDE_EXTENSION = "decide_extension", _("Decide on extension")
    SUPERVISE = "supervise", _("Supervise")
    WITHDRAW = "withdraw", _("Withdraw")
    FOLLOW_UP = "follow_up", _("Follow-up update")
    # Not a step of the lifecycle: a deadline counted provisionally moved when the official calendar came.
    RECOMPUTE_DEADLINE = "recompute_deadline", _("Deadline recomputed")


ATTACHMENT_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "txt"]
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# What an attachment may turn out to be, by the extension it is stored with (core.uploads reads the content).
ATTACHMENT_KINDS = frozenset({"pdf", "jpg", "png", "doc", "docx", "xls", "xlsx", "txt"})


def _attachment_path(instance, filename: str) -> str:
    return f"suggestions/{timezone.localdate():%Y/%m}/{filename}"


# The longest suggestion text accepted (forms, API, services). A suggestion is a letter to a government
# department: 20,000 characters is some twenty printed pages; supporting material goes in attachments.
CONTENT_MAX_LENGTH = 20_000


class Suggestion(models.Model):
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

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The reminder sweep and the overdue list: "awaiting reply, due before X".
            models.Index(fields=["state", "reply_due"], name="sugg_state_reply_due"),
            models.Index(fields=["state", "assign_due"], name="sugg_state_assign_due"),
            # The few deadlines to count again when an official calendar year is entered.
            models.Index(fields=["assign_due"], condition=Q(assign_due_provisional=True), name="sugg_assign_due_prov"),
            models.Index(
                fields=["return_request_due"],
                condition=Q(return_request_due_provisional=True),
                name="sugg_return_due_prov",
            ),
            models.Index(fields=["lead_unit", "state"], name="sugg_unit_state"),
            models.Index(fields=["lead_deputy", "state"], name="sugg_deputy_state"),
            models.Index(fields=["key_supervision", "state"], name="sugg_key_state"),
            models.Index(fields=["assigned_on"], name="sugg_assigned_on"),
            models.Index(fields=["submitted_at"], name="sugg_submitted_at"),
            models.Index(fields=["category", "state"], name="sugg_category_state"),
            # The lists' order (-created_at, -id), read backwards so that a page needs no sort.
            models.Index(fields=["created_at", "id"], name="sugg_created_id"),
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


class CoSignStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class CoSignature(models.Model):
    """附议: a deputy invited to co-sign; the suggestion can be submitted once every invitation is answered."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="cosignatures")
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="cosignatures"
    )
    status = models.CharField(_("status"), max_length=20, choices=CoSignStatus.choices, default=CoSignStatus.PENDING)
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("co-signature")
        verbose_name_plural = _("co-signatures")
        ordering = ["suggestion", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "deputy"],
                name="unique_cosigner",
                violation_error_message=_("This deputy is already a co-signer."),
            )
        ]
        indexes = [models.Index(fields=["deputy", "status"], name="cosign_deputy_status")]

    def __str__(self) -> str:
        return f"{self.suggestion_id} · {self.deputy_id}"


class Attachment(models.Model):
    """A file the deputy attaches to the suggestion itself (replies carry their own)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("file"), upload_to=_attachment_path, validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS)]
    )
    name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["suggestion", "id"]

    def __str__(self) -> str:
        return self.name


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead unit")
    CO = "co", _("Co-unit")


class Assignment(models.Model):
    """A unit's part in handling a suggestion; ``active`` ends when the office takes it back."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(HandlingUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("role"), max_length=10, choices=AssignmentRole.choices)
    active = models.BooleanField(_("active"), default=True)
    assigned_on = models.DateField(_("assigned on"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Co-units owe the lead unit their written opinion by this date.
    opinion_due = models.DateField(_("opinion due"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["suggestion", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "unit"],
                condition=Q(active=True),
                name="one_active_assignment_per_unit",
                violation_error_message=_("This unit is already assigned this suggestion."),
            ),
            models.UniqueConstraint(
                fields=["suggestion"],
                condition=Q(active=True, role="lead"),
                name="one_active_lead_unit",
                violation_error_message=_("A suggestion has one lead unit."),
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "active"], name="assignment_unit_active"),
            models.Index(fields=["active", "opinion_due"], name="assignment_opinion_due"),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id} → {self.unit} ({self.get_role_display()})"


class CoUnitOpinion(models.Model):
    """A co-unit's written opinion to the lead unit, one per assignment and reply round."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="co_unit_opinions")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="opinions")
    round = models.PositiveSmallIntegerField(_("reply round"), default=1)
    content = models.TextField(_("opinion"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("co-unit opinion")
        verbose_name_plural = _("co-unit opinions")
        ordering = ["suggestion", "submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "round"],
                name="one_co_opinion_per_round",
                violation_error_message=_("This unit has already given its opinion for this round."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id} · {self.assignment_id} · {self.round}"


class ContactMethod(models.TextChoices):
    MEETING = "meeting", _("Met in person")
    PHONE = "phone", _("Phone call")


class Contact(models.Model):
    """见面/电话沟通: the lead unit talked to the deputy before replying."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="contacts")
    unit = models.ForeignKey(HandlingUnit, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("method"), max_length=10, choices=ContactMethod.choices)
    contacted_on = models.DateField(_("date"), validators=[validate_event_date])
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("contact with the deputy")
        verbose_name_plural = _("contacts with the deputy")
        ordering = ["suggestion", "contacted_on", "id"]

    def __str__(self) -> str:
        return f"{self.suggestion_id} · {self.method} · {self.contacted_on}"


class Reply(models.Model):
    """The lead unit's written reply; round 1 is the first reply, round 2 the reply after 不满意."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveSmallIntegerField(_("round"))
    unit = models.ForeignKey(HandlingUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="replies")
    reply_class = models.CharField(_("reply class"), max_length=1, choices=ReplyClass.choices)
    content = models.TextField(_("reply"))
    contacted = models.BooleanField(_("deputy contacted before replying"), default=False)
    attachment = models.FileField(
        _("attachment"),
        upload_to=_attachment_path,
        blank=True,
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS)],
    )
    attachment_name = models.CharField(_("attachment file name"), max_length=200, blank=True)
    replied_at = models.DateTimeField(_("replied at"), default=timezone.now)
    replied_on = models.DateField(_("replied on"))
    # The deadline in force when the reply was given (after any approved extension): on time ⇔ replied_on ≤ due_on.
    due_on = models.DateField(_("due on"))
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["suggestion", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "round"],
                name="one_reply_per_round",
                violation_error_message=_("This round already has a reply."),
            ),
            models.CheckConstraint(
                name="reply_round_1_or_2",
                condition=Q(round__in=[1, 2]),
                violation_error_message=_("A reply is the first or the second."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id} · {self.round} · {self.reply_class}"

    @property
    def on_time(self) -> bool:
        return self.replied_on <= self.due_on


class Evaluation(models.Model):
    """评: the lead deputy's rating of one reply; the first may send it back, the final one closes it."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="evaluations")
    reply = models.OneToOneField(Reply, on_delete=models.CASCADE, related_name="evaluation")
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)
    is_first = models.BooleanField(_("first evaluation"))
    is_final = models.BooleanField(_("final evaluation"))
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    evaluated_at = models.DateTimeField(_("evaluated at"), default=timezone.now)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["suggestion", "evaluated_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="evaluation_first_or_final",
                condition=Q(is_first=True) | Q(is_final=True),
                violation_error_message=_("An evaluation is the first, the final, or both."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id} · {self.rating}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class OfficeDecidedRequest(models.Model):
    """A request the office approves or rejects: who asked, when, and the decision."""

    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        abstract = True


class Extension(OfficeDecidedRequest):
    """A later reply deadline: asked for by the lead unit (or set by the office), with a reason the deputy sees."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="extensions")
    reason = models.TextField(_("reason"))
    previous_due = models.DateField(_("previous deadline"))
    new_due = models.DateField(_("new deadline"), validators=[validate_event_date])

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["suggestion", "requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion"],
                condition=Q(status="pending"),
                name="one_pending_extension",
                violation_error_message=_("An extension request is already pending."),
            ),
            models.CheckConstraint(
                name="extension_moves_deadline_later",
                condition=Q(new_due__gt=F("previous_due")),
                violation_error_message=_("The new deadline must be later than the current one."),
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="extension_status")]

    def __str__(self) -> str:
        return f"{self.suggestion_id} → {self.new_due} ({self.status})"


class ReturnRequest(OfficeDecidedRequest):
    """A unit asks the office to take an item back as not its business (within 7 working days of 交办)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="return_requests")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="return_requests")
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("return request")
        verbose_name_plural = _("return requests")
        ordering = ["suggestion", "requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status="pending"),
                name="one_pending_return_request",
                violation_error_message=_("This unit has already asked to return the item."),
            )
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="return_request_status")]

    def __str__(self) -> str:
        return f"{self.suggestion_id} · {self.assignment_id} ({self.status})"


class SupervisionNote(models.Model):
    """督: a leader's or the office's note; ``key_supervision`` records a flag being set or lifted."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="supervision_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("note"))
    key_supervision = models.BooleanField(_("key supervision set"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("supervision note")
        verbose_name_plural = _("supervision notes")
        ordering = ["suggestion", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.suggestion_id} · {self.created_at:%Y-%m-%d}"


class FollowUp(models.Model):
    """回头看: progress on a B/C reply after closing, until the unit reports it solved."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="follow_ups")
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="follow_ups")
    content = models.TextField(_("progress"))
    solved = models.BooleanField(_("solved"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["suggestion", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.suggestion_id} · {self.recorded_at:%Y-%m-%d}"


class SuggestionEvent(models.Model):
    """One line of the timeline: who did what, when, from which state to which. Append-only."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=State.choices)
    note = models.TextField(_("note"), blank=True)
    # Structured details for the timeline (unit names, reply class, rating, new deadline …).
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("suggestion event")
        verbose_name_plural = _("suggestion events")
        ordering = ["suggestion", "at", "id"]
        indexes = [models.Index(fields=["suggestion", "at"], name="event_suggestion_at")]

    def __str__(self) -> str:
        return f"{self.suggestion_id} {self.action} {self.from_state}→{self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Suggestion events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Suggestion events are append-only.")


# --- The working-day calendar the office enters --------------------------------------------------

# Years a schedule may be entered for: wide enough for any real use, narrow enough to catch a typo.
CALENDAR_FIRST_YEAR = 2000
CALENDAR_LAST_YEAR = 2100


class CalendarYear(models.Model):
    """One year's official holiday schedule (国务院办公厅关于部分节假日安排的通知), entered by the office.

    Only the exceptions to the week are stored (``CalendarDay``): public holidays and the weekend days
    worked in exchange (调休上班); every other day follows the week, Monday to Friday on and weekends
    off. A year entered here takes precedence over the ``chinesecalendar`` package (``suggestions.deadlines``);
    it changes only through ``services.calendar_year_enter``.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("The notice the schedule comes from, e.g. its number.")
    )
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                name="calendar_year_in_range",
                condition=Q(year__gte=CALENDAR_FIRST_YEAR, year__lte=CALENDAR_LAST_YEAR),
                violation_error_message=_("Enter a year between 2000 and 2100."),
            )
        ]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A public holiday (on any day of the week) or a weekend day worked in exchange (调休上班)."""

    # Keyed by the year itself, so that the database can check that the date lies in it.
    calendar_year = models.ForeignKey(
        CalendarYear,
        verbose_name=_("year"),
        to_field="year",
        db_column="year",
        on_delete=models.CASCADE,
        related_name="days",
    )
    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=30)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                name="calendar_day_in_its_year",
                condition=Q(date__year=F("calendar_year")),
                violation_error_message=_("The date must lie in the year of the schedule."),
            ),
            models.CheckConstraint(
                name="calendar_day_work_on_weekend",
                # week_day: 1 is Sunday, 7 is Saturday.
                condition=Q(is_working_day=False) | Q(date__week_day__in=[1, 7]),
                violation_error_message=_("Only a Saturday or a Sunday can be a make-up working day."),
            ),
            models.CheckConstraint(
                name="calendar_day_has_name",
                condition=~Q(name=""),
                violation_error_message=_("Give the day a name."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
