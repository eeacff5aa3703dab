from django.utils.translation import gettext as _
from rest_framework import serializers

from core.serializers import StrictQuerySerializer, StrictSerializer
from deputies.models import Deputy
from topics.forms import DEFAULT_DAYS, PERIOD_DAYS

INT_MAX = 2**31 - 1


class HotQuerySerializer(StrictQuerySerializer):
    days = serializers.ChoiceField(choices=PERIOD_DAYS, required=False, default=DEFAULT_DAYS)
    date_to = serializers.DateField(required=False)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)
    min_opinions = serializers.IntegerField(required=False, min_value=1, max_value=10_000, default=2)

    def validate_days(self, value):
        return int(value)

    def validate_date_to(self, value):
        if not (2000 <= value.year <= 2100):
            raise serializers.ValidationError(_("Choose a date between 2000 and 2100."))
        return value


class SuggestionBriefSerializer(StrictSerializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    state = serializers.CharField()
    key_supervision = serializers.BooleanField()


class TopicSerializer(StrictSerializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    keywords = serializers.CharField()
    size = serializers.IntegerField(help_text="All opinions of the topic, whoever may see them")
    first_received_on = serializers.DateField(allow_null=True)
    last_received_on = serializers.DateField(allow_null=True)
    corrected = serializers.BooleanField()
    suggestion = SuggestionBriefSerializer(allow_null=True)


class HotTopicSerializer(StrictSerializer):
    topic = TopicSerializer()
    opinions = serializers.IntegerField(help_text="Opinions in the period that the user may see")
    previous = serializers.IntegerField(help_text="The same, in the period of the same length just before")
    growth = serializers.IntegerField()
    stations = serializers.IntegerField()
    grids = serializers.IntegerField()
    heat = serializers.IntegerField()


class CountSerializer(StrictSerializer):
    name = serializers.CharField()
    opinions = serializers.IntegerField()


class MonthSerializer(StrictSerializer):
    month = serializers.CharField(help_text="YYYY-MM")
    opinions = serializers.IntegerField()


class TopicDetailSerializer(StrictSerializer):
    topic = TopicSerializer()
    trend = MonthSerializer(many=True)
    stations = CountSerializer(many=True)
    grids = CountSerializer(many=True)
    channels = CountSerializer(many=True)
    opinions = serializers.ListField(child=serializers.IntegerField(), help_text="Visible opinion ids, newest first")


class MergeInputSerializer(StrictSerializer):
    others = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=INT_MAX), min_length=1, max_length=100
    )


class SplitInputSerializer(StrictSerializer):
    opinions = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=INT_MAX), min_length=1, max_length=1000
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class SuggestionInputSerializer(StrictSerializer):
    deputy = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.all())
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class KeySupervisionInputSerializer(StrictSerializer):
    note = serializers.CharField(max_length=2000)
