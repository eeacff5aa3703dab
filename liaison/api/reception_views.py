"""API for reception days, visits and opinions, scoped by role through the selectors.

An object the user may not see answers 404; an action they may not take, 403; an action
the rules refuse in the current state, 409 with the reason in Chinese.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api import keyset_pagination
from core.files import serve_file
from liaison.api.reception_serializers import (
    FeedbackInputSerializer,
    OpinionCreateSerializer,
    OpinionDetailSerializer,
    OpinionSerializer,
    OutcomeInputSerializer,
    ReceptionDaySerializer,
    ResolveInputSerializer,
    RevealInputSerializer,
    VisitCreateSerializer,
    VisitSerializer,
)
from liaison.filters.reception import OpinionFilter, ReceptionDayFilter, VisitFilter
from liaison.selectors import opinions_visible_to, reception_days_visible_to, visits_visible_to
from liaison.services import opinions as opinion_services
from liaison.services import privacy
from liaison.services.reception import visit_record


@extend_schema(tags=["reception"])
class ReceptionDayViewSet(viewsets.ReadOnlyModelViewSet):
    """Reception days (接待选民日) with their rosters; generated from each station's rules."""

    serializer_class = ReceptionDaySerializer
    filterset_class = ReceptionDayFilter

    def get_queryset(self):
        return reception_days_visible_to(self.request.user).order_by("date", "station_id")


@extend_schema(tags=["reception"])
class VisitViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Visits (接待记录). Constituents' names and phones are masked; ``reveal`` shows them (logged)."""

    serializer_class = VisitSerializer
    filterset_class = VisitFilter
    # Newest first, walked on the (date, id) index: ``next``/``previous`` links, no total count.
    pagination_class = keyset_pagination("-date", "-id")

    def get_queryset(self):
        return visits_visible_to(self.request.user).order_by("-date", "-id")

    @extend_schema(request=VisitCreateSerializer, responses={201: VisitSerializer})
    def create(self, request, *args, **kwargs):
        """Record a visit with its constituents and opinions in one go (all or nothing)."""
        data = VisitCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        visit = visit_record(
            actor=request.user,
            station=values.pop("station"),
            date=values.pop("date"),
            channel=values.pop("channel"),
            headcount=values.pop("headcount"),
            deputies=values.pop("deputies", []),
            grid=values.pop("grid", None),
            note=values.pop("note", ""),
            constituents=values.pop("constituents", []),
            opinions=[dict(o) for o in values.pop("opinions", [])],
        )
        visit = self.get_queryset().get(pk=visit.pk)
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RevealInputSerializer, responses={200: dict})
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """The visit's constituents with full names and phones, for station staff and the office; logged."""
        visit = self.get_object()
        data = RevealInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        people = privacy.visit_contacts_reveal(
            visit=visit, actor=request.user, reason=data.validated_data["reason"], ip=privacy.client_ip(request)
        )
        return Response({"constituents": people})


@extend_schema(tags=["reception"])
class OpinionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Opinions (社情民意), each with exactly one outcome once triaged and a separate resolution."""

    filterset_class = OpinionFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    # Newest first, walked on the (received_on, id) index: ``next``/``previous`` links, no total count.
    pagination_class = keyset_pagination("-received_on", "-id")

    def get_queryset(self):
        queryset = opinions_visible_to(self.request.user).order_by("-received_on", "-id")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("photos", "events__actor", "referral_feedback__recorded_by")
        return queryset

    def get_serializer_class(self):
        return OpinionDetailSerializer if self.action == "retrieve" else OpinionSerializer

    def _detail(self, opinion, code=status.HTTP_200_OK):
        opinion = (
            self.get_queryset()
            .prefetch_related("photos", "events__actor", "referral_feedback__recorded_by")
            .get(pk=opinion.pk)
        )
        return Response(OpinionDetailSerializer(opinion).data, status=code)

    @extend_schema(
        summary="One of the opinion's photos (an image; 404 outside the user's scope)",
        responses={(200, "image/*"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<photo_pk>\d+)", url_name="photo")
    def photo(self, request, pk=None, photo_pk=None):
        opinion = self.get_object()
        photo = get_object_or_404(opinion.photos.all(), pk=photo_pk)
        return serve_file(photo.image, filename=f"opinion-{opinion.pk}-{photo.pk}")

    @extend_schema(request=OpinionCreateSerializer, responses={201: OpinionDetailSerializer})
    def create(self, request, *args, **kwargs):
        """Record one opinion at a station (optionally for an existing visit); photos as multipart ``photos``."""
        data = OpinionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        visit = values.pop("visit", None)
        if visit is not None and not visits_visible_to(request.user).filter(pk=visit.pk).exists():
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"visit": ["Invalid pk - object does not exist."]})
        opinion = opinion_services.opinion_create(
            actor=request.user,
            station=values.pop("station"),
            received_on=values.pop("received_on", None),
            visit=visit,
            data=values,
        )
        return self._detail(opinion, status.HTTP_201_CREATED)

    @extend_schema(request=OutcomeInputSerializer, responses={200: OpinionDetailSerializer})
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        """Record the outcome: answered_on_site, referred (with ``referral_unit``) or filed.

        Escalation creates a suggestion: ``POST /api/v1/suggestions/from-opinion/``.
        """
        opinion = self.get_object()
        data = OutcomeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        opinion_services.opinion_set_outcome(opinion=opinion, actor=request.user, **data.validated_data)
        return self._detail(opinion)

    @extend_schema(request=FeedbackInputSerializer, responses={200: OpinionDetailSerializer})
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        """Record the referral's feedback (the station, the office or an officer of the unit)."""
        opinion = self.get_object()
        data = FeedbackInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        opinion_services.referral_feedback_add(opinion=opinion, actor=request.user, **data.validated_data)
        return self._detail(opinion)

    @extend_schema(request=ResolveInputSerializer, responses={200: OpinionDetailSerializer})
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Record that the problem was solved (推动解决) and how; ``note`` is required. ``happened_on`` dates a
        resolution recorded afterwards (补录)."""
        opinion = self.get_object()
        data = ResolveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        opinion_services.opinion_resolve(opinion=opinion, actor=request.user, **data.validated_data)
        return self._detail(opinion)

    @extend_schema(request=RevealInputSerializer, responses={200: dict})
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """A public opinion's contact in full, for entitled users; logged."""
        opinion = self.get_object()
        data = RevealInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contact = privacy.opinion_contact_reveal(
            opinion=opinion, actor=request.user, reason=data.validated_data["reason"], ip=privacy.client_ip(request)
        )
        return Response(contact)
