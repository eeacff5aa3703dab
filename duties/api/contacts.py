"""API for voter contacts (联系选民): list, record and remove a deputy's contacts with voters.

Scoped like the pages: a deputy sees their own, station staff the deputies of their
stations, the office, leaders and admins everyone's. Writes go through the services:
403 for someone who may not keep the deputy's contacts, 400 with field errors on bad input.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.dates import validate_event_date
from core.serializers import StrictModelSerializer, StrictSerializer
from deputies.models import ConstituentLink, Deputy
from duties.filters import VoterContactFilter
from duties.models import VoterContact, VoterContactWay
from duties.selectors import voter_contacts_visible_to
from duties.services import contacts as contact_services


class VoterContactSerializer(StrictModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    way_label = serializers.CharField(source="get_way_display", read_only=True)
    constituent_name = serializers.CharField(source="constituent.name", read_only=True, default=None, allow_null=True)
    recorded_by = serializers.CharField(source="recorded_by.display_name", read_only=True)

    class Meta:
        model = VoterContact
        fields = [
            "id",
            "deputy",
            "deputy_name",
            "date",
            "way",
            "way_label",
            "subject",
            "people",
            "constituent",
            "constituent_name",
            "note",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields


class VoterContactCreateSerializer(StrictSerializer):
    deputy = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.all())
    date = serializers.DateField(validators=[validate_event_date])
    way = serializers.ChoiceField(choices=VoterContactWay.choices)
    subject = serializers.CharField(max_length=200)
    people = serializers.IntegerField(min_value=1, max_value=500, default=1)
    constituent = serializers.PrimaryKeyRelatedField(
        queryset=ConstituentLink.objects.all(), required=False, allow_null=True
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class VoterContactUpdateSerializer(StrictSerializer):
    date = serializers.DateField(required=False, validators=[validate_event_date])
    way = serializers.ChoiceField(choices=VoterContactWay.choices, required=False)
    subject = serializers.CharField(max_length=200, required=False)
    people = serializers.IntegerField(min_value=1, max_value=500, required=False)
    constituent = serializers.PrimaryKeyRelatedField(
        queryset=ConstituentLink.objects.all(), required=False, allow_null=True
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


@extend_schema(tags=["reception"])
class VoterContactViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    """Voter contacts (联系选民) of the deputies the user may see; a deputy sees only their own."""

    serializer_class = VoterContactSerializer
    filterset_class = VoterContactFilter

    def get_queryset(self):
        return voter_contacts_visible_to(self.request.user).order_by("-date", "-id")

    @extend_schema(request=VoterContactCreateSerializer, responses={201: VoterContactSerializer})
    def create(self, request, *args, **kwargs):
        """Record a contact; the deputy records their own, staff and the office for the deputies they serve."""
        data = VoterContactCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contact = contact_services.voter_contact_record(actor=request.user, **data.validated_data)
        contact = VoterContact.objects.select_related("deputy", "constituent", "recorded_by").get(pk=contact.pk)
        return Response(VoterContactSerializer(contact).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VoterContactUpdateSerializer, responses={200: VoterContactSerializer})
    def partial_update(self, request, *args, **kwargs):
        """Correct a contact (the same people who may record it); the deputy cannot change."""
        contact = self.get_object()
        data = VoterContactUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        contact_services.voter_contact_update(contact=contact, actor=request.user, **data.validated_data)
        return Response(VoterContactSerializer(self.get_queryset().get(pk=contact.pk)).data)

    def perform_destroy(self, instance):
        contact_services.voter_contact_delete(contact=instance, actor=self.request.user)
