"""Load a ledger file from the command line (an operator's bulk load): check it, print its problems, and
import it with --confirm. The same checks and the same one-transaction import as the pages."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from imports import services
from imports.models import BatchStatus, ImportBatch, LedgerKind


class Command(BaseCommand):
    help = "Check a ledger (.xlsx) and, with --confirm, import it as the given user."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", choices=list(services.KINDS), default=LedgerKind.RECEPTION)
        parser.add_argument("--user", required=True, help="username of the station staff or office account")
        parser.add_argument("--confirm", action="store_true", help="import when the check finds no problem")

    def handle(self, *args, file: Path, kind: str, user: str, confirm: bool, **options):
        actor = User.objects.filter(username=user).first()
        if actor is None:
            raise CommandError(f"No user {user!r}.")
        if not file.is_file():
            raise CommandError(f"No file {file}.")
        upload = SimpleUploadedFile(file.name, file.read_bytes())
        with transaction.atomic():
            batch = services.batch_upload(actor=actor, kind=kind, upload=upload)
        services.batch_check(batch_id=batch.id)  # inline, whatever the broker
        batch = ImportBatch.objects.get(id=batch.id)
        self.stdout.write(
            f"Batch {batch.id}: {batch.rows_total} rows, {batch.created_count} new, {batch.updated_count} corrected, "
            f"{batch.unchanged_count} unchanged, {batch.error_count} problems"
        )
        for problem in batch.errors:
            self.stdout.write(f"  {problem['sheet']} row {problem['row']} [{problem['column']}]: {problem['message']}")
        if batch.status != BatchStatus.READY:
            raise CommandError("The ledger has problems; nothing was imported.")
        if not confirm:
            self.stdout.write("Checked; run again with --confirm to import.")
            return
        if batch.created_count == 0 and batch.updated_count == 0:
            self.stdout.write("Every row is already imported; nothing to do.")
            return
        ImportBatch.objects.filter(id=batch.id).update(status=BatchStatus.IMPORTING)
        result = services.batch_import(batch_id=batch.id)
        batch.refresh_from_db()
        if result != "imported":
            raise CommandError(f"Not imported ({result}): {batch.failure or 'see the problems above'}")
        self.stdout.write(self.style.SUCCESS(f"Imported batch {batch.id}."))
