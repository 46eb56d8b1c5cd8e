"""Photo pipeline figures: rendition time and peak memory, and what the phone uploads.

For a 12-megapixel camera JPEG, the two renditions (display 1600 px, thumbnail 400 px)
are made three ways, each in a fresh process so its peak memory is its own:

  pipeline  journal.renditions.render: libjpeg-turbo (through simplejpeg) decoding at a
            reduced DCT scale straight into an array, OpenCV's resizes, libjpeg-turbo
            encoding; the thumbnail made from the display rendition. Its process keeps its
            freed heap as a Celery worker's does (keep_heap_between_renditions)
  pillow    Pillow's plain open, resize (Lanczos) and save, once per size
  pyvips    libvips' thumbnail (shrink-on-load), once per size, when pyvips is installed
  decode    the pipeline's reduced-scale decoding alone (journal.renditions.decoded), no
            resize or encoding: the least the pipeline can pay, which bounds how far it can
            get below libvips. Huffman decoding of the whole file is most of it at any
            scale. Without the kept heap, the pipeline would also pay 3-4 ms of page faults
            per pair: glibc gives the 18 MB a pair of renditions grew back to the system
            after each, and the next pair faults it in again.

each on one thread (libvips and OpenCV told so), as a Celery prefork worker runs one task
per process. The methods are taken in turn, round after round, each round in fresh
processes, so a busy moment on a shared machine hits every method alike; each process
keeps its best of a few runs, and the figures are the medians over the rounds (the ratio
is the median of each round's own ratio).

Quality: each rendition is compared with a reference, a Lanczos resize of the fully decoded
photo, by SSIM (scikit-image, colour). JPEG at the renditions' quality loses some of the
sensor noise this photo has, so even the reference resize saved as JPEG scores about
0.92 on the display size: the floor is that the pipeline stays within 0.01 of plain
Pillow's Lanczos rendition at the same quality, and never under 0.90.

The upload a phone sends after capture.js shrinks the photo (longest side 2048 px, JPEG
quality 0.85) is compared with the camera original.

Goals: the pipeline within 0.4x pyvips' time, under 40 MB peak, uploads 10x smaller.
Run: make bench BENCH_ARGS="--only images"
"""

import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CAMERA_SIZE = (4000, 3000)
RENDITIONS = {"display": 1600, "thumbnail": 400}
BROWSER_SIDE = 2048
BROWSER_QUALITY = 85  # capture.js passes 0.85 to canvas.toBlob
METHODS = ("pipeline", "pillow", "pyvips", "decode")
TIME_GOAL = 0.40
MEMORY_GOAL_MB = 40
SSIM_FLOOR = 0.90
# How far below plain Pillow's Lanczos rendition the pipeline's SSIM may fall.
SSIM_MARGIN = 0.01


def add_arguments(parser) -> None:
    parser.add_argument(
        "--images-repeat", type=int, default=5, help="timed runs per process (best is kept)"
    )
    parser.add_argument(
        "--images-rounds",
        type=int,
        default=5,
        help="processes per method, taken in turn so a busy moment hits every method alike",
    )


def camera_photo(path: Path) -> int:
    """A stand-in for a phone photo: smooth light with sensor noise, as JPEG quality 92."""
    from PIL import Image

    width, height = CAMERA_SIZE
    gradient = Image.linear_gradient("L").resize((width, height))
    radial = Image.radial_gradient("L").resize((width, height))
    noise = [Image.effect_noise((width, height), sigma) for sigma in (18, 22, 26)]
    channels = [
        Image.blend(Image.blend(gradient, radial, 0.4 + 0.2 * i), noise[i], 0.35) for i in range(3)
    ]
    Image.merge("RGB", channels).save(path, "JPEG", quality=92)
    return path.stat().st_size


def run(args) -> None:
    with tempfile.TemporaryDirectory() as folder:
        photo = Path(folder) / "camera.jpg"
        original = camera_photo(photo)
        print(f"camera photo: {CAMERA_SIZE[0]} x {CAMERA_SIZE[1]} JPEG, {original / 1e6:.2f} MB")
        rounds: list[dict[str, dict]] = []
        missing: set[str] = set()
        for _ in range(args.images_rounds):
            measured = {}
            for method in METHODS:
                if method in missing:
                    continue
                result = measure(method, photo, args.images_repeat, Path(folder))
                if result is None:
                    missing.add(method)
                else:
                    measured[method] = result
            rounds.append(measured)
        report(rounds, quality(photo, Path(folder)))
        upload = browser_upload(photo)
        print(
            f"\nupload after the browser downscale ({BROWSER_SIDE} px, quality "
            f"{BROWSER_QUALITY / 100:.2f}): {upload / 1e6:.2f} MB, "
            f"{original / upload:.1f}x smaller than the original (goal >= 10x)"
        )


def measure(method: str, photo: Path, repeat: int, folder: Path) -> dict | None:
    completed = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, method, str(photo), str(repeat), str(folder)],
        capture_output=True,
        text=True,
        check=False,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "immersion.settings",
            "VIPS_CONCURRENCY": "1",
        },
    )
    if completed.returncode != 0:
        print(f"{method}: failed\n{completed.stderr.strip()[-2000:]}")
        return None
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    if result.get("missing"):
        print(f"{method}: {result['missing']}")
        return None
    return result


def report(rounds: list[dict[str, dict]], scores: dict[str, list[float]]) -> None:
    print(f"\n{len(rounds)} rounds; per method the median of each process's best time")
    print(f"{'method':<10}{'median':>10}{'range':>18}{'peak memory':>14}   renditions, SSIM")
    medians = {}
    for method in METHODS:
        results = [measured[method] for measured in rounds if method in measured]
        if not results:
            continue
        times = [result["seconds"] * 1000 for result in results]
        medians[method] = statistics.median(times)
        peak = max(result["peak_mb"] for result in results)
        shown = ", ".join(f"{w}x{h}" for w, h in results[0]["sizes"])
        if method in scores:
            shown += ", SSIM " + ", ".join(f"{score:.3f}" for score in scores[method])
        print(
            f"{method:<10}{medians[method]:>7.1f} ms{min(times):>8.1f}-{max(times):>6.1f} ms"
            f"{peak:>11.1f} MB   {shown}"
        )
    ours, plain, vips, floor = (medians.get(m) for m in METHODS)
    if ours and plain:
        print(f"\npipeline / plain Pillow time: {ours / plain:.2f}x")
    if ours and vips:
        ratio = paired_ratio(rounds, "pipeline", "pyvips")
        verdict = "met" if ratio <= TIME_GOAL else "NOT met"
        print(f"pipeline / pyvips time: {ratio:.2f}x (goal <= {TIME_GOAL:.2f}x: {verdict})")
    elif ours:
        print("pyvips not installed: pip install -e '.[bench]' to compare with libvips")
    if floor and vips:
        floor_ratio = paired_ratio(rounds, "decode", "pyvips")
        print(f"reduced-scale decode alone / pyvips time: {floor_ratio:.2f}x")
    if ours and floor:
        print(f"pipeline beyond its decode (resizes, encoding): {ours - floor:.1f} ms")
    if ours:
        peak = max(measured["pipeline"]["peak_mb"] for measured in rounds)
        verdict = "met" if peak < MEMORY_GOAL_MB else "NOT met"
        print(f"pipeline peak memory: {peak:.1f} MB (goal < {MEMORY_GOAL_MB} MB: {verdict})")
    if scores.get("pipeline") and scores.get("pillow"):
        checks = [
            (score, max(SSIM_FLOOR, reference - SSIM_MARGIN))
            for score, reference in zip(scores["pipeline"], scores["pillow"], strict=True)
        ]
        verdict = "met" if all(score >= floor for score, floor in checks) else "NOT met"
        shown = ", ".join(f"{score:.3f} (floor {floor:.3f})" for score, floor in checks)
        print(f"pipeline SSIM, display and thumbnail: {shown}: {verdict}")


def paired_ratio(rounds: list[dict[str, dict]], ours: str, theirs: str) -> float:
    """The median of the rounds' own ratios: both were measured in the same minute."""
    return statistics.median(
        measured[ours]["seconds"] / measured[theirs]["seconds"]
        for measured in rounds
        if ours in measured and theirs in measured
    )


def quality(photo: Path, folder: Path) -> dict[str, list[float]]:
    """SSIM of each method's renditions against a Lanczos resize of the full decode."""
    import numpy as np
    from PIL import Image
    from skimage.metrics import structural_similarity

    with Image.open(photo) as image:
        full = image.convert("RGB")
    scores = {}
    for method in ("pipeline", "pillow", "pyvips"):
        made = sorted(folder.glob(f"{method}-*.jpg"))
        if not made:
            continue
        scores[method] = []
        for path in made:
            with Image.open(path) as rendition:
                got = np.asarray(rendition.convert("RGB"))
            reference = np.asarray(full.resize(rendition.size, Image.Resampling.LANCZOS))
            scores[method].append(
                structural_similarity(reference, got, channel_axis=2, data_range=255)
            )
    return scores


def browser_upload(photo: Path) -> int:
    """What capture.js sends: the photo drawn on a canvas at 2048 px and saved as JPEG."""
    from PIL import Image

    with Image.open(photo) as image:
        image = image.convert("RGB")
        scale = BROWSER_SIDE / max(image.size)
        shrunk = image.resize(
            (round(image.width * scale), round(image.height * scale)),
            Image.Resampling.BILINEAR,
        )
    out = io.BytesIO()
    shrunk.save(out, "JPEG", quality=BROWSER_QUALITY)
    return len(out.getvalue())


# In the child process: one method, measured alone.


def _pipeline():
    from journal import renditions

    # As a Celery worker process runs it (immersion.celery).
    renditions.keep_heap_between_renditions()

    def make(path):
        with open(path, "rb") as source:
            return list(renditions.render(source, renditions.RENDITIONS).values())

    return make


def _pillow():
    from PIL import Image

    def make(path):
        made = []
        with Image.open(path) as image:
            image = image.convert("RGB")
            for longest in RENDITIONS.values():
                scale = longest / max(image.size)
                target = (round(image.width * scale), round(image.height * scale))
                resized = image.resize(target, Image.Resampling.LANCZOS)
                out = io.BytesIO()
                resized.save(out, "JPEG", quality=82)
                made.append(out.getvalue())
        return made

    return make


def _pyvips():
    import pyvips

    def make(path):
        return [
            pyvips.Image.thumbnail(str(path), longest).jpegsave_buffer(Q=82)
            for longest in RENDITIONS.values()
        ]

    return make


def _decode():
    from journal import renditions

    def make(path):
        renditions.decoded(Path(path).read_bytes(), RENDITIONS["display"])
        return []

    return make


def _decoded_size(path: str):
    from journal import renditions

    height, width = renditions.decoded(Path(path).read_bytes(), RENDITIONS["display"]).shape[:2]
    return width, height


def _size_of(content: bytes):
    from PIL import Image

    return Image.open(io.BytesIO(content)).size


def _peak_mb() -> float:
    """This process's resident high-water mark. ru_maxrss survives exec (it would report
    the parent's peak), so Linux's VmHWM, which starts afresh, is read first."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(method: str, path: str, repeat: int, folder: str) -> None:
    import logging

    import cv2
    import django

    django.setup()
    # One thread, like libvips here: a prefork worker's processes already fill the cores.
    cv2.setNumThreads(1)
    # libvips narrates every thumbnail at INFO; the figures are what matter here.
    logging.getLogger("pyvips").setLevel(logging.WARNING)
    factories = {"pipeline": _pipeline, "pillow": _pillow, "pyvips": _pyvips, "decode": _decode}
    try:
        make = factories[method]()
    except ImportError:
        print(json.dumps({"missing": "pyvips not installed"}))
        return
    baseline = _peak_mb()
    made = make(path)  # the first run sets the peak
    peak = _peak_mb() - baseline
    for index, content in enumerate(made):
        Path(folder, f"{method}-{index}.jpg").write_bytes(content)
    sizes = [_size_of(content) for content in made] or [_decoded_size(path)]
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        make(path)
        best = min(best, time.perf_counter() - started)
    print(json.dumps({"seconds": best, "peak_mb": peak, "sizes": sizes}))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    child(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
