"""Photo files that no photo refers to: listed by default, removed with --delete.

They are what a crash can leave: an upload whose transaction's outcome was unknown, or
a rendition written by an attempt that died before it could record or remove it.
"""

import datetime as dt
from collections.abc import Iterator

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from journal.models import Photo

PHOTO_FOLDER = "photos"
FILE_FIELDS = ("original", "display", "thumbnail")
# Names looked up in the database at a time.
CHUNK = 500


def stored_files(folder: str) -> Iterator[str]:
    """Every file under the folder, in any storage (a local folder or a bucket)."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}"
    for sub in sorted(folders):
        yield from stored_files(f"{folder}/{sub}")


def referenced(names: list[str]) -> set[str]:
    found: set[str] = set()
    for field in FILE_FIELDS:
        rows = Photo.objects.filter(**{f"{field}__in": names}).values_list(field, flat=True)
        found.update(rows)
    return found


def unreferenced(names: Iterator[str]) -> Iterator[str]:
    chunk: list[str] = []
    for name in names:
        chunk.append(name)
        if len(chunk) == CHUNK:
            yield from _without_references(chunk)
            chunk = []
    yield from _without_references(chunk)


def _without_references(chunk: list[str]) -> list[str]:
    known = referenced(chunk) if chunk else set()
    return [name for name in chunk if name not in known]


def grace_hours(value: str) -> int:
    hours = int(value)
    if hours < 1:
        raise ValueError(hours)
    return hours


class Command(BaseCommand):
    help = (
        "List the photo files that no photo refers to; with --delete, remove them. Files "
        "younger than --grace-hours are left alone: an upload may still be on its way."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete", action="store_true", help="Remove the files found (default: only list)."
        )
        parser.add_argument(
            "--grace-hours",
            type=grace_hours,
            default=24,
            help="Only files last written at least this many hours ago (default 24, at least 1).",
        )

    def handle(self, *args, delete: bool, grace_hours: int, **options):
        cutoff = timezone.now() - dt.timedelta(hours=grace_hours)
        found = removed = total_bytes = 0
        for name in unreferenced(stored_files(PHOTO_FOLDER)):
            modified = default_storage.get_modified_time(name)
            if modified >= cutoff:
                continue
            size = default_storage.size(name)
            found += 1
            total_bytes += size
            self.stdout.write(f"{name}  {filesizeformat(size)}  written {modified:%Y-%m-%d %H:%M}")
            if delete and self._still_orphaned(name, cutoff):
                default_storage.delete(name)
                removed += 1
        self._summarise(found, removed, total_bytes, delete)

    def _still_orphaned(self, name: str, cutoff) -> bool:
        # Looked at again just before removing: a retried rendition may have rewritten it.
        return not referenced([name]) and default_storage.get_modified_time(name) < cutoff

    def _summarise(self, found: int, removed: int, total_bytes: int, delete: bool) -> None:
        size = filesizeformat(total_bytes)
        if not found:
            self.stdout.write(self.style.SUCCESS("No orphan photo files."))
        elif not delete:
            self.stdout.write(
                f"{found} orphan files ({size}). Nothing was removed: run again with "
                "--delete to remove them."
            )
        else:
            kept = f"; {found - removed} in use again, kept" if removed < found else ""
            self.stdout.write(self.style.SUCCESS(f"Removed {removed} orphan files{kept}."))
