"""The public channel's API: no account, rate-limited per client address.

``POST /api/v1/public/opinions/`` files an opinion and answers ``{"tracking_code"}`` (plus
``check_digits`` when no phone was given: the four digits to quote with the code).
``GET /api/v1/public/opinions/{code}/?phone_last4=1234`` answers the status, outcome and
replies, nothing personal; a wrong code or wrong digits answer the same 404.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_ratelimit.core import is_ratelimited
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.serializers import StrictSerializer
from deputies.models import Deputy
from liaison.models import OpinionCategory
from liaison.services import public as public_services
from organisation.models import Station


def rate_limited_response() -> Response:
    return Response(
        {
            "detail": _("Too many requests from your network. Please wait a minute and try again."),
            "code": "rate_limited",
        },
        status=status.HTTP_429_TOO_MANY_REQUESTS,
    )


class PublicOpinionInputSerializer(StrictSerializer):
    # The QR code carries its station; a deputy's code carries the deputy's station as well.
    station = serializers.PrimaryKeyRelatedField(
        queryset=Station.objects.all(),
        error_messages={
            "required": _lazy("This QR code does not belong to an open station."),
            "null": _lazy("This QR code does not belong to an open station."),
        },
    )
    deputy = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.all(), required=False, allow_null=True)
    category = serializers.ChoiceField(choices=OpinionCategory.choices)
    content = serializers.CharField(max_length=2000)
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    photos = serializers.ListField(child=serializers.FileField(), required=False, max_length=10)
    consent = serializers.BooleanField(
        required=False,
        default=True,
        help_text="Clients must show the privacy notice before submitting; false is refused.",
    )


class _Public(APIView):
    # No session authentication, so no CSRF token is needed and no account is involved.
    authentication_classes: list = []
    permission_classes = [AllowAny]


@extend_schema(tags=["public"])
class PublicOpinionSubmitView(_Public):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        request=PublicOpinionInputSerializer,
        responses={
            201: inline_serializer(
                "PublicSubmission", {"tracking_code": serializers.CharField(), "check_digits": serializers.CharField()}
            )
        },
        summary="Submit an opinion as a constituent (5 per minute per address)",
    )
    def post(self, request):
        if is_ratelimited(
            request._request,
            group=public_services.SUBMIT_GROUP,
            key="ip",
            rate=public_services.SUBMIT_RATE,
            increment=True,
        ):
            return rate_limited_response()
        data = PublicOpinionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        submission = public_services.public_opinion_submit(**data.validated_data)
        body = {"tracking_code": submission.tracking_code}
        if submission.check_digits:
            body["check_digits"] = submission.check_digits
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(tags=["public"])
class PublicOpinionStatusView(_Public):
    @extend_schema(
        parameters=[OpenApiParameter("phone_last4", str, required=True, description="Last four digits of the phone")],
        summary="An opinion's progress by tracking code (10 look-ups per minute per address)",
        responses={200: dict},
    )
    def get(self, request, tracking_code: str):
        if is_ratelimited(
            request._request,
            group=public_services.STATUS_GROUP,
            key="ip",
            rate=public_services.STATUS_RATE,
            increment=True,
        ):
            return rate_limited_response()
        opinion = public_services.public_opinion_lookup(
            tracking_code=tracking_code, check_digits=request.query_params.get("phone_last4", "")
        )
        if opinion is None:
            return Response(
                {"detail": _("No opinion matches this tracking code and these four digits."), "code": "not_found"},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(public_services.public_status(opinion))
