"""Suggestions (提、交、办、督、评) in every state, made through the suggestion services.

Each scripted suggestion is played step by step by the people who would take each step (the demo
deputy and two colleagues, the office, three unit officers, the leader). Between steps the record
is moved back in time (``timeline.age``) so that the timeline spans weeks and months the way real handling
does; deadlines are computed by the services on the day of each step and move back with it, so an
item left long enough without a reply really is overdue, and a reply given after its deadline
really is late. Idempotent: a suggestion whose title exists is left alone, accounts are looked up
by username.
"""

from demo.builders.base import DemoContext
from demo.builders.suggestions.play import load_people, play
from demo.builders.suggestions.scripts import SCRIPTS
from suggestions.models import Suggestion


def build(ctx: DemoContext) -> None:
    people = load_people()
    made = 0
    for title, category, content, lead, cosigners, steps in SCRIPTS:
        if Suggestion.objects.filter(title=title).exists():
            continue
        play(people, title, category, content, lead, cosigners, steps)
        made += 1
    ctx.log(f"{len(SCRIPTS)} scripted suggestions ({made} new), in every state")
