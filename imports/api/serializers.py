from rest_framework import serializers

from core.serializers import StrictModelSerializer, StrictSerializer
from imports.models import ImportBatch
from imports.selectors import batch_progress
from imports.services import kind_choices


class UploadSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=kind_choices())
    file = serializers.FileField(help_text="The ledger as .xlsx (multipart/form-data).")


class ProblemSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField(help_text="The row number Excel shows; 0 for a problem of the whole file.")
    column = serializers.CharField(help_text="The column's header in the template.")
    message = serializers.CharField()


class BatchSerializer(StrictModelSerializer):
    uploaded_by = serializers.CharField(source="created_by.display_name", read_only=True)
    problems = ProblemSerializer(source="errors", many=True, read_only=True)
    progress = serializers.SerializerMethodField(help_text="0–100")

    def get_progress(self, batch) -> int:
        return batch_progress(batch)

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "kind",
            "file_name",
            "status",
            "progress",
            "sheet",
            "rows_total",
            "created_count",
            "updated_count",
            "unchanged_count",
            "error_count",
            "problems",
            "failure",
            "uploaded_by",
            "created_at",
            "confirmed_at",
            "finished_at",
            "undone_at",
        ]
        read_only_fields = fields


class BatchListSerializer(BatchSerializer):
    class Meta(BatchSerializer.Meta):
        fields = [name for name in BatchSerializer.Meta.fields if name != "problems"]
        read_only_fields = fields
