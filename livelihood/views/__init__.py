"""Pages for each step of the cycle. Thin: they read through selectors and act through services.

One module per part: ``cycles``, ``voting``, ``projects`` and ``public``; ``common`` holds what they share.
"""
