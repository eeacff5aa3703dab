"""Ledger imports over the API: ``POST /api/v1/imports/`` uploads a ledger and answers with its check
(the preview: every problem with sheet, row and column, and what would be created or corrected);
``POST …/{id}/confirm/`` imports it (all or nothing) and ``POST …/{id}/undo/`` undoes it.

Without a broker the check and the import run inline, so the answers already carry their outcome; with
one they run in the background and the batch is polled (``status``, ``progress``).
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.errors import PermissionRefused
from imports import selectors, services
from imports.api.serializers import BatchListSerializer, BatchSerializer, UploadSerializer


@extend_schema(tags=["imports"])
@extend_schema_view(
    list=extend_schema(summary="Ledger imports this user may see (their own; all for the office and leaders)"),
    retrieve=extend_schema(summary="A ledger import: its status, progress, counts and problems"),
    create=extend_schema(
        summary="Upload a ledger (.xlsx) and check it; nothing is imported before it is confirmed",
        request={"multipart/form-data": UploadSerializer},
        responses={
            201: BatchSerializer,
            400: OpenApiResponse(description="Bad input: field → messages"),
            403: OpenApiResponse(description="Only station staff and the office import ledgers"),
        },
    ),
)
class ImportBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    http_method_names = ["get", "post", "head", "options"]
    parser_classes = [MultiPartParser, FormParser]
    filterset_fields = ["kind", "status"]

    def get_queryset(self):
        return selectors.batches_visible_to(self.request.user)

    def get_serializer_class(self):
        return BatchListSerializer if self.action == "list" else BatchSerializer

    def create(self, request, *args, **kwargs):
        if not services.may_import(request.user):
            raise PermissionRefused(services.IMPORT_REFUSED)
        serializer = UploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        batch = services.batch_upload(
            actor=request.user, kind=serializer.validated_data["kind"], upload=serializer.validated_data["file"]
        )
        batch.refresh_from_db()  # without a broker the check already ran
        return Response(BatchSerializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Import a ledger that checked clean (one transaction: all rows or none)",
        request=None,
        responses={
            200: BatchSerializer,
            409: OpenApiResponse(description="Not checked clean, or nothing left to import"),
        },
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        batch = services.batch_confirm(batch=self.get_object(), actor=request.user)
        batch.refresh_from_db()
        return Response(BatchSerializer(batch).data)

    @extend_schema(
        summary="Undo an import while nothing has been built on its records",
        request=None,
        responses={200: BatchSerializer, 409: OpenApiResponse(description="Not imported, or built upon since")},
    )
    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        batch = services.batch_undo(batch=self.get_object(), actor=request.user)
        batch.refresh_from_db()
        return Response(BatchSerializer(batch).data)
