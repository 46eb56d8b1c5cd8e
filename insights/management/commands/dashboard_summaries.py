import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from insights import summaries


class Command(BaseCommand):
    help = (
        "Check the dashboard's observation summary against the observations (--check), or "
        "compute it again from them (--rebuild): after restoring a backup, or a fix made "
        "in SQL, which the summary cannot see."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--check", action="store_true", help="list the days that drifted")
        action.add_argument("--rebuild", action="store_true", help="compute every row again")
        parser.add_argument(
            "--since",
            type=dt.date.fromisoformat,
            metavar="YYYY-MM-DD",
            help="check only from this day on (default: every day)",
        )

    def handle(self, *args, check, rebuild, since, **options):
        started = time.perf_counter()
        if rebuild:
            rows = summaries.rebuild()
            self.stdout.write(
                f"Rebuilt the summary: {rows:,} rows in {time.perf_counter() - started:.1f} s."
            )
            return
        drifted = summaries.drift(since)
        if drifted:
            listed = "\n".join(f"  {day.isoformat()} team {team_id}" for day, team_id in drifted)
            raise CommandError(
                f"The summary differs from the observations on {len(drifted)} team days:\n"
                f"{listed}\nRun with --rebuild to compute it again."
            )
        took = time.perf_counter() - started
        self.stdout.write(f"The summary matches the observations: no drift ({took:.1f} s).")
