"""Photo pipeline figures: rendition time and peak memory, and what the phone uploads.

For a 12-megapixel camera JPEG, the two renditions (display 1600 px, thumbnail 400 px)
are made three ways, each in a fresh process so its peak memory is its own:

  pipeline  journal.images.render: reduced-scale JPEG decoding (draft), then resizes
  pillow    Pillow's plain open, resize and save, once per size
  pyvips    libvips' thumbnail (shrink-on-load), once per size, when pyvips is installed;
            on one thread, as a Celery prefork worker runs one task per process
  decode    the reduced-scale JPEG decoding alone, no resize or encoding: the least any
            pipeline decoding with libjpeg pays, which bounds how far it can get below libvips

and the upload a phone sends after capture.js shrinks the photo (longest side 2048 px,
JPEG quality 0.85) is compared with the camera original.

Goals: the pipeline within 0.6x pyvips' time, under 100 MB peak, uploads 10x smaller.
Run: make bench BENCH_ARGS="--only images"
"""

import io
import json
import os
import resource
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


def add_arguments(parser) -> None:
    parser.add_argument(
        "--images-repeat", type=int, default=5, help="timed runs per process (best is kept)"
    )
    parser.add_argument(
        "--images-rounds",
        type=int,
        default=3,
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
        results: dict[str, dict | None] = {}
        for _ in range(args.images_rounds):
            for method in METHODS:
                if method in results and results[method] is None:
                    continue
                result = measure(method, photo, args.images_repeat)
                best = results.get(method)
                if best is None or (result and result["seconds"] < best["seconds"]):
                    results[method] = result
        report(results)
        upload = browser_upload(photo)
        print(
            f"\nupload after the browser downscale ({BROWSER_SIDE} px, quality "
            f"{BROWSER_QUALITY / 100:.2f}): {upload / 1e6:.2f} MB, "
            f"{original / upload:.1f}x smaller than the original (goal >= 10x)"
        )


def measure(method: str, photo: Path, repeat: int) -> dict | None:
    completed = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, method, str(photo), str(repeat)],
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


def report(results: dict) -> None:
    print(f"\n{'method':<10}{'best time':>12}{'peak memory':>14}   renditions")
    for method, result in results.items():
        if result is None:
            continue
        sizes = ", ".join(f"{w}x{h}" for w, h in result["sizes"])
        print(
            f"{method:<10}{result['seconds'] * 1000:>9.1f} ms"
            f"{result['peak_mb']:>11.1f} MB   {sizes}"
        )
    ours, plain, vips, floor = (results.get(m) for m in METHODS)
    if ours and plain:
        print(f"\npipeline / plain Pillow time: {ours['seconds'] / plain['seconds']:.2f}x")
    if ours and vips:
        ratio = ours["seconds"] / vips["seconds"]
        print(f"pipeline / pyvips time: {ratio:.2f}x (goal <= 0.60x)")
    elif ours:
        print("pyvips not installed: pip install -e '.[bench]' to compare with libvips")
    if floor and vips:
        floor_ratio = floor["seconds"] / vips["seconds"]
        print(f"reduced-scale decode alone / pyvips time: {floor_ratio:.2f}x")
    if ours:
        print(f"pipeline peak memory: {ours['peak_mb']:.1f} MB (goal < 100 MB)")


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
    from journal import images

    def make(path):
        with open(path, "rb") as source:
            made = images.render(source, images.RENDITIONS)
        return [_size_of(content) for content in made.values()]

    return make


def _pillow():
    from PIL import Image

    def make(path):
        sizes = []
        with Image.open(path) as image:
            image = image.convert("RGB")
            for longest in RENDITIONS.values():
                scale = longest / max(image.size)
                target = (round(image.width * scale), round(image.height * scale))
                resized = image.resize(target, Image.Resampling.LANCZOS)
                out = io.BytesIO()
                resized.save(out, "JPEG", quality=82)
                sizes.append(resized.size)
        return sizes

    return make


def _pyvips():
    import pyvips

    def make(path):
        sizes = []
        for longest in RENDITIONS.values():
            thumb = pyvips.Image.thumbnail(str(path), longest)
            thumb.jpegsave_buffer(Q=82)
            sizes.append((thumb.width, thumb.height))
        return sizes

    return make


def _decode():
    from PIL import Image

    def make(path):
        from journal.images import fit

        with Image.open(path) as image:
            image.draft("YCbCr", fit(image.size, RENDITIONS["display"]))
            image.load()
            return [image.size]

    return make


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


def child(method: str, path: str, repeat: int) -> None:
    import logging

    import django

    django.setup()
    # libvips narrates every thumbnail at INFO; the figures are what matter here.
    logging.getLogger("pyvips").setLevel(logging.WARNING)
    factories = {"pipeline": _pipeline, "pillow": _pillow, "pyvips": _pyvips, "decode": _decode}
    try:
        make = factories[method]()
    except ImportError:
        print(json.dumps({"missing": "pyvips not installed"}))
        return
    baseline = _peak_mb()
    sizes = make(path)  # the first run sets the peak
    peak = _peak_mb() - baseline
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        make(path)
        best = min(best, time.perf_counter() - started)
    print(json.dumps({"seconds": best, "peak_mb": peak, "sizes": sizes}))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    child(sys.argv[1], sys.argv[2], int(sys.argv[3]))
