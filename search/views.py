"""The search page: one box, results grouped by kind with a capped count per kind, matches highlighted."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from search.forms import SearchForm
from search.selectors import find


@login_required
def search_page(request):
    form = SearchForm(request.GET or None)
    results = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            results = find(request.user, data["q"], data["kind"] or None, data["page"] or 1)
        else:
            status = 400
    return render(request, "search/search.html", {"form": form, "results": results}, status=status)
