"""Background tasks of the notifications app; thin wrappers around services (they take ids)."""

import socket
from datetime import timedelta

from core import clock
from core.tasks import periodic_task, reliable_task
from notifications.models import HEARTBEAT_TASK, TaskRun
from notifications.services import DELIVER_TASK, deliveries_send, deliveries_sweep, heartbeat_record

# How long the status page's history of periodic runs is kept.
TASK_RUN_KEEP_DAYS = 90


@reliable_task(name=DELIVER_TASK, soft_time_limit=240, time_limit=300)
def deliver(self, delivery_ids: list[int]) -> dict:
    """Send these deliveries (queued on commit by ``notify``). Running it twice sends nothing twice."""
    return deliveries_send(delivery_ids=delivery_ids)


@periodic_task(name="notifications.deliver_pending")
def deliver_pending() -> dict:
    """Catch up on deliveries that were never queued (broker down) or wait for a retry."""
    return deliveries_sweep()


@periodic_task(name="notifications.prune")
def prune() -> dict:
    deleted, _detail = TaskRun.objects.filter(started_at__lt=clock.now() - timedelta(days=TASK_RUN_KEEP_DAYS)).delete()
    return {"task_runs_deleted": deleted}


@reliable_task(name=HEARTBEAT_TASK, soft_time_limit=20, time_limit=30)
def heartbeat(self) -> str:
    """Sent by the beat every minute: its run proves the worker consumes (see ``heartbeat_record``)."""
    heartbeat_record(worker=self.request.hostname or socket.gethostname(), task_id=self.request.id or "")
    return "ok"
