"""How the topics app attaches to the opinions it groups, without the liaison app knowing it.

* ``post_save`` of a new ``Opinion`` (whatever saved it: the visit page, the API, the public QR page)
  queues ``topics.place_opinion`` with the opinion's id once the transaction commits; a rolled-back
  opinion queues nothing, and ``topics.place_pending`` catches up any message that was lost.
* The opinion page asks ``liaison.selectors.related_opinions`` for related opinions, which calls the
  provider registered here.
"""

from django.db.models.signals import post_save

from core.tasks import enqueue_on_commit

PLACE_TASK = "topics.place_opinion"


def _opinion_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        enqueue_on_commit(PLACE_TASK, instance.pk)


def connect() -> None:
    from liaison.models import Opinion
    from liaison.selectors import register_related_opinions
    from topics.selectors import related_opinions

    post_save.connect(_opinion_saved, sender=Opinion, dispatch_uid="topics.opinion_saved")
    register_related_opinions(related_opinions)
