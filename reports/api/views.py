"""Report jobs: ``POST /api/v1/reports/`` queues a PDF (202), the job is polled, the PDF downloaded.

Jobs come from ``reports.access.jobs_visible_to`` (someone else's job is a 404); requests go
through ``reports.services.report_job_request`` (403 when this user may not print that report).
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.errors import ActionRefused
from core.files import serve_file
from reports import access, services
from reports.api.serializers import ReportAcceptedSerializer, ReportJobSerializer, ReportRequestSerializer
from reports.models import JobStatus


@extend_schema(tags=["reports"])
@extend_schema_view(
    list=extend_schema(summary="Report jobs this user may follow (their own; all for office and leaders)"),
    retrieve=extend_schema(summary="A report job's status (pending, running, done, failed) and progress 0–100"),
    create=extend_schema(
        summary="Print a report as PDF in the background",
        request=ReportRequestSerializer,
        responses={
            202: ReportAcceptedSerializer,
            400: OpenApiResponse(description="Bad input: field → messages"),
            403: OpenApiResponse(description="This user may not print this report"),
        },
    ),
)
class ReportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ReportJobSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return access.jobs_visible_to(self.request.user).order_by("-created_at", "-id")

    def list(self, request, *args, **kwargs):
        # Jobs whose worker vanished read as failed here too, as on their own page.
        services.jobs_fail_stale()
        return super().list(request, *args, **kwargs)

    def get_object(self):
        # A job whose worker vanished is failed here, so nobody polls "running" forever.
        return services.job_fail_if_stale(super().get_object())

    def create(self, request, *args, **kwargs):
        serializer = ReportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job = services.report_job_request(
            user=request.user, kind=data["kind"], subject_id=data.get("subject"), year=data["year"]
        )
        job.refresh_from_db()  # without a broker the task already ran inline
        return Response(ReportAcceptedSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Download the finished PDF",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="No such job in this user's scope"),
            409: OpenApiResponse(description="The report is not finished"),
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        job = services.job_fail_if_stale(
            get_object_or_404(access.jobs_downloadable_by(request.user), pk=self.kwargs["pk"])
        )
        if job.status != JobStatus.DONE or not job.file:
            raise ActionRefused(_("The report is not ready yet."), code="not_ready")
        return serve_file(job.file, filename=f"{job.title or 'report'}.pdf", content_type="application/pdf")
