"""Placing opinions in topics, in the background."""

from core.tasks import periodic_task, reliable_task
from topics.hooks import PLACE_TASK
from topics.selectors import unplaced_opinion_ids
from topics.services import topic_place_opinion

# A placement is four small queries and one short write (bench/topics.py: well under a second among
# 1,000,000 opinions); the limits only stop a stuck one.
PLACE_SOFT_LIMIT = 30
PENDING_BATCH = 500


@reliable_task(name=PLACE_TASK, soft_time_limit=PLACE_SOFT_LIMIT, time_limit=PLACE_SOFT_LIMIT + 15)
def place_opinion(self, opinion_id: int) -> int | None:
    """Put one saved opinion in its topic; running it twice leaves it where the first run put it."""
    member = topic_place_opinion(opinion_id=opinion_id)
    return member.topic_id if member else None


@periodic_task(name="topics.place_pending", soft_time_limit=300, time_limit=330)
def place_pending() -> dict:
    """Place opinions whose task was lost (broker down when they were saved), newest first, a batch a run."""
    ids = unplaced_opinion_ids(limit=PENDING_BATCH)
    for opinion_id in ids:
        topic_place_opinion(opinion_id=opinion_id)
    return {"placed": len(ids)}
