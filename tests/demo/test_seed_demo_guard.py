"""seed_demo refuses a database that may be production: it creates accounts with published passwords."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from demo.management.commands import seed_demo
from organisation.models import Station


@pytest.fixture
def first_builders_only(monkeypatch):
    """The guard is what is tested here: the first builders (the organisation and the accounts) suffice."""
    monkeypatch.setattr(
        seed_demo, "BUILDERS", ["demo.builders.organisation", "demo.builders.units", "demo.builders.accounts"]
    )


@pytest.mark.django_db
def test_refuses_without_debug_or_the_explicit_flag(settings, first_builders_only):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="i-know-this-is-not-production"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.exists()
    assert not Station.objects.exists()


@pytest.mark.django_db
def test_runs_when_debug_is_on(settings, first_builders_only):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    assert User.objects.get(username="demo_admin").is_superuser


@pytest.mark.django_db
def test_runs_without_debug_with_the_explicit_flag(settings, first_builders_only):
    settings.DEBUG = False
    call_command("seed_demo", "--i-know-this-is-not-production", verbosity=0)
    assert User.objects.filter(username="demo_admin").exists()
