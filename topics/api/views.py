"""/api/v1/topics/: the period's hot topics, one topic, and the staff actions on it."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from core import clock
from liaison.models import OpinionSource
from topics import selectors, services
from topics.api.serializers import (
    INT_MAX,
    HotQuerySerializer,
    HotTopicSerializer,
    KeySupervisionInputSerializer,
    MergeInputSerializer,
    SplitInputSerializer,
    SuggestionInputSerializer,
    TopicDetailSerializer,
)

DETAIL_OPINIONS = 100


def topic_data(topic) -> dict:
    suggestion = topic.suggestion
    return {
        "id": topic.pk,
        "title": topic.title,
        "keywords": topic.keywords,
        "size": topic.size,
        "first_received_on": topic.first_received_on,
        "last_received_on": topic.last_received_on,
        "corrected": topic.corrected,
        "suggestion": None
        if suggestion is None
        else {
            "id": suggestion.pk,
            "title": suggestion.title,
            "state": suggestion.state,
            "key_supervision": suggestion.key_supervision,
        },
    }


@extend_schema(tags=["topics"])
class TopicViewSet(viewsets.GenericViewSet):
    """Hot topics (热点问题): opinions raising the same problem, counted over the opinions the user may see."""

    filter_backends: list = []
    pagination_class = None
    serializer_class = TopicDetailSerializer
    lookup_value_regex = r"\d+"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not selectors.can_see_hot_topics(request.user):
            raise PermissionDenied(_("Hot topics are for the office, leaders and station staff."))

    def get_queryset(self):
        return selectors.topics_visible_to(self.request.user).select_related("suggestion")

    def _topic(self):
        raw = str(self.kwargs["pk"])
        if not raw.isdigit() or int(raw) > INT_MAX:
            raise NotFound(_("No such topic."))
        topic = self.get_queryset().filter(pk=int(raw)).first()
        if topic is None:
            raise NotFound(_("No such topic."))
        return topic

    @extend_schema(
        parameters=[HotQuerySerializer],
        responses={200: HotTopicSerializer(many=True)},
        summary="The period's topics ranked by heat (growth and spread)",
    )
    def list(self, request):
        query = HotQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        date_to = params.get("date_to") or clock.today()

        rows = selectors.hot_topics(
            request.user,
            date_from=date_to - timedelta(days=params["days"] - 1),
            date_to=date_to,
            limit=params["limit"],
            min_opinions=params["min_opinions"],
        )
        data = [
            {
                "topic": topic_data(h.topic),
                "opinions": h.opinions,
                "previous": h.previous,
                "growth": h.growth,
                "stations": h.stations,
                "grids": h.grids,
                "heat": h.heat,
            }
            for h in rows
        ]
        return Response(HotTopicSerializer(data, many=True).data)

    def _detail(self, topic):
        user = self.request.user
        axis, series = selectors.monthly_trend(user, [topic.pk], date_to=clock.today())
        sources = selectors.topic_sources(user, topic)
        channels = dict(OpinionSource.choices)
        opinions = list(selectors.topic_opinions(user, topic).values_list("pk", flat=True)[:DETAIL_OPINIONS])
        data = {
            "topic": topic_data(topic),
            "trend": [
                {"month": f"{y:04d}-{m:02d}", "opinions": n} for (y, m), n in zip(axis, series[topic.pk], strict=True)
            ],
            "stations": [{"name": name, "opinions": n} for name, n in sources["stations"]],
            "grids": [{"name": name, "opinions": n} for name, n in sources["grids"]],
            "channels": [{"name": str(channels.get(code, code)), "opinions": n} for code, n in sources["channels"]],
            "opinions": opinions,
        }
        return Response(TopicDetailSerializer(data).data)

    @extend_schema(responses={200: TopicDetailSerializer}, summary="One topic: trend, sources and its opinions")
    def retrieve(self, request, pk=None):
        return self._detail(self._topic())

    @extend_schema(request=MergeInputSerializer, responses={200: TopicDetailSerializer})
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Merge other topics into this one (the office); their opinions and this one's become pinned."""
        topic = self._topic()
        data = MergeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = set(data.validated_data["others"])
        others = list(self.get_queryset().filter(pk__in=ids))
        if len(others) != len(ids):
            raise ValidationError({"others": [_("No such topic: check the numbers.")]})
        topic = services.topic_merge(actor=request.user, topic=topic, others=others)
        return self._detail(self.get_queryset().get(pk=topic.pk))

    @extend_schema(request=SplitInputSerializer, responses={201: TopicDetailSerializer})
    @action(detail=True, methods=["post"])
    def split(self, request, pk=None):
        """Move some of the topic's opinions into a new topic (the office); answers with the new topic."""
        topic = self._topic()
        data = SplitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        visible = set(
            selectors.topic_opinions(request.user, topic)
            .filter(pk__in=data.validated_data["opinions"])
            .values_list("pk", flat=True)
        )
        if visible != set(data.validated_data["opinions"]):
            raise ValidationError({"opinions": [_("Choose opinions of this topic.")]})
        new = services.topic_split(
            actor=request.user, topic=topic, opinion_ids=sorted(visible), title=data.validated_data["title"]
        )
        response = self._detail(self.get_queryset().get(pk=new.pk))
        response.status_code = 201
        return response

    @extend_schema(request=SuggestionInputSerializer, responses={200: TopicDetailSerializer})
    @action(detail=True, methods=["post"])
    def suggestion(self, request, pk=None):
        """形成建议: the office drafts one suggestion for a deputy from all the topic's opinions."""
        topic = self._topic()
        data = SuggestionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.topic_draft_suggestion(actor=request.user, topic=topic, **data.validated_data)
        return self._detail(self.get_queryset().get(pk=topic.pk))

    @extend_schema(request=KeySupervisionInputSerializer, responses={200: TopicDetailSerializer})
    @action(detail=True, methods=["post"], url_path="key-supervision", url_name="key-supervision")
    def key_supervision(self, request, pk=None):
        """重点督办: a leader puts the topic's suggestion under key supervision."""
        topic = self._topic()
        data = KeySupervisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.topic_key_supervise(actor=request.user, topic=topic, note=data.validated_data["note"])
        return self._detail(self.get_queryset().get(pk=topic.pk))
