import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from insights import summaries


class Command(BaseCommand):
    help = (
        "Check the dashboard's summaries against the observations, actions, sessions and "
        "re-visits they count (--check), or compute them again (--rebuild): after restoring "
        "a backup, or a fix made in SQL, which the summaries cannot see."
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
                f"Rebuilt the summaries: {rows:,} rows in {time.perf_counter() - started:.1f} s."
            )
            return
        drifted = summaries.drift(since)
        if drifted:
            listed = "\n".join(f"  {day.isoformat()} team {team_id}" for day, team_id in drifted)
            raise CommandError(
                f"The summaries differ from their tables on {len(drifted)} team days:\n"
                f"{listed}\nRun with --rebuild to compute them again."
            )
        took = time.perf_counter() - started
        self.stdout.write(f"The summaries match their tables: no drift ({took:.1f} s).")
