"""What a load run measured and whether it passed. Pure functions: no server, no Django."""

import json
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

CAPTURE = "capture: post"
CAPTURE_WITH_PHOTO = "capture: post with photo"


@dataclass(frozen=True)
class Sample:
    """One request as the load tool saw it. status is 0 when no response came back."""

    kind: str
    millis: float
    status: int
    ok: bool


@dataclass(frozen=True)
class KindFigures:
    kind: str
    requests: int
    errors: int
    server_errors: int
    p50: float
    p95: float
    p99: float


@dataclass(frozen=True)
class Stored:
    """What the database holds once every process has stopped."""

    observations: int
    photos: int


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: the smallest value that at least `share` per cent of the values reach."""
    if not values:
        raise ValueError("No values to take a percentile of.")
    ordered = sorted(values)
    rank = max(1, math.ceil(share / 100 * len(ordered)))
    return ordered[rank - 1]


def figures_by_kind(samples: list[Sample]) -> list[KindFigures]:
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
    figures = []
    for kind, group in sorted(by_kind.items()):
        times = [s.millis for s in group]
        figures.append(
            KindFigures(
                kind=kind,
                requests=len(group),
                errors=sum(not s.ok for s in group),
                server_errors=sum(s.status >= 500 for s in group),
                p50=percentile(times, 50),
                p95=percentile(times, 95),
                p99=percentile(times, 99),
            )
        )
    return figures


def saved_posts(samples: list[Sample]) -> tuple[int, int]:
    """Capture posts the site said it saved: all of them, and those carrying a photo."""
    with_photo = sum(s.ok for s in samples if s.kind == CAPTURE_WITH_PHOTO)
    return sum(s.ok for s in samples if s.kind == CAPTURE) + with_photo, with_photo


def problems(samples: list[Sample], stored: Stored) -> list[str]:
    """Why the run failed; empty when it passed."""
    found = []
    posts, photo_posts = saved_posts(samples)
    server_errors = sum(s.status >= 500 for s in samples)
    if server_errors:
        found.append(f"{server_errors} responses were server errors (5xx).")
    if posts == 0:
        found.append("No capture post was saved, so the run proves nothing.")
    if stored.observations != posts:
        found.append(
            f"{posts} capture posts were answered as saved but "
            f"{stored.observations} observations are stored."
        )
    if stored.photos != photo_posts:
        found.append(
            f"{photo_posts} posts with a photo were saved but {stored.photos} photos are stored."
        )
    return found


def report(samples: list[Sample], stored: Stored) -> str:
    lines = [
        f"{'request kind':<28}{'requests':>9}{'errors':>8}{'5xx':>6}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    ]
    for f in figures_by_kind(samples):
        lines.append(
            f"{f.kind:<28}{f.requests:>9}{f.errors:>8}{f.server_errors:>6}"
            f"{f.p50:>9.0f}{f.p95:>9.0f}{f.p99:>9.0f}"
        )
    posts, photo_posts = saved_posts(samples)
    lines.append("")
    lines.append(f"capture posts saved: {posts} ({photo_posts} with a photo)")
    lines.append(f"observations stored: {stored.observations} (photos: {stored.photos})")
    found = problems(samples, stored)
    lines.append("")
    lines.extend(f"FAIL: {problem}" for problem in found)
    if not found:
        lines.append("PASS: no server error, and every saved post is one stored row.")
    return "\n".join(lines)


def read_samples(path: Path) -> list[Sample]:
    with path.open() as lines:
        return [Sample(*json.loads(line)) for line in lines if line.strip()]
