"""The benchmarks' results: printed as a table, written as JSON."""

import json
import os


def report(title, columns, rows, results, name):
    """Print ``rows`` (lists of values) under ``columns`` and write
    ``results`` as JSON to $BENCH_DIR/<name>.json."""
    print(f"\n{title}")
    widths = [
        max(len(str(value)) for value in [column, *(row[i] for row in rows)]) + 2
        for i, column in enumerate(columns)
    ]
    for row in [columns, *rows]:
        print(
            "".join(
                f"{value!s:>{width}}" for value, width in zip(row, widths, strict=False)
            )
        )
    out = os.path.join(os.environ.get("BENCH_DIR", "."), f"{name}.json")
    with open(out, "w") as file:
        json.dump(results, file, indent=2, default=str)
    print(f"saved {out}")
