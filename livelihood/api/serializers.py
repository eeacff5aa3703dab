"""Shapes of the livelihood API. Serializers validate input and present rows; services do the work."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.dates import validate_event_date
from core.masking import mask_phone
from core.serializers import StrictModelSerializer, StrictSerializer
from deputies.models import Deputy
from liaison.models import Opinion
from livelihood import selectors
from livelihood.models import (
    Ballot,
    Candidate,
    Choice,
    CycleEvent,
    Milestone,
    ProgressUpdate,
    Project,
    ProjectRating,
    ProposerKind,
    Rating,
    SubItem,
    SupervisionVisit,
    VotingSession,
    YearCycle,
)
from organisation.models import HandlingUnit
from suggestions.models import Suggestion


def _user(serializer):
    return serializer.context["request"].user


# --- cycles -----------------------------------------------------------------------------------------


class YearCycleSerializer(StrictModelSerializer):
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    candidate_count = serializers.IntegerField(read_only=True)
    shortlist_count = serializers.IntegerField(read_only=True)
    project_count = serializers.IntegerField(read_only=True)
    session = serializers.SerializerMethodField()

    class Meta:
        model = YearCycle
        fields = [
            "id",
            "year",
            "title",
            "places",
            "stage",
            "stage_label",
            "candidate_count",
            "shortlist_count",
            "project_count",
            "session",
            "created_at",
        ]
        read_only_fields = ["stage", "created_at"]
        # Uniqueness of the year is checked by the service, with a message in the user's language.
        validators = []
        extra_kwargs = {"year": {"validators": []}}

    def get_session(self, cycle) -> int | None:
        # A missing reverse one-to-one raises an AttributeError subclass; getattr turns it into None.
        session = getattr(cycle, "voting_session", None)
        return session.pk if session else None


class CycleEventSerializer(StrictModelSerializer):
    actor_name = serializers.SerializerMethodField()
    # Plain strings here: the stage enum is described once, on the cycle.
    from_stage = serializers.CharField(read_only=True)
    to_stage = serializers.CharField(read_only=True)
    from_stage_label = serializers.CharField(source="get_from_stage_display", read_only=True)
    to_stage_label = serializers.CharField(source="get_to_stage_display", read_only=True)

    class Meta:
        model = CycleEvent
        fields = [
            "id",
            "action",
            "from_stage",
            "from_stage_label",
            "to_stage",
            "to_stage_label",
            "actor_name",
            "candidate",
            "project",
            "note",
            "created_at",
        ]

    def get_actor_name(self, event) -> str:
        return event.actor.display_name if event.actor else ""


# --- candidates -------------------------------------------------------------------------------------


class CandidateSerializer(StrictModelSerializer):
    proposer_kind_label = serializers.CharField(source="get_proposer_kind_display", read_only=True)
    responsible_unit_name = serializers.CharField(source="responsible_unit.name", read_only=True, default="")
    proposer_deputy_name = serializers.CharField(source="proposer_deputy.name", read_only=True, default="")
    result_label = serializers.CharField(source="get_result_display", read_only=True)

    class Meta:
        model = Candidate
        fields = [
            "id",
            "cycle",
            "title",
            "description",
            "proposer_kind",
            "proposer_kind_label",
            "proposer_name",
            "proposer_phone",
            "proposer_deputy",
            "proposer_deputy_name",
            "estimated_budget",
            "responsible_unit",
            "responsible_unit_name",
            "source_opinion",
            "source_suggestion",
            "shortlisted",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "result",
            "result_label",
            "created_at",
        ]
        read_only_fields = ["shortlisted", "votes_for", "votes_against", "votes_abstain", "result", "created_at"]
        # Whether the user may see the source is the service's decision (400 when not).
        extra_kwargs = {"title": {"required": False}, "description": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "request" in self.context:
            self.fields["cycle"].queryset = YearCycle.objects.all()
            self.fields["responsible_unit"].queryset = HandlingUnit.objects.filter(is_active=True)
            self.fields["proposer_deputy"].queryset = Deputy.objects.filter(is_active=True)
            self.fields["source_opinion"].queryset = Opinion.objects.all()
            self.fields["source_suggestion"].queryset = Suggestion.objects.all()

    def to_representation(self, candidate):
        data = super().to_representation(candidate)
        if not selectors.can_see_proposer(_user(self)) and candidate.proposer_kind == ProposerKind.CONSTITUENT:
            data["proposer_name"] = ""
        # Phones are personal information: masked in lists, never shown to those who do not organise the pool.
        data["proposer_phone"] = mask_phone(candidate.proposer_phone) if selectors.can_see_proposer(_user(self)) else ""
        return data


class CandidateUpdateSerializer(StrictModelSerializer):
    class Meta:
        model = Candidate
        fields = ["title", "description", "estimated_budget", "responsible_unit"]


class ShortlistSerializer(StrictSerializer):
    shortlisted = serializers.BooleanField()


# --- the vote ---------------------------------------------------------------------------------------


class VotingSessionSerializer(StrictModelSerializer):
    is_open = serializers.BooleanField(read_only=True)
    present_count = serializers.IntegerField(read_only=True)
    ballot_count = serializers.IntegerField(read_only=True)
    year = serializers.IntegerField(source="cycle.year", read_only=True)

    class Meta:
        model = VotingSession
        fields = [
            "id",
            "cycle",
            "year",
            "opened_at",
            "closed_at",
            "is_open",
            "present_count",
            "ballot_count",
            "tie_pending",
            "tie_decision_note",
        ]


class VoteOpenSerializer(StrictSerializer):
    cycle = serializers.PrimaryKeyRelatedField(queryset=YearCycle.objects.all())
    present = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.all(), many=True, allow_empty=False)


class AttendanceSerializer(StrictSerializer):
    deputies = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.all(), many=True, allow_empty=False)


class TieDecisionSerializer(StrictSerializer):
    selected = serializers.PrimaryKeyRelatedField(queryset=Candidate.objects.all(), many=True)
    note = serializers.CharField()


class VoteResultSerializer(StrictModelSerializer):
    """Counts only: nothing here says who voted how."""

    result_label = serializers.CharField(source="get_result_display", read_only=True)

    class Meta:
        model = Candidate
        fields = ["id", "title", "votes_for", "votes_against", "votes_abstain", "result", "result_label"]


class BallotChoiceSerializer(StrictSerializer):
    candidate = serializers.IntegerField()
    choice = serializers.ChoiceField(choices=Choice.choices)


def _choices_map(items) -> dict[int, str]:
    choices = {}
    for item in items:
        if item["candidate"] in choices:
            raise serializers.ValidationError(_("Each candidate may appear only once on a ballot."))
        choices[item["candidate"]] = item["choice"]
    return choices


class BallotSerializer(StrictModelSerializer):
    """The audit view of a ballot (who, when, how entered); ``choices`` only for the deputy's own."""

    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    channel = serializers.CharField(read_only=True, help_text="online or paper")
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    entered_by_name = serializers.SerializerMethodField()
    choices = serializers.SerializerMethodField()

    class Meta:
        model = Ballot
        fields = ["id", "session", "deputy", "deputy_name", "channel", "channel_label", "entered_by_name", "cast_at"]
        fields += ["choices"]

    def get_entered_by_name(self, ballot) -> str:
        return ballot.entered_by.display_name if ballot.entered_by else ""

    def get_choices(self, ballot) -> list[dict] | None:
        user = _user(self)
        if user.deputy_id != ballot.deputy_id:
            return None
        return [{"candidate": c.candidate_id, "choice": c.choice} for c in ballot.choices.all()]


class BallotCastSerializer(StrictSerializer):
    session = serializers.PrimaryKeyRelatedField(queryset=VotingSession.objects.select_related("cycle"))
    choices = BallotChoiceSerializer(many=True, allow_empty=False)

    def validate_choices(self, value):
        return _choices_map(value)


class PaperBallotSerializer(StrictSerializer):
    deputy = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.all())
    choices = BallotChoiceSerializer(many=True, allow_empty=False)

    def validate_choices(self, value):
        return _choices_map(value)


class PaperBatchSerializer(StrictSerializer):
    session = serializers.PrimaryKeyRelatedField(queryset=VotingSession.objects.select_related("cycle"))
    ballots = PaperBallotSerializer(many=True, allow_empty=False, max_length=2000)


# --- projects ---------------------------------------------------------------------------------------


class ProjectSubItemSerializer(StrictModelSerializer):
    class Meta:
        model = SubItem
        fields = ["id", "title", "budget"]


class ProjectMilestoneSerializer(StrictModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due_date", "completed_on"]
        read_only_fields = ["completed_on"]


class ProjectMilestoneCompleteSerializer(StrictSerializer):
    completed_on = serializers.DateField(required=False, validators=[validate_event_date])


class ProgressUpdateSerializer(StrictModelSerializer):
    photos = serializers.SerializerMethodField()
    recorded_by_name = serializers.SerializerMethodField()

    class Meta:
        model = ProgressUpdate
        fields = ["id", "sub_item", "percent", "note", "photos", "recorded_by_name", "created_at"]

    def get_photos(self, update) -> list[str]:
        return [
            reverse("livelihood-project-photo", kwargs={"pk": update.project_id, "photo_pk": photo.pk})
            for photo in update.photos.all()
        ]

    def get_recorded_by_name(self, update) -> str:
        return update.recorded_by.display_name if update.recorded_by else ""


class ProgressReportSerializer(StrictSerializer):
    percent = serializers.IntegerField(min_value=0, max_value=100)
    note = serializers.CharField()
    sub_item = serializers.PrimaryKeyRelatedField(queryset=SubItem.objects.all(), required=False, allow_null=True)
    photos = serializers.ListField(child=serializers.ImageField(), required=False, max_length=6)


class LivelihoodProjectSerializer(StrictModelSerializer):
    year = serializers.IntegerField(source="cycle.year", read_only=True)
    stage = serializers.CharField(source="cycle.stage", read_only=True)
    responsible_unit_name = serializers.CharField(source="responsible_unit.name", read_only=True)
    # One of the rating values (or empty before 公示); the rating enum is described on ratings.
    verdict = serializers.CharField(read_only=True)
    verdict_label = serializers.CharField(source="get_verdict_display", read_only=True)
    sub_item_count = serializers.IntegerField(read_only=True)
    milestone_count = serializers.IntegerField(read_only=True)
    open_milestone_count = serializers.IntegerField(read_only=True)
    votes_for = serializers.IntegerField(source="candidate.votes_for", read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "cycle",
            "year",
            "stage",
            "title",
            "description",
            "responsible_unit",
            "responsible_unit_name",
            "budget",
            "votes_for",
            "progress_percent",
            "progress_updated_at",
            "sub_item_count",
            "milestone_count",
            "open_milestone_count",
            "verdict",
            "verdict_label",
        ]


class LivelihoodProjectDetailSerializer(LivelihoodProjectSerializer):
    sub_items = ProjectSubItemSerializer(many=True, read_only=True)
    milestones = ProjectMilestoneSerializer(many=True, read_only=True)
    progress_updates = ProgressUpdateSerializer(many=True, read_only=True)

    class Meta(LivelihoodProjectSerializer.Meta):
        fields = LivelihoodProjectSerializer.Meta.fields + ["sub_items", "milestones", "progress_updates"]


class SupervisionVisitSerializer(StrictModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    project_title = serializers.CharField(source="project.title", read_only=True)

    class Meta:
        model = SupervisionVisit
        fields = ["id", "project", "project_title", "deputy", "deputy_name", "visited_on", "findings", "created_at"]
        extra_kwargs = {"deputy": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "request" in self.context:
            self.fields["project"].queryset = selectors.projects_visible_to(_user(self))


class ProjectRatingSerializer(StrictModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    project_title = serializers.CharField(source="project.title", read_only=True)
    rating_label = serializers.CharField(source="get_rating_display", read_only=True)
    rating = serializers.ChoiceField(choices=Rating.choices)

    class Meta:
        model = ProjectRating
        fields = ["id", "project", "project_title", "deputy", "deputy_name", "rating", "rating_label", "rated_at"]
        read_only_fields = ["deputy", "rated_at"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "request" in self.context:
            self.fields["project"].queryset = selectors.projects_visible_to(_user(self))
