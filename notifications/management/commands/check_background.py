"""Health check of the background work, for docker compose's healthcheck, systemd or monitoring.

* ``--worker NAME``: the named worker answers a ping sent through the broker (it is alive, connected
  to Redis and reading its queue); without a name, any worker must answer.
* ``--heartbeat``: a worker ran the beat's heartbeat recently (beat, Redis, worker and database all
  work; see ``notifications.heartbeat``).

Without options both are checked. Exits 0 and prints what it saw when healthy, 1 otherwise.
"""

from django.core.management.base import BaseCommand, CommandError

from notifications.selectors import worker_heartbeat


class Command(BaseCommand):
    help = "Exit 1 unless the Celery worker answers through the broker and/or the beat's heartbeat is recent."

    def add_arguments(self, parser):
        parser.add_argument("--worker", metavar="NAME", help="worker node name to ping, e.g. celery@$HOSTNAME")
        parser.add_argument("--ping", action="store_true", help="ping the workers through the broker")
        parser.add_argument("--heartbeat", action="store_true", help="check the age of the last heartbeat")
        parser.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for a ping reply")

    def handle(self, *args, worker=None, ping=False, heartbeat=False, timeout=5.0, **options):
        if not (worker or ping or heartbeat):
            ping = heartbeat = True
        problems = []
        if worker or ping:
            problems += self._ping(worker, timeout)
        if heartbeat:
            problems += self._heartbeat()
        if problems:
            raise CommandError("; ".join(problems))

    def _ping(self, worker: str | None, timeout: float) -> list[str]:
        from config.celery import app

        try:
            replies = app.control.ping(destination=[worker] if worker else None, timeout=timeout)
        except Exception as exc:  # the broker is unreachable: kombu, redis and socket errors alike
            return [f"the broker is unreachable: {type(exc).__name__}: {exc}"]
        answered = sorted(name for reply in replies for name in reply)
        if not answered:
            return [f"no worker answered within {timeout:g}s" + (f" ({worker})" if worker else "")]
        self.stdout.write(f"ping: {', '.join(answered)}")
        return []

    def _heartbeat(self) -> list[str]:
        beat = worker_heartbeat()
        if beat["at"] is None:
            return ["no heartbeat was ever recorded (is the beat running?)"]
        if not beat["healthy"]:
            return [
                f"the last heartbeat is {beat['age_seconds']}s old (limit {beat['stale_after_seconds']}s, "
                f"worker {beat['worker'] or '?'}): the worker, the beat or Redis is down"
            ]
        self.stdout.write(f"heartbeat: {beat['age_seconds']}s ago from {beat['worker']}")
        return []
