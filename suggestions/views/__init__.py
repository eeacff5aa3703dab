"""Suggestion pages for every role. Rows come from ``suggestions.selectors`` (404 outside the user's
scope); every change goes through ``suggestions.services``; refusals are shown in the form, in Chinese,
and change nothing.

One module per kind of page: ``lists``, ``detail``, ``drafting``, ``actions`` and ``calendar``;
``common`` holds the tabs and checks they share. ``suggestions.urls`` imports the modules themselves.
"""
