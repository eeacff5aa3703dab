"""Strict readers for settings taken from the environment.

A typo in a value must stop the process with a clear message instead of being
silently read as a default, so every reader validates what it gets.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = os.environ.get(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of {sorted(choices)}.")
    return value


def env_time(name: str, default: str) -> tuple[int, int]:
    """A time of day written ``HH:MM`` (24-hour clock), returned as ``(hour, minute)``."""
    raw = os.environ.get(name, default).strip()
    hour, sep, minute = raw.partition(":")
    if sep and hour.isdigit() and minute.isdigit() and len(minute) == 2 and int(hour) < 24 and int(minute) < 60:
        return int(hour), int(minute)
    raise ImproperlyConfigured(f"{name}={raw!r} is not a time of day; write it as HH:MM, e.g. 08:30.")


def env_int_list(name: str, default: list[int], *, minimum: int | None = None) -> list[int]:
    """Comma-separated integers, e.g. ``15,7,1``."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    values = []
    for item in raw.split(","):
        item = item.strip()
        try:
            value = int(item)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={raw!r}: {item!r} is not an integer.") from None
        if minimum is not None and value < minimum:
            raise ImproperlyConfigured(f"{name}={raw!r}: {value} must be at least {minimum}.")
        values.append(value)
    return values
