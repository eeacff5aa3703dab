from rest_framework import serializers

from core.serializers import StrictQuerySerializer, StrictSerializer
from search.selectors import KINDS, MAX_PAGE


class SearchQuerySerializer(StrictQuerySerializer):
    q = serializers.CharField(
        help_text="Words to find; at most 5 terms (separated by spaces) of at most 40 characters are used. "
        "Chinese is matched by characters: 「电梯」 finds 老旧小区加装电梯."
    )
    kind = serializers.ChoiceField(
        choices=list(KINDS), required=False, help_text="Which kind to list; by default the first with a match."
    )
    page = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, default=1)


class SearchHitSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=list(KINDS))
    id = serializers.IntegerField()
    title = serializers.CharField()
    snippet = serializers.CharField(help_text="HTML: the text around the first match, escaped, matches in <mark>")
    date = serializers.DateField(allow_null=True)
    url = serializers.CharField(help_text="The page of the record")


class SearchKindSerializer(StrictSerializer):
    kind = serializers.CharField(source="key")
    label = serializers.CharField()
    count = serializers.IntegerField()
    count_capped = serializers.BooleanField(source="capped")


class SearchResultsSerializer(StrictSerializer):
    count = serializers.IntegerField(help_text="Matches of this kind, at most 500")
    count_capped = serializers.BooleanField(help_text="True when there are more than 500 matches")
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    kind = serializers.CharField()
    kinds = SearchKindSerializer(many=True, help_text="The capped count of every kind")
    results = SearchHitSerializer(many=True)
