"""Suggestion endpoints. Rows come from ``suggestions.selectors`` (404 outside the user's scope); every
change goes through ``suggestions.services`` (409 wrong state, 403 wrong user, 400 bad input)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import Pagination, keyset_pagination
from core.files import serve_file
from core.periods import Basis, parse_stats_query, unknown_scope
from core.permissions import OfficeWritesOthersRead
from core.roles import Role
from liaison.selectors import opinions_visible_to, statistics_scope_refusal
from suggestions import services
from suggestions.api import serializers as s
from suggestions.filters import HandlingUnitFilter, SuggestionFilter
from suggestions.models import Extension, ReturnRequest
from suggestions.periods import SUGGESTION_BASIS_TEXT
from suggestions.selectors import (
    suggestion_detail_queryset,
    suggestion_list,
    suggestion_stats,
    suggestions_at_risk,
    suggestions_visible_to,
    units_visible_to,
)
from suggestions.transitions import actors_of, back_record_refusal, check, check_back_record, may_back_record


@extend_schema(tags=["suggestions"])
@extend_schema_view(
    list=extend_schema(summary="Handling units (承办单位)"),
    create=extend_schema(summary="Add a handling unit (office and admin)", request=s.HandlingUnitWriteSerializer),
    partial_update=extend_schema(
        summary="Change a handling unit (office and admin)", request=s.HandlingUnitWriteSerializer
    ),
)
class HandlingUnitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.HandlingUnitSerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_class = HandlingUnitFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet:
        return units_visible_to(self.request.user).order_by("kind", "name", "id")

    def create(self, request, *args, **kwargs):
        data = _parse(s.HandlingUnitWriteSerializer, request)
        unit = services.unit_create(actor=request.user, **data)
        return Response(s.HandlingUnitSerializer(unit).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        unit = self.get_object()
        data = _parse(s.HandlingUnitWriteSerializer, request, partial=True)
        unit = services.unit_update(actor=request.user, unit=unit, **data)
        return Response(s.HandlingUnitSerializer(unit).data)


def _parse(serializer_class, request, *, partial=False) -> dict:
    serializer = serializer_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _action_schema(request_serializer, summary: str):
    return extend_schema(
        summary=summary,
        request=request_serializer,
        responses={
            200: s.SuggestionDetailSerializer,
            400: OpenApiResponse(description="Bad input: field → messages"),
            403: OpenApiResponse(description="This user may not take this action"),
            404: OpenApiResponse(description="No such suggestion in this user's scope"),
            409: OpenApiResponse(description="Not allowed in the current state: {detail: reason in Chinese}"),
        },
    )


@extend_schema(tags=["suggestions"])
@extend_schema_view(
    list=extend_schema(summary="Suggestions the user may see"),
    retrieve=extend_schema(summary="One suggestion with its full record and timeline"),
    create=extend_schema(
        summary="Draft a suggestion (deputies), or record a past one with ``happened_on`` (office, station staff)",
        request=s.SuggestionCreateSerializer,
        responses={201: s.SuggestionDetailSerializer},
    ),
    partial_update=extend_schema(
        summary="Edit a draft or returned suggestion (lead deputy)",
        request=s.SuggestionWriteSerializer,
        responses={200: s.SuggestionDetailSerializer},
    ),
)
class SuggestionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """代表建议. ``POST /suggestions/{id}/{action}/`` takes one step of the lifecycle; the response is the
    suggestion as it is afterwards."""

    filterset_class = SuggestionFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    # Newest first, walked on the (created_at, id) index: ``next``/``previous`` links, no total count.
    pagination_class = keyset_pagination("-created_at", "-id")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet:
        if self.action == "list":
            return suggestion_list(self.request.user)
        if self.action == "retrieve":
            return suggestion_detail_queryset(self.request.user)
        # Actions only need what the permission check reads; the response reloads the full record.
        return suggestions_visible_to(self.request.user).prefetch_related("cosignatures", "assignments")

    def get_serializer_class(self):
        return s.SuggestionListSerializer if self.action == "list" else s.SuggestionDetailSerializer

    def _detail(self, suggestion, code=status.HTTP_200_OK) -> Response:
        fresh = get_object_or_404(suggestion_detail_queryset(self.request.user), pk=suggestion.pk)
        return Response(s.SuggestionDetailSerializer(fresh, context={"request": self.request}).data, status=code)

    def create(self, request, *args, **kwargs):
        data = _parse(s.SuggestionCreateSerializer, request)
        suggestion = services.suggestion_create(actor=request.user, **data)
        return self._detail(suggestion, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        suggestion = self.get_object()
        data = _parse(s.SuggestionWriteSerializer, request, partial=True)
        suggestion = services.suggestion_update(suggestion=suggestion, actor=request.user, **data)
        return self._detail(suggestion)

    def _step(self, request, serializer_class, run) -> Response:
        suggestion = self.get_object()
        # Refuse a wrong user (403) or state (409) before looking at the input; the service checks again
        # under the row lock, so this early answer can never let a change through.
        action_name = self.action.removesuffix("_")
        given = request.data.get("happened_on") if hasattr(request.data, "get") else None
        if given not in (None, ""):
            # 补录: a date is refused (400) from anyone who may not back-record, never dropped.
            if not may_back_record(request.user, suggestion):
                raise back_record_refusal()
            check_back_record(suggestion=suggestion, action=action_name)
        else:
            check(suggestion=suggestion, action=action_name, actors=actors_of(request.user, suggestion))
        data = _parse(serializer_class, request)
        run(suggestion, request.user, data)
        return self._detail(suggestion)

    @extend_schema(
        summary="Turn a constituent opinion into a draft for a deputy (形成意见建议)",
        request=s.FromOpinionSerializer,
        responses={201: s.FromOpinionResultSerializer},
    )
    @action(detail=False, methods=["post"], url_path="from-opinion", url_name="from-opinion")
    def from_opinion(self, request):
        data = _parse(s.FromOpinionSerializer, request)
        opinion = get_object_or_404(opinions_visible_to(request.user), pk=data["opinion"])
        suggestion = services.suggestion_create_from_opinion(
            opinion=opinion,
            deputy=data["deputy"],
            actor=request.user,
            title=data["title"],
            happened_on=data["happened_on"],
        )
        result = {
            "id": suggestion.pk,
            "state": suggestion.state,
            "lead_deputy_id": suggestion.lead_deputy_id,
            "source_opinions": [opinion.pk],
        }
        return Response(s.FromOpinionResultSerializer(result).data, status=status.HTTP_201_CREATED)

    # --- files: served only through the suggestion's scope (core.files) ---
    @extend_schema(
        summary="Download a file attached to the suggestion",
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="No such suggestion or file in this user's scope"),
        },
    )
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_pk>\d+)", url_name="attachment")
    def attachment(self, request, pk=None, attachment_pk=None):
        suggestion = self.get_object()
        attachment = get_object_or_404(suggestion.attachments.all(), pk=attachment_pk)
        return serve_file(attachment.file, filename=attachment.name)

    @extend_schema(
        summary="Download the file attached to a reply",
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="No such suggestion or reply file in this user's scope"),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"replies/(?P<reply_pk>\d+)/attachment",
        url_name="reply-attachment",
    )
    def reply_attachment(self, request, pk=None, reply_pk=None):
        suggestion = self.get_object()
        reply = get_object_or_404(suggestion.replies.exclude(attachment=""), pk=reply_pk)
        return serve_file(reply.attachment, filename=reply.attachment_name or f"reply-{reply.round}")

    # --- 提 ---
    @_action_schema(s.DatedSerializer, "Submit (lead deputy; every co-signer must have answered)")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(
            request, s.DatedSerializer, lambda sg, u, d: services.suggestion_submit(suggestion=sg, actor=u, **d)
        )

    @_action_schema(s.CosignSerializer, "Confirm or decline co-signing (invited deputy)")
    @action(detail=True, methods=["post"])
    def cosign(self, request, pk=None):
        return self._step(
            request, s.CosignSerializer, lambda sg, u, d: services.suggestion_cosign(suggestion=sg, actor=u, **d)
        )

    @_action_schema(s.DatedReasonSerializer, "Return as not a suggestion, with a reason (office)")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._step(
            request, s.DatedReasonSerializer, lambda sg, u, d: services.suggestion_return(suggestion=sg, actor=u, **d)
        )

    @_action_schema(s.DatedSerializer, "Resubmit a returned suggestion (lead deputy)")
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        return self._step(
            request, s.DatedSerializer, lambda sg, u, d: services.suggestion_resubmit(suggestion=sg, actor=u, **d)
        )

    @_action_schema(s.DatedReasonSerializer, "Withdraw in writing, before a reply (lead deputy)")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._step(
            request, s.DatedReasonSerializer, lambda sg, u, d: services.suggestion_withdraw(suggestion=sg, actor=u, **d)
        )

    # --- 交 ---
    @_action_schema(s.AssignSerializer, "Assign a lead unit and co-units (office)")
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self._step(
            request,
            s.AssignSerializer,
            lambda sg, u, d: services.suggestion_assign(
                suggestion=sg,
                actor=u,
                lead_unit=d["lead_unit"],
                co_units=d.get("co_units", []),
                complex=d["complex"],
                happened_on=d["happened_on"],
            ),
        )

    @_action_schema(
        s.RequestReturnSerializer, "Ask the office to take the item back (assigned unit, within 7 working days)"
    )
    @action(detail=True, methods=["post"])
    def request_return(self, request, pk=None):
        return self._step(
            request,
            s.RequestReturnSerializer,
            lambda sg, u, d: services.suggestion_request_return(suggestion=sg, actor=u, **d),
        )

    @_action_schema(s.DecideReturnSerializer, "Accept or reject a unit's return request (office)")
    @action(detail=True, methods=["post"])
    def decide_return(self, request, pk=None):
        def run(sg, user, data):
            return_request = get_object_or_404(ReturnRequest, pk=data["return_request"], suggestion=sg)
            services.suggestion_decide_return(
                return_request=return_request,
                actor=user,
                accept=data["accept"],
                note=data["note"],
                happened_on=data["happened_on"],
            )

        return self._step(request, s.DecideReturnSerializer, run)

    # --- 办 ---
    @_action_schema(s.DatedSerializer, "Acknowledge and start handling (lead unit)")
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._step(
            request, s.DatedSerializer, lambda sg, u, d: services.suggestion_acknowledge(suggestion=sg, actor=u, **d)
        )

    @_action_schema(s.CoUnitOpinionSerializer, "Give the co-unit's written opinion to the lead unit (co-unit)")
    @action(detail=True, methods=["post"])
    def co_unit_opinion(self, request, pk=None):
        return self._step(
            request,
            s.CoUnitOpinionSerializer,
            lambda sg, u, d: services.suggestion_co_unit_opinion(suggestion=sg, actor=u, **d),
        )

    @_action_schema(s.ContactSerializer, "Record a meeting or call with the deputy (lead unit)")
    @action(detail=True, methods=["post"])
    def record_contact(self, request, pk=None):
        return self._step(
            request,
            s.ContactSerializer,
            lambda sg, u, d: services.suggestion_record_contact(suggestion=sg, actor=u, **d),
        )

    @_action_schema(s.ReplySerializer, "Reply in writing with class A/B/C/D (lead unit; multipart for a file)")
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        return self._step(
            request, s.ReplySerializer, lambda sg, u, d: services.suggestion_reply(suggestion=sg, actor=u, **d)
        )

    @_action_schema(s.ExtendSerializer, "Extend the reply deadline: a request by the lead unit, or set by the office")
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._step(
            request, s.ExtendSerializer, lambda sg, u, d: services.suggestion_extend(suggestion=sg, actor=u, **d)
        )

    @_action_schema(s.DecideExtensionSerializer, "Approve or reject an extension request (office)")
    @action(detail=True, methods=["post"])
    def decide_extension(self, request, pk=None):
        def run(sg, user, data):
            extension = get_object_or_404(Extension, pk=data["extension"], suggestion=sg)
            services.suggestion_decide_extension(
                extension=extension,
                actor=user,
                approve=data["approve"],
                note=data["note"],
                happened_on=data["happened_on"],
            )

        return self._step(request, s.DecideExtensionSerializer, run)

    @_action_schema(s.FollowUpSerializer, "Report progress on a closed B/C reply (lead unit)")
    @action(detail=True, methods=["post"])
    def follow_up(self, request, pk=None):
        return self._step(
            request,
            s.FollowUpSerializer,
            lambda sg, u, d: services.suggestion_follow_up(suggestion=sg, actor=u, **d),
        )

    # --- 督 and 评 ---
    @_action_schema(s.SuperviseSerializer, "Add a supervision note; leaders may set or lift key supervision")
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        return self._step(
            request,
            s.SuperviseSerializer,
            lambda sg, u, d: services.suggestion_supervise(suggestion=sg, actor=u, **d),
        )

    @_action_schema(s.EvaluateSerializer, "Rate the latest reply (lead deputy)")
    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        return self._step(
            request,
            s.EvaluateSerializer,
            lambda sg, u, d: services.suggestion_evaluate(suggestion=sg, actor=u, **d),
        )


@extend_schema(
    tags=["suggestions"],
    summary="Suggestion metrics (reply, on-time, closure and satisfaction rates) over the suggestions the user may see",
    description="Over the suggestions assigned (交办) and not withdrawn, in the period on the basis asked for. "
    f"**cohort** (default): {SUGGESTION_BASIS_TEXT[Basis.COHORT]} "
    f"**activity**: {SUGGESTION_BASIS_TEXT[Basis.ACTIVITY]} "
    "`station`: the lead deputy's stations; `unit`: the lead unit; `deputy`: the lead deputy. "
    "Errors: 400 `unknown_parameter`, `invalid_parameter`, `period_conflict`, `period_out_of_bounds`, "
    "`period_reversed`; 404 `unknown_scope`.",
    parameters=[s.StatsQuerySerializer],
    responses={200: s.StatsSerializer},
)
class SuggestionStatsView(APIView):
    def get(self, request):
        # ``?station=&year=2024``: an empty parameter means "no filter", as in the list filters.
        params = parse_stats_query(s.StatsQuerySerializer, request.query_params)
        refused = statistics_scope_refusal(
            request.user, station=params.get("station"), unit=params.get("unit"), deputy=params.get("deputy")
        )
        if refused:
            raise unknown_scope(refused)
        return Response(suggestion_stats(request.user, **params))


# Who may read the risk list: the office's roles (everything) and unit officers (their own suggestions).
RISK_ROLES = (Role.OFFICE, Role.LEADER, Role.ADMIN, Role.UNIT_OFFICER)


@extend_schema(
    tags=["suggestions"],
    summary="The deadline-risk list: open suggestions the user may see, the most likely to miss the reply "
    "deadline first, with the reasons",
    parameters=[s.RiskQuerySerializer],
    responses={200: s.RiskSerializer(many=True)},
)
class SuggestionRiskView(APIView):
    def get(self, request):
        if not request.user.has_role(*RISK_ROLES):
            raise PermissionDenied
        query = s.RiskQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        assessments = suggestions_at_risk(request.user, unit=params.get("unit"), category=params.get("category"))
        paginator = Pagination()
        page = paginator.paginate_queryset(assessments, request, view=self)
        return paginator.get_paginated_response(s.RiskSerializer(page, many=True).data)
