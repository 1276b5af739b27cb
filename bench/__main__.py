"""Run every benchmark module's ``main()``, or only those named on the command line."""

import importlib
import pkgutil
import sys
from pathlib import Path


def discover() -> list[str]:
    """Benchmark modules: every ``bench/*.py`` whose name does not start with an underscore."""
    folder = Path(__file__).resolve().parent
    return sorted(m.name for m in pkgutil.iter_modules([str(folder)])
                  if not m.name.startswith("_"))


def main(argv: list[str]) -> int:
    available = discover()
    names = argv or available
    unknown = [name for name in names if name not in available]
    if unknown:
        print(f"Unknown benchmark(s): {', '.join(unknown)}. Available: {', '.join(available)}",
              file=sys.stderr)
        return 2
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        if not callable(getattr(module, "main", None)):
            continue
        print(f"== {name}", flush=True)
        module.main()
        print(flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
