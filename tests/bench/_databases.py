"""A throw-away database of the configured engine for one benchmark."""

import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.db import connection


@contextmanager
def throwaway_database(suffix: str):
    """Create it (PostgreSQL: beside the configured one; SQLite: in a temporary folder),
    point the default connection at it, and drop it afterwards."""
    creation = connection.creation
    folder = None
    if connection.vendor == "postgresql":
        name = f"{connection.settings_dict['NAME']}_{suffix}"
    else:
        folder = tempfile.TemporaryDirectory(prefix=f"{suffix}-")
        name = str(Path(folder.name) / "bench.sqlite3")
    connection.settings_dict.setdefault("TEST", {})["NAME"] = name
    old_name = connection.settings_dict["NAME"]
    creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        creation.destroy_test_db(old_name, verbosity=0)
        if folder is not None:
            folder.cleanup()
