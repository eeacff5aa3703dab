"""Serializers for reception days, visits and opinions.

Constituents' names and phones always leave masked; the ``reveal`` actions return them
in full to entitled users and write an audit row. Writes go through the services: these
serializers only check shapes and look ids up.
"""

from django.urls import reverse
from rest_framework import serializers

from core.dates import validate_event_date
from core.masking import mask_phone
from core.periods import StatsQuerySerializer
from core.serializers import StrictModelSerializer, StrictSerializer
from deputies.models import Deputy
from liaison.models import Opinion, OpinionCategory, OpinionOutcome, ReceptionDay, Visit, VisitChannel
from liaison.services.privacy import mask_name
from organisation.models import Grid, Station


def _unit_queryset():
    # The unit model lives in a higher layer; it is reached through the relation, not imported.
    return Opinion._meta.get_field("referral_unit").related_model.objects.all()


class RosterEntrySerializer(StrictSerializer):
    deputy = serializers.IntegerField(source="deputy_id", allow_null=True)
    deputy_name = serializers.CharField(source="deputy.name", default=None, allow_null=True)
    group = serializers.IntegerField(source="group_id", allow_null=True)
    group_name = serializers.CharField(source="group.name", default=None, allow_null=True)


class ReceptionDaySerializer(StrictModelSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True)
    origin_label = serializers.CharField(source="get_origin_display", read_only=True)
    roster = RosterEntrySerializer(many=True, read_only=True)

    class Meta:
        model = ReceptionDay
        fields = [
            "id",
            "station",
            "station_name",
            "date",
            "origin",
            "origin_label",
            "rule",
            "is_cancelled",
            "cancel_reason",
            "note",
            "roster",
        ]
        read_only_fields = fields


class MaskedConstituentSerializer(StrictSerializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()

    def get_name(self, obj) -> str:
        return mask_name(obj.name)

    def get_phone(self, obj) -> str:
        return mask_phone(obj.phone)


class DeputyBriefField(StrictSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class VisitSerializer(StrictModelSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True, default=None, allow_null=True)
    deputies = DeputyBriefField(many=True, read_only=True)
    constituents = MaskedConstituentSerializer(many=True, read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.display_name", read_only=True)
    opinion_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "station",
            "station_name",
            "reception_day",
            "date",
            "channel",
            "channel_label",
            "headcount",
            "grid",
            "grid_name",
            "deputies",
            "constituents",
            "note",
            "recorded_by",
            "opinion_count",
            "created_at",
        ]
        read_only_fields = fields


class ConstituentInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class OpinionInputSerializer(StrictSerializer):
    category = serializers.ChoiceField(choices=OpinionCategory.choices)
    content = serializers.CharField(max_length=2000)
    grid = serializers.PrimaryKeyRelatedField(
        queryset=Grid.objects.select_related("centre__community"), required=False, allow_null=True
    )
    outcome = serializers.ChoiceField(
        choices=[c for c in OpinionOutcome.choices if c[0] != OpinionOutcome.ESCALATED],
        required=False,
        allow_blank=True,
        allow_null=True,
    )
    outcome_note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    referral_unit = serializers.PrimaryKeyRelatedField(queryset=_unit_queryset(), required=False, allow_null=True)


class VisitCreateSerializer(StrictSerializer):
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all())
    date = serializers.DateField(validators=[validate_event_date])
    channel = serializers.ChoiceField(choices=VisitChannel.choices)
    headcount = serializers.IntegerField(min_value=1, max_value=10000)
    deputies = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.all(), many=True, required=False)
    grid = serializers.PrimaryKeyRelatedField(
        queryset=Grid.objects.select_related("centre__community"), required=False, allow_null=True
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    constituents = ConstituentInputSerializer(many=True, required=False)
    opinions = OpinionInputSerializer(many=True, required=False)


class OpinionSerializer(StrictModelSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True, default=None, allow_null=True)
    deputy_name = serializers.CharField(source="deputy.name", read_only=True, default=None, allow_null=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    outcome_label = serializers.SerializerMethodField()
    referral_unit_name = serializers.CharField(
        source="referral_unit.name", read_only=True, default=None, allow_null=True
    )
    resolved = serializers.SerializerMethodField()
    contact_name = serializers.SerializerMethodField()
    contact_phone = serializers.SerializerMethodField()
    photo_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Opinion
        fields = [
            "id",
            "station",
            "station_name",
            "grid",
            "grid_name",
            "visit",
            "deputy",
            "deputy_name",
            "source",
            "source_label",
            "category",
            "category_label",
            "content",
            "received_on",
            "outcome",
            "outcome_label",
            "outcome_note",
            "outcome_at",
            "referral_unit",
            "referral_unit_name",
            "resolved",
            "resolved_at",
            "resolution_note",
            "tracking_code",
            "contact_name",
            "contact_phone",
            "photo_count",
            "created_at",
        ]
        read_only_fields = fields

    def get_outcome_label(self, obj) -> str:
        return str(obj.get_outcome_display()) if obj.outcome else ""

    def get_resolved(self, obj) -> bool:
        return obj.resolved_at is not None

    def get_contact_name(self, obj) -> str:
        return mask_name(obj.contact_name)

    def get_contact_phone(self, obj) -> str:
        return mask_phone(obj.contact_phone)


class OpinionEventSerializer(StrictSerializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    outcome = serializers.CharField()
    note = serializers.CharField()
    actor = serializers.CharField(source="actor.display_name", default=None, allow_null=True)
    at = serializers.DateTimeField()
    entered_at = serializers.DateTimeField(
        allow_null=True,
        help_text="Set when the step was recorded afterwards (补录): ``at`` is when it happened, ``actor`` who "
        "entered it, and this when.",
    )


class ReferralFeedbackSerializer(StrictSerializer):
    id = serializers.IntegerField()
    content = serializers.CharField()
    recorded_by = serializers.CharField(source="recorded_by.display_name")
    created_at = serializers.DateTimeField()


class OpinionDetailSerializer(OpinionSerializer):
    events = OpinionEventSerializer(many=True, read_only=True)
    referral_feedback = ReferralFeedbackSerializer(many=True, read_only=True)
    photos = serializers.SerializerMethodField()

    class Meta(OpinionSerializer.Meta):
        fields = [*OpinionSerializer.Meta.fields, "events", "referral_feedback", "photos", "suggestions"]
        read_only_fields = fields

    suggestions = serializers.SerializerMethodField()

    def get_suggestions(self, obj) -> list[int]:
        """Suggestions drafted from this opinion (the link lives on the suggestion)."""
        related = getattr(obj, "suggestions", None)
        return [s.pk for s in related.all()] if related is not None else []

    def get_photos(self, obj) -> list[str]:
        return [reverse("opinion-photo", kwargs={"pk": obj.pk, "photo_pk": photo.pk}) for photo in obj.photos.all()]


class OpinionCreateSerializer(OpinionInputSerializer):
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all())
    received_on = serializers.DateField(required=False, validators=[validate_event_date])
    visit = serializers.PrimaryKeyRelatedField(queryset=Visit.objects.all(), required=False, allow_null=True)
    photos = serializers.ListField(child=serializers.FileField(), required=False, max_length=10)


class OutcomeInputSerializer(StrictSerializer):
    # Escalation goes through the suggestions API, which drafts the suggestion and links it.
    outcome = serializers.ChoiceField(choices=[c for c in OpinionOutcome.choices if c[0] != OpinionOutcome.ESCALATED])
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    referral_unit = serializers.PrimaryKeyRelatedField(queryset=_unit_queryset(), required=False, allow_null=True)
    happened_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        validators=[validate_event_date],
        help_text="补录: the day the outcome was given, for this station's staff and the office (not before the "
        "opinion was received, not in the future). Anyone else sending it gets a 400.",
    )


class NoteInputSerializer(StrictSerializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ResolveInputSerializer(NoteInputSerializer):
    happened_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        validators=[validate_event_date],
        help_text="补录: the day the problem was solved, for this station's staff and the office (not before the "
        "outcome, not in the future). Anyone else sending it gets a 400.",
    )


class FeedbackInputSerializer(StrictSerializer):
    content = serializers.CharField(max_length=2000)


class RevealInputSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class StationStatsQuerySerializer(StatsQuerySerializer):
    """The period, basis and scope parameters of every statistic (``core.periods``)."""


class StationStatsSerializer(StrictSerializer):
    visits_person_times = serializers.IntegerField()
    opinions = serializers.IntegerField()
    answered_on_site = serializers.IntegerField()
    escalated = serializers.IntegerField()
    resolved = serializers.IntegerField()
