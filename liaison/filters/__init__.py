"""Filter sets of the liaison app, shared by the pages and the API."""
