"""Shapes of suggestions in the API. Output serializers read prefetched rows; input serializers only
parse — every rule lives in ``suggestions.services``."""

from django.urls import reverse
from rest_framework import serializers

from core.dates import validate_event_date
from core.filters import INT_MAX
from core.periods import StatsQuerySerializer as PeriodStatsQuerySerializer
from core.serializers import StrictModelSerializer, StrictQuerySerializer, StrictSerializer
from deputies.models import Deputy
from organisation.models import HandlingUnit, UnitKind
from suggestions.models import CONTENT_MAX_LENGTH, Category, ContactMethod, Rating, ReplyClass
from suggestions.transitions import actors_of, available_actions, back_recordable_actions, may_back_record


class HandlingUnitSerializer(StrictModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = HandlingUnit
        fields = ["id", "name", "kind", "kind_label", "contact_person", "phone", "address", "is_active"]


class HandlingUnitWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=UnitKind.choices, default=UnitKind.DEPARTMENT)
    contact_person = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(required=False)


class _Ref(StrictSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def _user_name(user) -> str | None:
    return user.display_name if user is not None else None


_PROVISIONAL_HELP = (
    "True when this working-day deadline was counted on the statutory holidays (暂按法定节假日推算) because a "
    "year it spans had no official holiday schedule yet; it is counted again when that schedule is entered."
)


class SuggestionListSerializer(StrictSerializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    category = serializers.CharField()
    category_label = serializers.CharField(source="get_category_display")
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    lead_deputy = _Ref()
    lead_unit = _Ref(allow_null=True)
    is_complex = serializers.BooleanField()
    key_supervision = serializers.BooleanField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    assign_due = serializers.DateField(allow_null=True)
    assign_due_provisional = serializers.BooleanField(help_text=_PROVISIONAL_HELP)
    assigned_on = serializers.DateField(allow_null=True)
    reply_due = serializers.DateField(allow_null=True)
    deadline = serializers.DateField(allow_null=True, help_text="The date the next step is due by.")
    deadline_provisional = serializers.BooleanField(help_text=_PROVISIONAL_HELP)
    overdue = serializers.BooleanField(help_text="Derived against today; never stored.")
    reply_class = serializers.CharField()
    first_rating = serializers.CharField()
    final_rating = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class _CoSigner(StrictSerializer):
    deputy = _Ref()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    responded_at = serializers.DateTimeField(allow_null=True)


class _Attachment(StrictSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.SerializerMethodField()
    uploaded_at = serializers.DateTimeField()

    def get_url(self, obj) -> str:
        """The scoped download address (stored files have no public URL)."""
        if not obj.file:
            return ""
        return reverse("suggestion-attachment", kwargs={"pk": obj.suggestion_id, "attachment_pk": obj.pk})


class _Assignment(StrictSerializer):
    unit = _Ref()
    role = serializers.CharField()
    role_label = serializers.CharField(source="get_role_display")
    active = serializers.BooleanField()
    assigned_on = serializers.DateField()
    opinion_due = serializers.DateField(allow_null=True)


class _CoUnitOpinion(StrictSerializer):
    unit = serializers.CharField(source="assignment.unit.name")
    round = serializers.IntegerField()
    content = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class _Contact(StrictSerializer):
    unit = serializers.CharField(source="unit.name")
    method = serializers.CharField()
    method_label = serializers.CharField(source="get_method_display")
    contacted_on = serializers.DateField()
    note = serializers.CharField()


class _Reply(StrictSerializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField()
    unit = serializers.CharField(source="unit.name")
    reply_class = serializers.CharField()
    reply_class_label = serializers.CharField(source="get_reply_class_display")
    content = serializers.CharField()
    contacted = serializers.BooleanField()
    attachment = serializers.SerializerMethodField()
    replied_on = serializers.DateField()
    due_on = serializers.DateField()
    on_time = serializers.BooleanField()

    def get_attachment(self, obj) -> str:
        """The scoped download address of the reply's file, or "" without one."""
        if not obj.attachment:
            return ""
        return reverse("suggestion-reply-attachment", kwargs={"pk": obj.suggestion_id, "reply_pk": obj.pk})


class _Evaluation(StrictSerializer):
    reply = serializers.IntegerField(source="reply_id")
    rating = serializers.CharField()
    rating_label = serializers.CharField(source="get_rating_display")
    comment = serializers.CharField()
    is_first = serializers.BooleanField()
    is_final = serializers.BooleanField()
    evaluated_at = serializers.DateTimeField()


class _Extension(StrictSerializer):
    id = serializers.IntegerField()
    reason = serializers.CharField()
    previous_due = serializers.DateField()
    new_due = serializers.DateField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    requested_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField()


class _ReturnRequest(StrictSerializer):
    id = serializers.IntegerField()
    unit = serializers.CharField(source="assignment.unit.name")
    reason = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    requested_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField()


class _SupervisionNote(StrictSerializer):
    author = serializers.SerializerMethodField()
    note = serializers.CharField()
    key_supervision = serializers.BooleanField(allow_null=True)
    created_at = serializers.DateTimeField()

    def get_author(self, obj) -> str | None:
        return _user_name(obj.author)


class _FollowUp(StrictSerializer):
    content = serializers.CharField()
    solved = serializers.BooleanField()
    recorded_at = serializers.DateTimeField()


class _Event(StrictSerializer):
    at = serializers.DateTimeField()
    actor = serializers.SerializerMethodField()
    action = serializers.CharField()
    action_label = serializers.CharField(source="get_action_display")
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    to_state_label = serializers.CharField(source="get_to_state_display")
    note = serializers.CharField()
    data = serializers.JSONField()
    back_recorded = serializers.BooleanField(
        help_text="True when the step was recorded afterwards (补录): ``at`` is the day it happened, ``actor`` "
        "who entered it and ``entered_at`` when."
    )
    entered_at = serializers.DateTimeField(allow_null=True)

    def get_actor(self, obj) -> str | None:
        return _user_name(obj.actor)


class SuggestionDetailSerializer(SuggestionListSerializer):
    content = serializers.CharField()
    return_reason = serializers.CharField()
    withdraw_reason = serializers.CharField()
    return_request_due = serializers.DateField(allow_null=True)
    return_request_due_provisional = serializers.BooleanField(help_text=_PROVISIONAL_HELP)
    first_replied_on = serializers.DateField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    follow_up_solved_on = serializers.DateField(allow_null=True)
    cosigners = _CoSigner(many=True, source="cosignatures.all")
    attachments = _Attachment(many=True, source="attachments.all")
    assignments = _Assignment(many=True, source="assignments.all")
    co_unit_opinions = _CoUnitOpinion(many=True, source="co_unit_opinions.all")
    contacts = _Contact(many=True, source="contacts.all")
    replies = _Reply(many=True, source="replies.all")
    evaluations = _Evaluation(many=True, source="evaluations.all")
    extensions = _Extension(many=True, source="extensions.all")
    return_requests = _ReturnRequest(many=True, source="return_requests.all")
    supervision_notes = _SupervisionNote(many=True, source="supervision_notes.all")
    follow_ups = _FollowUp(many=True, source="follow_ups.all")
    timeline = _Event(many=True, source="events.all")
    available_actions = serializers.SerializerMethodField(help_text="Actions this user may take now.")
    back_recordable_actions = serializers.SerializerMethodField(
        help_text="Steps this user may record afterwards with ``happened_on`` (the office, and station staff "
        "for their stations); empty for everyone else."
    )

    def get_available_actions(self, obj) -> list[str]:
        user = self.context["request"].user
        return available_actions(suggestion=obj, actors=actors_of(user, obj))

    def get_back_recordable_actions(self, obj) -> list[str]:
        user = self.context["request"].user
        if not may_back_record(user, obj):
            return []
        return back_recordable_actions(suggestion=obj)


# --- Input -------------------------------------------------------------------------------------

_deputies = Deputy.objects.filter(is_active=True)


class SuggestionWriteSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(
        max_length=CONTENT_MAX_LENGTH,
        help_text=f"The suggestion's text, at most {CONTENT_MAX_LENGTH:,} characters; longer material goes in "
        "attachments.",
    )
    category = serializers.ChoiceField(choices=Category.choices, default=Category.OTHER)
    cosigners = serializers.PrimaryKeyRelatedField(queryset=_deputies, many=True, required=False)


_HAPPENED_ON_HELP = (
    "补录: the date the step happened, for the office (and station staff for their stations) recording it "
    "afterwards. Not in the future, not before the suggestion's previous step; deadlines are counted from it "
    "on that year's working-day calendar. Anyone else sending it gets a 400. Omit it for a step taken today."
)


def _happened_on(help_text: str = _HAPPENED_ON_HELP):
    return serializers.DateField(
        required=False, allow_null=True, default=None, validators=[validate_event_date], help_text=help_text
    )


class SuggestionCreateSerializer(SuggestionWriteSerializer):
    lead_deputy = serializers.PrimaryKeyRelatedField(
        queryset=Deputy.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Only with ``happened_on``: the deputy who submitted the suggestion being recorded.",
    )
    happened_on = _happened_on(
        "补录: the date a past suggestion was submitted. The office (and station staff for their "
        "stations' deputies) records it drafted and submitted that day in one step; anyone else gets a 400."
    )


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField(allow_blank=True)


class DatedReasonSerializer(ReasonSerializer):
    happened_on = _happened_on()


class EmptySerializer(StrictSerializer):
    pass


class DatedSerializer(StrictSerializer):
    happened_on = _happened_on()


class CosignSerializer(StrictSerializer):
    accept = serializers.BooleanField(default=True)
    deputy = serializers.PrimaryKeyRelatedField(
        queryset=Deputy.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Only with ``happened_on``: the co-signer whose answer is recorded (may be left out when one "
        "co-signer is invited).",
    )
    happened_on = _happened_on()


_UNIT_HELP = (
    "Only with ``happened_on``: the assigned unit that took the step (may be left out when only one unit could)."
)


def _acting_unit():
    return serializers.PrimaryKeyRelatedField(
        queryset=HandlingUnit.objects.all(), required=False, allow_null=True, default=None, help_text=_UNIT_HELP
    )


class RequestReturnSerializer(ReasonSerializer):
    unit = _acting_unit()
    happened_on = _happened_on()


class AssignSerializer(StrictSerializer):
    lead_unit = serializers.PrimaryKeyRelatedField(queryset=HandlingUnit.objects.all())
    co_units = serializers.PrimaryKeyRelatedField(queryset=HandlingUnit.objects.all(), many=True, required=False)
    complex = serializers.BooleanField(default=False)
    happened_on = _happened_on()


class DecideReturnSerializer(StrictSerializer):
    return_request = serializers.IntegerField()
    accept = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    happened_on = _happened_on()


class ContentSerializer(StrictSerializer):
    content = serializers.CharField(allow_blank=True)


class CoUnitOpinionSerializer(ContentSerializer):
    unit = _acting_unit()
    happened_on = _happened_on()


class ContactSerializer(StrictSerializer):
    method = serializers.ChoiceField(choices=ContactMethod.choices)
    contacted_on = serializers.DateField(
        required=False, allow_null=True, default=None, validators=[validate_event_date]
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    happened_on = _happened_on()


class ReplySerializer(StrictSerializer):
    reply_class = serializers.ChoiceField(choices=ReplyClass.choices)
    content = serializers.CharField(allow_blank=True)
    contacted = serializers.BooleanField(required=False, allow_null=True, default=None)
    attachment = serializers.FileField(required=False, allow_null=True, default=None)
    happened_on = _happened_on()


class EvaluateSerializer(StrictSerializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    happened_on = _happened_on()


class ExtendSerializer(StrictSerializer):
    new_due = serializers.DateField(validators=[validate_event_date])
    reason = serializers.CharField(allow_blank=True)
    happened_on = _happened_on()


class DecideExtensionSerializer(StrictSerializer):
    extension = serializers.IntegerField()
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    happened_on = _happened_on()


class SuperviseSerializer(StrictSerializer):
    note = serializers.CharField(allow_blank=True)
    key_supervision = serializers.BooleanField(required=False, allow_null=True, default=None)
    happened_on = _happened_on()


class FollowUpSerializer(StrictSerializer):
    content = serializers.CharField(allow_blank=True)
    solved = serializers.BooleanField(default=False)
    happened_on = _happened_on()


class StatsQuerySerializer(PeriodStatsQuerySerializer):
    """The parameters of every statistic (``core.periods``), and the category."""

    category = serializers.ChoiceField(choices=Category.choices, required=False)


class StatsSerializer(StrictSerializer):
    assigned = serializers.IntegerField(help_text="交办数: assigned and not withdrawn")
    replied = serializers.IntegerField(help_text="with a first reply")
    closed = serializers.IntegerField(help_text="final evaluation recorded")
    reply_rate = serializers.FloatField(allow_null=True, help_text="办复率 replied ÷ assigned")
    on_time_rate = serializers.FloatField(
        allow_null=True,
        help_text="按期答复率: first replies given on or before the deadline in force that day "
        "(3 months after 交办, or the approved extension) ÷ replied",
    )
    closure_rate = serializers.FloatField(allow_null=True, help_text="办结率 closed ÷ assigned")
    satisfaction_rate = serializers.FloatField(
        allow_null=True, help_text="满意率 (满意 + 基本满意) ÷ final evaluations"
    )
    first_satisfaction_rate = serializers.FloatField(
        allow_null=True, help_text="初次满意率 (满意 + 基本满意) ÷ first evaluations"
    )
    a_class_rate = serializers.FloatField(allow_null=True, help_text="A类占比: latest reply class A ÷ replied")
    contact_rate = serializers.FloatField(
        allow_null=True, help_text="见面率: replied where the unit met or called the deputy ÷ replied"
    )


class FromOpinionSerializer(StrictSerializer):
    opinion = serializers.IntegerField(help_text="An opinion the user may see")
    deputy = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.all())
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    happened_on = _happened_on(
        "补录: the day the opinion was turned into a suggestion. The office (and the station's staff) "
        "record the escalation dated that day and the suggestion formed and submitted that day; anyone else "
        "gets a 400."
    )


class FromOpinionResultSerializer(StrictSerializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    lead_deputy = serializers.IntegerField(source="lead_deputy_id")
    source_opinions = serializers.ListField(child=serializers.IntegerField())


class RiskQuerySerializer(StrictQuerySerializer):
    unit = serializers.PrimaryKeyRelatedField(
        queryset=HandlingUnit.objects.all(), required=False, help_text="the lead unit's id"
    )
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    page = serializers.IntegerField(required=False, min_value=1, max_value=INT_MAX)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


class RiskUnitSerializer(StrictSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RiskSerializer(StrictSerializer):
    """One open suggestion on the risk list (``suggestions.risk``)."""

    id = serializers.IntegerField(source="suggestion.pk")
    title = serializers.CharField(source="suggestion.title")
    state = serializers.CharField(source="suggestion.state")
    category = serializers.CharField(source="suggestion.category")
    lead_unit = RiskUnitSerializer(source="suggestion.lead_unit")
    assigned_on = serializers.DateField(source="suggestion.assigned_on")
    reply_due = serializers.DateField(source="suggestion.reply_due")
    working_days_left = serializers.IntegerField(
        source="features.working_days_left", help_text="working days from tomorrow to the deadline, both included"
    )
    holidays = serializers.ListField(
        child=serializers.CharField(), source="features.holidays", help_text="public holidays before the deadline"
    )
    probability = serializers.FloatField(source="rounded", help_text="risk of missing the deadline, 0–1")
    level = serializers.ChoiceField(choices=["very_high", "high", "medium", "low"])
    reasons = serializers.ListField(child=serializers.CharField(), help_text="the reasons, weightiest first")
