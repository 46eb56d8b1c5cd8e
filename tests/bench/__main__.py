"""`make bench`: run every benchmark module in this package and print its figures.

Each module exposes ``add_arguments(parser)`` and ``run(args)``; ``BENCH_ARGS`` in the
Makefile passes options through, e.g. ``make bench BENCH_ARGS="--only images"``.
"""

import argparse
import importlib
import pkgutil

import django


def main() -> None:
    django.setup()
    import tests.bench as package

    names = [m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_")]
    modules = {name: importlib.import_module(f"tests.bench.{name}") for name in sorted(names)}
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("--only", choices=sorted(modules), help="run just this benchmark")
    for module in modules.values():
        module.add_arguments(parser)
    args = parser.parse_args()
    for name, module in modules.items():
        if args.only and name != args.only:
            continue
        print(f"\n=== {name} ===", flush=True)
        module.run(args)


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "immersion.settings")
    main()
