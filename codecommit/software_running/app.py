#!/usr/bin/env python3
"""A pure-Python app: the same source and the same wheels on x86_64 and arm64.

It checks that the installed packages match the pins in requirements.txt,
does a little CPU work in plain Python, prints a table and writes a JSON
report (out/report.json by default) for the next build step to check.
"""

import argparse
import hashlib
import json
import os
import platform
import sys
import time
from importlib.metadata import version

from packaging.requirements import Requirement
from tabulate import tabulate

HERE = os.path.dirname(os.path.abspath(__file__))


def pinned_requirements(path: str) -> list:
    with open(path, encoding="utf-8") as f:
        lines = (line.split("#", 1)[0].strip() for line in f)
        return [Requirement(line) for line in lines if line]


def primes_below(limit: int) -> int:
    sieve = bytearray([1]) * limit
    sieve[:2] = b"\x00\x00"
    for i in range(2, int(limit ** 0.5) + 1):
        if sieve[i]:
            sieve[i * i::i] = bytearray(len(range(i * i, limit, i)))
    return sum(sieve)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="out/report.json", help="report file to write")
    args = ap.parse_args()

    packages = []
    for req in pinned_requirements(os.path.join(HERE, "requirements.txt")):
        installed = version(req.name)
        packages.append({"name": req.name, "pinned": str(req.specifier),
                         "installed": installed, "ok": installed in req.specifier})

    started = time.perf_counter()
    primes = primes_below(2_000_000)
    digest = hashlib.sha256(str(primes).encode()).hexdigest()
    work_s = time.perf_counter() - started

    report = {
        "machine": platform.machine(),
        "python": platform.python_version(),
        "packages": packages,
        "primes_below_2e6": primes,
        "sha256": digest,
        "work_seconds": round(work_s, 4),
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)

    print(tabulate([[p["name"], p["pinned"], p["installed"], "yes" if p["ok"] else "NO"]
                    for p in packages],
                   headers=["package", "pinned", "installed", "matches"]))
    print(f"{report['machine']}, Python {report['python']}: {primes} primes below "
          f"2,000,000 in {work_s:.2f} s; wrote {args.out}")
    # A package that does not match its pin is a failed build, not a warning.
    return 0 if all(p["ok"] for p in packages) else 1


if __name__ == "__main__":
    sys.exit(main())
