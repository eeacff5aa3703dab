"""Precomputed figures offered by a higher layer to a lower one, without an import upwards.

The statistics of the reception and suggestion apps (``liaison.selectors.station_statistics``,
``suggestions.selectors.suggestion_stats``) are computed live from their rows. The ``reports`` app,
which sits on top and keeps summary tables of the same figures, registers a source for them when
it is loaded (``reports.apps``); a selector asks ``lookup(name, …)`` first and computes live when
no source is registered or the source answers None (summaries stale, or a question they cannot
answer). The source must return exactly what the live computation would have returned.
"""

from collections.abc import Callable

_sources: dict[str, Callable] = {}


def provide(name: str, source: Callable) -> None:
    """Register ``source`` for the figures called ``name`` (the last registration wins)."""
    _sources[name] = source


def lookup(name: str, **arguments):
    """The precomputed figures for ``arguments``, or None to compute them live."""
    source = _sources.get(name)
    return None if source is None else source(**arguments)
