"""The livelihood API: every list starts from a selector, every change calls a service.

Refusals come back as 409 (``ActionRefused``), 403 (``PermissionRefused``) or 400 (bad input)
through ``core.api.exception_handler``; objects the user may not see are 404.
"""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.errors import ActionRefused, PermissionRefused
from core.files import serve_file
from core.roles import Role
from livelihood import filters, selectors
from livelihood.api import serializers as s
from livelihood.models import BallotChoice, ProgressPhoto, ProgressUpdate
from livelihood.services import candidates as candidate_services
from livelihood.services import projects as project_services
from livelihood.services import supervision as supervision_services
from livelihood.services import voting as voting_services
from livelihood.services.stage_moves import STAGE_SERVICES
from livelihood.services.voting import PaperBallot


def _created(serializer_class, instance, request, **extra):
    return Response(
        serializer_class(instance, context={"request": request}).data, status=status.HTTP_201_CREATED, **extra
    )


@extend_schema(tags=["livelihood"])
class CycleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Yearly cycles of 民生实事项目票决制 and the office's moves from stage to stage."""

    serializer_class = s.YearCycleSerializer
    filterset_class = filters.CycleFilter

    def get_queryset(self):
        return selectors.cycles_visible_to(self.request.user)

    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        cycle = candidate_services.cycle_create(actor=request.user, **data.validated_data)
        return _created(s.YearCycleSerializer, self.get_queryset().get(pk=cycle.pk), request)

    def _move(self, request, service_name):
        cycle = self.get_object()
        STAGE_SERVICES[service_name](cycle=cycle, actor=request.user)
        return Response(s.YearCycleSerializer(self.get_queryset().get(pk=cycle.pk), context={"request": request}).data)

    @extend_schema(request=None, summary="征集 → 初定: close the pool and start shortlisting")
    @action(detail=True, methods=["post"], url_path="start-shortlisting")
    def start_shortlisting(self, request, pk=None):
        return self._move(request, "shortlisting_start")

    @extend_schema(request=None, summary="票决 → 实施: turn the selected candidates into projects")
    @action(detail=True, methods=["post"], url_path="start-implementation")
    def start_implementation(self, request, pk=None):
        return self._move(request, "implementation_start")

    @extend_schema(request=None, summary="实施 → 监督")
    @action(detail=True, methods=["post"], url_path="start-supervision")
    def start_supervision(self, request, pk=None):
        return self._move(request, "supervision_start")

    @extend_schema(request=None, summary="监督 → 测评")
    @action(detail=True, methods=["post"], url_path="start-evaluation")
    def start_evaluation(self, request, pk=None):
        return self._move(request, "evaluation_start")

    @extend_schema(request=None, summary="测评 → 公示: fix the verdicts and publish")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._move(request, "publish")

    @extend_schema(responses=s.CycleEventSerializer(many=True), summary="The cycle's history")
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        cycle = self.get_object()
        return Response(s.CycleEventSerializer(selectors.cycle_events(cycle), many=True).data)


@extend_schema(tags=["livelihood"])
class CandidateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The candidate pool (征集) and the shortlist (初定)."""

    serializer_class = s.CandidateSerializer
    filterset_class = filters.CandidateFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.candidates_visible_to(self.request.user)

    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        candidate = candidate_services.candidate_add(actor=request.user, **fields)
        return _created(s.CandidateSerializer, candidate, request)

    @extend_schema(request=s.CandidateUpdateSerializer)
    def partial_update(self, request, *args, **kwargs):
        candidate = self.get_object()
        data = s.CandidateUpdateSerializer(candidate, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        candidate = candidate_services.candidate_update(candidate=candidate, actor=request.user, **data.validated_data)
        return Response(s.CandidateSerializer(candidate, context={"request": request}).data)

    @extend_schema(request=s.ShortlistSerializer, summary="Put the candidate on the shortlist or take it off")
    @action(detail=True, methods=["post"])
    def shortlist(self, request, pk=None):
        candidate = self.get_object()
        data = s.ShortlistSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        candidate = candidate_services.candidate_shortlist(
            candidate=candidate, shortlisted=data.validated_data["shortlisted"], actor=request.user
        )
        return Response(s.CandidateSerializer(candidate, context={"request": request}).data)


@extend_schema(tags=["livelihood"])
class SessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Voting sessions (票决): open with attendance, close, decide a tie, read the counts."""

    serializer_class = s.VotingSessionSerializer
    filterset_fields = ["cycle"]

    def get_queryset(self):
        return selectors.sessions_visible_to(self.request.user)

    def _respond(self, request, session, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=session.pk)
        return Response(s.VotingSessionSerializer(fresh, context={"request": request}).data, status=code)

    @extend_schema(request=s.VoteOpenSerializer, summary="Open the vote with the deputies present")
    def create(self, request, *args, **kwargs):
        data = s.VoteOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = voting_services.vote_open(
            cycle=data.validated_data["cycle"], present=data.validated_data["present"], actor=request.user
        )
        return self._respond(request, session, status.HTTP_201_CREATED)

    @extend_schema(request=None, summary="Close the vote and count it")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        session = voting_services.vote_close(session=self.get_object(), actor=request.user)
        return self._respond(request, session)

    @extend_schema(request=s.AttendanceSerializer, summary="Record late arrivals as present")
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        data = s.AttendanceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = self.get_object()
        voting_services.attendance_add(session=session, deputies=data.validated_data["deputies"], actor=request.user)
        return self._respond(request, session)

    @extend_schema(request=s.TieDecisionSerializer, summary="Record the decision on a tie at the cut-off")
    @action(detail=True, methods=["post"], url_path="decide-tie")
    def decide_tie(self, request, pk=None):
        data = s.TieDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = voting_services.tie_decide(session=self.get_object(), actor=request.user, **data.validated_data)
        return self._respond(request, session)

    @extend_schema(responses=s.VoteResultSerializer(many=True), summary="Counts per candidate (after the vote closes)")
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        session = self.get_object()
        if session.is_open:
            raise ActionRefused(gettext("The results are available once the vote has closed."), code="vote_open")
        rows = session.cycle.candidates.filter(shortlisted=True).order_by("-votes_for", "id")
        return Response(s.VoteResultSerializer(rows, many=True).data)


@extend_schema(tags=["livelihood"])
class BallotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Ballots: a deputy casts their own; the office audits who voted (never how); staff enter paper ballots."""

    serializer_class = s.BallotSerializer
    filterset_fields = ["session"]

    def get_queryset(self):
        qs = selectors.ballots_visible_to(self.request.user)
        if self.request.user.is_authenticated and self.request.user.has_role(Role.DEPUTY):
            # Only the deputy's own ballots are in this queryset, so loading their choices reveals nothing.
            qs = qs.prefetch_related(Prefetch("choices", queryset=BallotChoice.objects.order_by("candidate_id")))
        return qs

    @extend_schema(request=s.BallotCastSerializer, summary="Cast your ballot (deputies present at an open vote)")
    def create(self, request, *args, **kwargs):
        data = s.BallotCastSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        deputy = request.user.deputy if request.user.deputy_id else None
        if deputy is None:
            raise PermissionRefused(gettext("Only the deputy themselves can cast their ballot online."))
        ballot = voting_services.ballot_cast(
            session=data.validated_data["session"],
            deputy=deputy,
            choices=data.validated_data["choices"],
            actor=request.user,
        )
        return _created(s.BallotSerializer, self.get_queryset().get(pk=ballot.pk), request)

    @extend_schema(request=s.PaperBatchSerializer, summary="Enter paper ballots in bulk: all are counted or none")
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        data = s.PaperBatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ballots = voting_services.paper_ballots_enter(
            session=data.validated_data["session"],
            ballots=[PaperBallot(deputy=b["deputy"], choices=b["choices"]) for b in data.validated_data["ballots"]],
            actor=request.user,
        )
        return Response({"entered": len(ballots)}, status=status.HTTP_201_CREATED)


@extend_schema(tags=["livelihood"])
class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """livelihood/projects: selected projects with their unit, budget, sub-items, milestones and progress."""

    filterset_class = filters.ProjectFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        qs = selectors.projects_visible_to(self.request.user)
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                "sub_items",
                "milestones",
                Prefetch(
                    "progress_updates",
                    queryset=ProgressUpdate.objects.select_related("recorded_by").prefetch_related("photos"),
                ),
            )
        return qs

    def get_serializer_class(self):
        return s.LivelihoodProjectDetailSerializer if self.action == "retrieve" else s.LivelihoodProjectSerializer

    @extend_schema(
        summary="A progress photo of the project (an image; 404 outside the user's scope)",
        responses={(200, "image/*"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<photo_pk>\d+)", url_name="photo")
    def photo(self, request, pk=None, photo_pk=None):
        project = self.get_object()
        item = get_object_or_404(ProgressPhoto.objects.filter(update__project=project), pk=photo_pk)
        return serve_file(item.image, filename=f"progress-{item.pk}")

    @extend_schema(request=s.ProgressReportSerializer, responses=s.ProgressUpdateSerializer, summary="Record progress")
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        project = self.get_object()
        data = s.ProgressReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        update = project_services.progress_record(project=project, actor=request.user, **data.validated_data)
        return _created(s.ProgressUpdateSerializer, update, request)

    @extend_schema(request=s.ProjectSubItemSerializer, responses=s.ProjectSubItemSerializer, summary="Add a sub-item")
    @action(detail=True, methods=["post"], url_path="sub-items")
    def sub_items(self, request, pk=None):
        project = self.get_object()
        data = s.ProjectSubItemSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = project_services.sub_item_add(project=project, actor=request.user, **data.validated_data)
        return _created(s.ProjectSubItemSerializer, item, request)

    @extend_schema(
        request=s.ProjectMilestoneSerializer, responses=s.ProjectMilestoneSerializer, summary="Add a milestone"
    )
    @action(detail=True, methods=["post"])
    def milestones(self, request, pk=None):
        project = self.get_object()
        data = s.ProjectMilestoneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        milestone = project_services.milestone_add(project=project, actor=request.user, **data.validated_data)
        return _created(s.ProjectMilestoneSerializer, milestone, request)

    @extend_schema(request=s.ProjectMilestoneCompleteSerializer, responses=s.ProjectMilestoneSerializer)
    @action(detail=True, methods=["post"], url_path=r"milestones/(?P<milestone_id>[0-9]+)/complete")
    def complete_milestone(self, request, pk=None, milestone_id=None):
        project = self.get_object()
        milestone = get_object_or_404(project.milestones.all(), pk=milestone_id)
        data = s.ProjectMilestoneCompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        milestone = project_services.milestone_complete(milestone=milestone, actor=request.user, **data.validated_data)
        return Response(s.ProjectMilestoneSerializer(milestone).data)


@extend_schema(tags=["livelihood"])
class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Supervision visits (监督): deputies record their own; the office may record one for a deputy."""

    serializer_class = s.SupervisionVisitSerializer
    filterset_class = filters.VisitFilter

    def get_queryset(self):
        return selectors.visits_visible_to(self.request.user)

    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        deputy = fields.pop("deputy", None) or request.user.deputy
        if deputy is None:
            raise ValidationError({"deputy": gettext("Name the deputy who made the visit.")})
        visit = supervision_services.visit_record(deputy=deputy, actor=request.user, **fields)
        return _created(s.SupervisionVisitSerializer, visit, request)


@extend_schema(tags=["livelihood"])
class RatingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Evaluations (测评): each deputy rates each project once."""

    serializer_class = s.ProjectRatingSerializer
    filterset_class = filters.RatingFilter

    def get_queryset(self):
        return selectors.ratings_visible_to(self.request.user)

    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not request.user.deputy_id:
            raise PermissionRefused(gettext("Only the deputy themselves can rate a project."))
        rating = supervision_services.rating_record(
            project=data.validated_data["project"],
            deputy=request.user.deputy,
            rating=data.validated_data["rating"],
            actor=request.user,
        )
        return _created(s.ProjectRatingSerializer, rating, request)
