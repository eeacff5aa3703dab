"""The product's URLs plus a hello-world DRF view, the benchmark's reference point (``bench/city.py``).

Not part of the product: only ``bench/city_settings.py`` names it.
"""

from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as product_urlpatterns


class HelloView(APIView):
    """The cheapest authenticated DRF answer: middleware, token lookup, permission check and JSON."""

    def get(self, request):
        return Response({"hello": "world"})


urlpatterns = [path("bench/hello/", HelloView.as_view()), *product_urlpatterns]
