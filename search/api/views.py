from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from search.api.serializers import SearchQuerySerializer, SearchResultsSerializer
from search.selectors import find


@extend_schema(tags=["search"])
class SearchView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[SearchQuerySerializer],
        responses={200: SearchResultsSerializer},
        summary="Search opinions, suggestions, replies and livelihood projects the user may see",
        description="Full-text search (Chinese matched by characters). Each kind is scoped like its own list; "
        "counts stop at 500 (`count_capped`). Newest first, 20 per page. An unknown parameter is a 400 "
        "(`unknown_parameter`).",
    )
    def get(self, request):
        query = SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        results = find(request.user, params["q"], params.get("kind"), params["page"])
        url = replace_query_param(request.build_absolute_uri(), "kind", results.kind)
        body = {
            "count": results.count,
            "count_capped": results.count_capped,
            "next": replace_query_param(url, "page", results.page + 1) if results.has_next else None,
            "previous": replace_query_param(url, "page", results.page - 1) if results.has_previous else None,
            "kind": results.kind,
            "kinds": results.counts,
            "results": results.hits,
        }
        return Response(SearchResultsSerializer(body).data)
