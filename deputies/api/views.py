from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from core.permissions import OfficeWritesOthersRead
from core.scoping import scoped
from deputies.api.serializers import DeputyGroupSerializer, DeputySerializer, deputy_list_rows
from deputies.filters import DeputyApiFilter
from deputies.models import DeputyGroup
from deputies.selectors import deputies_visible_to
from deputies.services import (
    deputy_create,
    deputy_delete,
    deputy_group_create,
    deputy_group_update,
    deputy_update,
)


@extend_schema_view(
    list=extend_schema(summary="Deputies the user may see"),
    create=extend_schema(summary="Record a deputy (office and admin)"),
    update=extend_schema(summary="Replace a deputy (office and admin)"),
    partial_update=extend_schema(summary="Change a deputy (office and admin)"),
    destroy=extend_schema(summary="Delete a deputy recorded by mistake (office and admin; 409 when in use)"),
)
@extend_schema(tags=["deputies"])
class DeputyViewSet(viewsets.ModelViewSet):
    """Deputies (人大代表 and 议政代表) with their terms and groups, scoped to the user's role."""

    serializer_class = DeputySerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_class = DeputyApiFilter

    def get_queryset(self):
        return deputies_visible_to(self.request.user).prefetch_related("groups")

    def list(self, request, *args, **kwargs):
        """The same rows as ``DeputySerializer`` (the schema's), built as dictionaries (``deputy_list_rows``)."""
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is None:
            return Response(deputy_list_rows(queryset, request.user))
        return self.get_paginated_response(deputy_list_rows(page, request.user))

    def perform_create(self, serializer):
        serializer.instance = deputy_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = deputy_update(deputy=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        deputy_delete(deputy=instance)


def groups_visible_to(user) -> QuerySet[DeputyGroup]:
    """Deputy groups ``user`` may see: all for those who see everything, else groups with a deputy they see.

    Built on ``deputies_visible_to`` so the two cannot drift apart; unit officers see none. For users
    who do not see every deputy, each row carries ``leader_visible`` (a subquery, no extra query), so
    that a group does not reveal a leader who is hidden elsewhere.
    """
    # Meta.ordering is ignored by a GROUP BY query, hence the explicit order.
    base = DeputyGroup.objects.select_related("leader").annotate(member_count=Count("members")).order_by("name", "id")
    visible = deputies_visible_to(user)

    def with_a_visible_member(user) -> Q:
        return Q(members__in=visible.values("id"))

    groups = scoped(user, base, staff=with_a_visible_member, deputy=with_a_visible_member)
    if not user.is_authenticated:
        return groups
    if user.sees_everything:
        return groups.annotate(leader_visible=Value(True))
    return groups.annotate(leader_visible=Exists(visible.filter(pk=OuterRef("leader_id"))))


@extend_schema_view(
    create=extend_schema(summary="Create a deputy group (office and admin)"),
    update=extend_schema(summary="Replace a deputy group (office and admin)"),
    partial_update=extend_schema(summary="Change a deputy group (office and admin)"),
)
@extend_schema(tags=["deputies"])
class DeputyGroupViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Deputy groups (代表小组), by area or by profession. Office and admin create and change them.

    There is no delete: no service deletes a group.
    """

    serializer_class = DeputyGroupSerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_fields = ["kind"]

    def get_queryset(self):
        return groups_visible_to(self.request.user)

    def _reloaded(self, group: DeputyGroup) -> DeputyGroup:
        # Read back through the selector for the annotated member count (one query).
        return self.get_queryset().get(pk=group.pk)

    def perform_create(self, serializer):
        serializer.instance = self._reloaded(deputy_group_create(**serializer.validated_data))

    def perform_update(self, serializer):
        group = deputy_group_update(group=serializer.instance, **serializer.validated_data)
        serializer.instance = self._reloaded(group)
