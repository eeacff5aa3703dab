"""The main page of each role, photographed in real Chromium on a desktop (1366 × 900) and a phone
(390 × 844), from the demo street.

``scripts/screenshots`` runs this test with ``SCREENSHOTS_DIR=docs/screenshots`` to refresh the
pictures the README shows; otherwise they go to the test's temporary folder. Either way the test
checks that each page answers as that role, fits the phone without sideways scroll, and that the
pictures stay small (palette PNGs of the first screen).
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

from organisation.models import Station, StationKind
from tests.browser_support import login, page  # noqa: F401  (``page`` is a fixture)
from tests.web.phone_checks import DESKTOP, PHONE, phone_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (file name, demo login, password, the page, a heading the page must show)
ROLES = [
    ("staff", "demo_staff", "Jiedai-Xuanmin-15th", "/", "今日接待"),
    ("deputy", "demo_deputy", "Wangge-Siyi-Lvzhi", "/", "我的网格"),
    ("office", "demo_office", "Jiaoban-Jianyi-2024", "/", "待交办"),
    ("leader", "demo_leader", "Zhongdian-Duban-Gongwei", "/", "待交办"),
]
MAX_BYTES = 250_000


def _save(page, target: Path) -> None:  # noqa: F811
    """The first screen as a palette PNG: a tenth of a full-colour capture, and sharp for UI text."""
    page.screenshot(path=str(target))
    with Image.open(target) as image:
        small = image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(target, optimize=True)


def test_the_main_page_of_each_role_on_a_desktop_and_a_phone(page, tmp_path):  # noqa: F811
    target = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    call_command("seed_demo", verbosity=0, i_know_this_is_not_production=True)
    problems, written = [], []
    for name, username, password, path, heading in ROLES:
        login(page, username, password)
        for size_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.goto(path)
            assert heading in page.inner_text("main"), (name, size_name)
            if size_name == "phone":
                problems += [f"{name}: {problem}" for problem in phone_problems(page)]
            _save(page, target / f"{name}-{size_name}.png")
            written.append(target / f"{name}-{size_name}.png")
    # The constituent's public page of the hub (no account: what the QR code opens).
    page.context.clear_cookies()
    hub = Station.objects.get(kind=StationKind.HUB)
    for size_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.goto(f"/stations/public/station/{hub.id}/")
        assert hub.name in page.inner_text("body")
        if size_name == "phone":
            problems += [f"public: {problem}" for problem in phone_problems(page)]
        _save(page, target / f"public-{size_name}.png")
        written.append(target / f"public-{size_name}.png")
    assert not problems, "\n".join(problems)
    for path in written:
        with Image.open(path) as image:
            assert image.size in {(DESKTOP["width"], DESKTOP["height"]), (PHONE["width"], PHONE["height"])}
        assert path.stat().st_size < MAX_BYTES, (path.name, path.stat().st_size)
