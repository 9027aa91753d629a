"""How long one suppression pass over a run's whole area tree takes (issue 14, point 10).

A synthetic tree shaped like the nation's (77 provinces, ~10 districts each, ~9
sub-districts each, ~11 villages each: about 85,000 areas), with eight counts per area
and 31 dimension subsets per area above the villages; counts drawn so that many cells are
small. The pages now hide the cells decided by one pass over the whole tree
(`targeting.results.withheld`, kept per run and area scope); the baseline is what a page
did before, alone: the pass over the nation page's own sums, measured in the same run.

    .venv/bin/python bench/suppression_tree.py [--provinces 77]
"""

from __future__ import annotations

import argparse
import os
import random
import time
import tracemalloc

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onehome.settings")
django.setup()  # the disclosure module sits in an app (it names the User model)

from onehome.access.disclosure import (  # noqa: E402 - after django.setup()
    SMALL_CELL,
    Sum,
    complementary_suppression,
)

COLUMNS = ("n", "q", "target_poor", *(f"poor_in_{d}" for d in range(5)))


def tree(provinces: int, seed: int = 14) -> tuple[dict, list[Sum]]:
    rng = random.Random(seed)
    values: dict = {}
    sums: list[Sum] = []

    def grow(code: str, depth: int) -> dict[str, int]:
        widths = (provinces, 12, 11, 13)
        if depth == 4:
            counts = {c: rng.choice((0, 1, 2, 3, 4, 6, 9, 15, 30, 60)) for c in COLUMNS}
        else:
            kids = [
                f"{code}{i:02d}"
                for i in range(
                    1,
                    (widths[depth] if depth == 0 else rng.randint(widths[depth] - 4, widths[depth]))
                    + 1,
                )
            ]
            below = [grow(k, depth + 1) for k in kids]
            counts = {c: sum(b[c] for b in below) for c in COLUMNS}
            sums.extend(Sum((code, c), tuple((k, c) for k in kids)) for c in COLUMNS)
            subsets = [max(0, counts["q"] // 31 + rng.randint(-3, 3)) for _ in range(31)]
            values.update({(code, f"subset:{s}"): v for s, v in enumerate(subsets, 1)})
            sums.append(Sum((code, "subsets"), tuple((code, f"subset:{s}") for s in range(1, 32))))
            values[(code, "subsets")] = sum(subsets)
        values.update({(code, c): v for c, v in counts.items()})
        return counts

    grow("", 0)
    return values, sums


def timed(fn, *args, **kw):
    tracemalloc.start()
    started = time.perf_counter()
    result = fn(*args, **kw)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provinces", type=int, default=77)
    args = parser.parse_args()
    values, sums = tree(args.provinces)
    small = {k for k, v in values.items() if 0 < v < SMALL_CELL}
    areas = len({k[0] for k in values})
    print(f"{areas:,} areas, {len(values):,} cells, {len(sums):,} sums, {len(small):,} small")
    nation = [s for s in sums if s.total[0] == ""]
    members = {m for s in nation for m in (*s.parts, s.total)}
    page_values = {k: values[k] for k in members}
    _, page_s, page_mb = timed(complementary_suppression, page_values, small & members, nation)
    hidden, tree_s, tree_mb = timed(complementary_suppression, values, small, sums)
    print(f"baseline, the nation page alone: {page_s * 1000:8.1f} ms, peak {page_mb:5.1f} MiB")
    print(
        f"the whole tree, once per run and scope: {tree_s * 1000:8.1f} ms, peak {tree_mb:5.1f} MiB"
    )
    print(f"hidden: {len(hidden):,} cells; the tree pass costs {tree_s / page_s:.0f}x one page")


if __name__ == "__main__":
    main()
