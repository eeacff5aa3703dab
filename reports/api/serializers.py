from django.urls import reverse
from rest_framework import serializers

from core.serializers import StrictModelSerializer, StrictSerializer
from reports.models import ReportJob, ReportKind


class ReportRequestSerializer(StrictSerializer):
    """What to print: ``subject`` is a deputy (deputy_annual), a station (station_annual; batch for one
    station's deputies) or empty (street_annual; batch for the whole street)."""

    kind = serializers.ChoiceField(choices=ReportKind.choices)
    subject = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    year = serializers.IntegerField(min_value=1900, max_value=9999)


class ReportAcceptedSerializer(StrictModelSerializer):
    class Meta:
        model = ReportJob
        fields = ["id", "status", "progress"]


class ReportJobSerializer(StrictModelSerializer):
    subject = serializers.IntegerField(source="subject_id", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    requested_by = serializers.CharField(source="requested_by.display_name", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportJob
        fields = [
            "id",
            "kind",
            "kind_label",
            "subject",
            "year",
            "title",
            "status",
            "status_label",
            "progress",
            "progress_note",
            "error",
            "pages",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, job: ReportJob) -> str | None:
        if job.status != "done":
            return None
        return reverse("reports-detail", kwargs={"pk": job.pk}) + "download/"
