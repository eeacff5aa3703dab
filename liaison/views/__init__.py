"""Pages of the liaison app by topic: stations, reception days, visits, opinions, the dashboard,
the privacy audit, the public QR channel and its printable codes.

The pages of the deputies' duties (grid duties, activities, voter contacts) live in ``duties.views``.
"""
