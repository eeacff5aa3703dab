"""Pages of the deputies' duties by topic: grid duties (四个一), activities, voter contacts.

Their addresses and names sit in the liaison URL namespace (``liaison.urls``), beside the reception pages.
"""
