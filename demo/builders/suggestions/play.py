"""The people who play the scripts, and the replay of one script through the suggestion services."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType

from accounts.models import User
from accounts.services import user_create
from core.roles import Role
from demo.builders.organisation import FEATURED_DEPUTY
from demo.builders.suggestions.scripts import STREET, TRAFFIC, URBAN
from demo.builders.suggestions.timeline import age, recompute_working_day_deadlines
from demo.builders.units import FEATURED_UNIT
from deputies.models import Deputy, DeputyKind
from notifications.models import Notification
from organisation.models import HandlingUnit
from suggestions import services
from suggestions.models import Suggestion

# Extra demo accounts this builder needs (the README's list has the main ones).
OFFICERS = [
    ("demo_unit_traffic", "Jiaotong-Banli-Gongjiao", TRAFFIC, "陈", "志明"),
    ("demo_unit_urban", "Chengguan-Banli-Xiangmo", URBAN, "黄", "丽娟"),
    ("demo_unit_street", "Jiedao-Banshichu-Baisha", STREET, "余", "嘉欣"),
]
COLLEAGUES = [("demo_deputy_b", "Fuyi-Daibiao-Baisha"), ("demo_deputy_c", "Lianming-Jianyi-Jiangmen")]


def _account(username, password, role, last_name, first_name, **links) -> User:
    user = User.objects.filter(username=username).first()
    if user:
        return user
    return user_create(
        username=username, password=password, role=role, last_name=last_name, first_name=first_name, **links
    )


def load_people() -> dict:
    """The demo deputy, two colleague deputies, the office, the leader and an officer per unit used."""
    me = Deputy.objects.get(name=FEATURED_DEPUTY["name"], phone=FEATURED_DEPUTY["phone"])
    colleagues = list(
        Deputy.objects.filter(kind=DeputyKind.CONGRESS, is_active=True).exclude(pk=me.pk).order_by("id")[:2]
    )
    people = {
        "me": User.objects.get(username="demo_deputy"),
        "office": User.objects.get(username="demo_office"),
        "leader": User.objects.get(username="demo_leader"),
        FEATURED_UNIT: User.objects.get(username="demo_unit"),
    }
    for (username, password), deputy, key in zip(COLLEAGUES, colleagues, ("b", "c"), strict=True):
        existing = User.objects.filter(deputy=deputy).first()
        people[key] = existing or _account(
            username, password, Role.DEPUTY, deputy.name[:1], deputy.name[1:], deputy=deputy
        )
    for username, password, unit_name, last_name, first_name in OFFICERS:
        unit = HandlingUnit.objects.get(name=unit_name)
        people[unit_name] = _account(username, password, Role.UNIT_OFFICER, last_name, first_name, unit=unit)
    return people


def play(people, title, category, content, lead, cosigners, steps) -> None:
    deputy_user = people[lead]
    suggestion = services.suggestion_create(
        actor=deputy_user,
        title=title,
        content=content,
        category=category,
        cosigners=[people[key].deputy for key in cosigners],
    )
    lead_officer = None
    for step in steps:
        kind, *args = step
        s = Suggestion.objects.get(pk=suggestion.pk)
        if kind == "wait":
            age(s, args[0])
        elif kind == "cosign":
            services.suggestion_cosign(suggestion=s, actor=people[args[0]], accept=args[1])
        elif kind == "submit":
            services.suggestion_submit(suggestion=s, actor=deputy_user)
        elif kind == "return":
            services.suggestion_return(suggestion=s, actor=people["office"], reason=args[0])
        elif kind == "withdraw":
            services.suggestion_withdraw(suggestion=s, actor=deputy_user, reason=args[0])
        elif kind == "assign":
            unit_name, co_names, is_complex = args
            lead_officer = people[unit_name]
            services.suggestion_assign(
                suggestion=s,
                actor=people["office"],
                lead_unit=HandlingUnit.objects.get(name=unit_name),
                co_units=[HandlingUnit.objects.get(name=name) for name in co_names],
                complex=is_complex,
            )
        elif kind in ("ack", "ack_as"):
            services.suggestion_acknowledge(suggestion=s, actor=lead_officer)
        elif kind == "co_opinion":
            services.suggestion_co_unit_opinion(suggestion=s, actor=people[args[0]], content=args[1])
        elif kind == "contact":
            services.suggestion_record_contact(suggestion=s, actor=lead_officer, method=args[0], note=args[1])
        elif kind == "contact_as":
            services.suggestion_record_contact(suggestion=s, actor=people[args[0]], method=args[1], note=args[2])
        elif kind == "reply":
            services.suggestion_reply(suggestion=s, actor=lead_officer, reply_class=args[0], content=args[1])
        elif kind == "reply_as":
            contacted = args[3] if len(args) > 3 else None
            services.suggestion_reply(
                suggestion=s, actor=people[args[0]], reply_class=args[1], content=args[2], contacted=contacted
            )
        elif kind == "evaluate":
            services.suggestion_evaluate(suggestion=s, actor=deputy_user, rating=args[0], comment=args[1])
        elif kind == "evaluate_as":
            services.suggestion_evaluate(suggestion=s, actor=people[args[0]], rating=args[1], comment=args[2])
        elif kind == "extend_as":
            services.suggestion_extend(
                suggestion=s, actor=people[args[0]], new_due=s.reply_due + timedelta(days=args[1]), reason=args[2]
            )
        elif kind == "request_return_as":
            services.suggestion_request_return(suggestion=s, actor=people[args[0]], reason=args[1])
        elif kind == "supervise":
            services.suggestion_supervise(suggestion=s, actor=people[args[0]], note=args[1], key_supervision=args[2])
        elif kind == "follow_up_as":
            services.suggestion_follow_up(suggestion=s, actor=people[args[0]], content=args[1], solved=args[2])
        else:  # pragma: no cover - a typo in the scripts above
            raise ValueError(f"unknown demo step {kind!r}")
    recompute_working_day_deadlines(Suggestion.objects.get(pk=suggestion.pk))
    # The replay's notices were written today with today's deadlines, for steps the history above
    # moved months back: they would tell people to act on things long done. The reminder sweeps
    # (demo.builders.reminders) tell them what is really due.
    Notification.objects.filter(
        target_type=ContentType.objects.get_for_model(Suggestion), target_id=suggestion.pk
    ).delete()
