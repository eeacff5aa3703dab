from django.core.management.base import BaseCommand

from topics.rebuild import topics_rebuild


class Command(BaseCommand):
    help = "Group every opinion into hot topics again, keeping the merges and splits staff made."

    def handle(self, *args, **options):
        result = topics_rebuild(progress=lambda line: self.stdout.write(line))
        self.stdout.write(
            f"{result['opinions']:,} opinions in {result['topics']:,} topics "
            f"({result['singletons']:,} of one opinion; {result['kept']:,} corrected topics kept)"
        )
