from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.masking import mask_phone
from core.roles import Role
from core.serializers import StrictModelSerializer
from deputies.models import Deputy, DeputyGroup, Term
from deputies.selectors import can_see_deputy_phone


class TermSerializer(StrictModelSerializer):
    """One level at which the deputy holds a seat."""

    level_label = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Term
        fields = ["id", "level", "level_label", "congress", "constituency", "start_year", "end_year"]
        # Duplicates and dates are checked by the service across the whole set of terms.
        validators: list = []


class DeputySerializer(StrictModelSerializer):
    """A deputy with their terms; ``terms`` and ``groups`` replace the current set when written.

    ``phone`` is masked (``138****5678``) for users who may not see it in full.
    """

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    gender_label = serializers.CharField(source="get_gender_display", read_only=True)
    terms = TermSerializer(many=True, required=False)
    groups = serializers.PrimaryKeyRelatedField(many=True, queryset=DeputyGroup.objects.all(), required=False)

    class Meta:
        model = Deputy
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "gender",
            "gender_label",
            "birth_year",
            "party",
            "occupation",
            "phone",
            "is_standing_committee",
            "is_active",
            "note",
            "terms",
            "groups",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def to_representation(self, deputy):
        data = super().to_representation(deputy)
        request = self.context.get("request")
        if request is None or not can_see_deputy_phone(request.user, deputy):
            data["phone"] = mask_phone(deputy.phone)
        return data


class DeputyBriefSerializer(StrictModelSerializer):
    """A deputy as other records show them: id and name."""

    class Meta:
        model = Deputy
        fields = ["id", "name"]
        read_only_fields = fields


class DeputyGroupSerializer(StrictModelSerializer):
    """A deputy group (代表小组) by area or by profession.

    ``members`` (ids) is write-only and replaces the current set when given; list a group's members with
    ``/api/v1/deputies/?group=<id>``, which shows only the deputies the user may see. The leader is always
    made a member. ``leader`` and ``leader_name`` are empty when the user may not see the leader.
    """

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    leader = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.all(), allow_null=True, required=False)
    leader_name = serializers.CharField(source="leader.name", read_only=True, default=None, allow_null=True)
    members = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Deputy.objects.all(), required=False, write_only=True
    )
    member_count = serializers.SerializerMethodField()

    class Meta:
        model = DeputyGroup
        fields = ["id", "name", "kind", "kind_label", "leader", "leader_name", "members", "member_count"]
        # A new group states whether it is by area or by profession.
        extra_kwargs = {"kind": {"required": True}}

    @extend_schema_field(serializers.IntegerField())
    def get_member_count(self, group) -> int:
        # Annotated by the view; counting here would cost a query per row.
        return group.member_count

    def to_representation(self, group):
        data = super().to_representation(group)
        # Annotated by ``groups_visible_to``; a group read any other way shows no leader.
        if not getattr(group, "leader_visible", False):
            data["leader"] = data["leader_name"] = None
        return data


_created_at_field = serializers.DateTimeField()


def deputy_list_rows(deputies, user) -> list[dict]:
    """``DeputySerializer(deputies, many=True).data`` for a list page, built directly as dictionaries.

    The same keys and values (a test compares both for every role), without running a serializer with
    nested fields per row: on a light list that machinery was most of the request's time. ``deputies``
    must have ``terms`` (ordered by level) and ``groups`` prefetched, as the list view's queryset has.
    """
    sees_all_phones = user.is_authenticated and (user.sees_everything or user.effective_role == Role.STATION_STAFF)
    own_deputy = user.deputy_id if user.is_authenticated and user.effective_role == Role.DEPUTY else None
    rows = []
    for deputy in deputies:
        phone = deputy.phone if sees_all_phones or deputy.id == own_deputy else mask_phone(deputy.phone)
        rows.append(
            {
                "id": deputy.id,
                "name": deputy.name,
                "kind": deputy.kind,
                "kind_label": deputy.get_kind_display(),
                "gender": deputy.gender,
                "gender_label": deputy.get_gender_display(),
                "birth_year": deputy.birth_year,
                "party": deputy.party,
                "occupation": deputy.occupation,
                "phone": phone,
                "is_standing_committee": deputy.is_standing_committee,
                "is_active": deputy.is_active,
                "note": deputy.note,
                "terms": [
                    {
                        "id": term.id,
                        "level": term.level,
                        "level_label": term.get_level_display(),
                        "congress": term.congress,
                        "constituency": term.constituency,
                        "start_year": term.start_year,
                        "end_year": term.end_year,
                    }
                    for term in deputy.terms.all()
                ],
                "groups": [group.pk for group in deputy.groups.all()],
                "created_at": _created_at_field.to_representation(deputy.created_at),
            }
        )
    return rows
