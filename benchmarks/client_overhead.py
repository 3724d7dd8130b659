"""Per-call overhead of the generated client against raw httpx + json, on the same in-process transport.

Both sides talk to an `httpx.MockTransport` that returns a fixed body, so the network is out of the picture and
what is left is the cost of each stack. The raw side does the least a careful hand-written caller would:
`client.get(url, headers=...)`, a status check and `json.loads`. The generated side builds the URL, checks the
status and validates the body into pydantic models (UUIDs, datetimes, nested users): it does more work, which
is the point of the ratio.

Repetitions of the two sides are interleaved and the medians compared, so drift (CPU frequency, other load)
hits both alike. Run: `.venv/bin/python benchmarks/client_overhead.py [--rounds N] [--calls N]`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "generated" / "client"))

from posthog_client import PostHogClient  # noqa: E402

TARGET = 1.3
KEY = "phx_benchmark"
HOST = "https://us.posthog.com"
PROJECT = "7"
DATASET_ID = UUID("497f6eca-6276-4993-bfeb-53cbbbba6f08")
USER = {
    "id": 1,
    "uuid": "095be615-a8ad-4c33-8e9c-c7612fbf6c9f",
    "distinct_id": "abc",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.com",
    "is_email_verified": True,
    "hedgehog_config": None,
    "role_at_organization": "engineering",
}


def dataset(n: int) -> dict[str, Any]:
    return {
        "id": str(UUID(int=n)),
        "name": f"dataset {n}",
        "description": "evaluation set",
        "metadata": {"owner": "ml", "n": n},
        "created_at": "2024-08-24T14:15:22Z",
        "updated_at": "2024-08-25T09:00:00.123456Z",
        "deleted": False,
        "created_by": USER,
        "team": 2,
    }


ONE = json.dumps(dataset(1)).encode()
PAGE = json.dumps(
    {
        "count": 1000,
        "next": f"{HOST}/api/projects/7/datasets/?limit=100&offset=100",
        "previous": None,
        "results": [dataset(n) for n in range(100)],
    }
).encode()


def transport(body: bytes) -> httpx.MockTransport:
    headers = {"Content-Type": "application/json"}
    return httpx.MockTransport(lambda request: httpx.Response(200, content=body, headers=headers))


def raw_call(body: bytes, url: str) -> Callable[[], Any]:
    http = httpx.Client(transport=transport(body), timeout=30.0)
    headers = {"Authorization": f"Bearer {KEY}", "User-Agent": "raw/1"}

    def call() -> Any:
        response = http.get(url, headers=headers)
        response.raise_for_status()
        return json.loads(response.content)

    return call


def generated_calls() -> dict[str, tuple[Callable[[], Any], Callable[[], Any]]]:
    retrieve = PostHogClient(KEY, transport=transport(ONE))
    listing = PostHogClient(KEY, transport=transport(PAGE))
    list_method = getattr(listing.datasets, "list", None) or getattr(listing.datasets, "list_")
    return {
        "retrieve (one Dataset)": (
            raw_call(ONE, f"{HOST}/api/projects/{PROJECT}/datasets/{DATASET_ID}/"),
            lambda: retrieve.datasets.retrieve(PROJECT, DATASET_ID),
        ),
        "list page (100 datasets)": (
            raw_call(PAGE, f"{HOST}/api/projects/{PROJECT}/datasets/?limit=100&offset=0"),
            lambda: list_method(PROJECT, limit=100, offset=0),
        ),
    }


def per_call(fn: Callable[[], Any], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def measure(raw: Callable[[], Any], generated: Callable[[], Any], rounds: int, calls: int) -> tuple[float, ...]:
    """Median seconds per call of each side, and the median of the per-round ratios (robust to load drift)."""
    for _ in range(max(calls // 5, 10)):  # warm up: caches, adapters, connection set-up
        raw(), generated()
    raw_times, generated_times, ratios = [], [], []
    for n in range(rounds):
        order = [(raw, raw_times), (generated, generated_times)]
        for fn, times in order if n % 2 == 0 else reversed(order):
            times.append(per_call(fn, calls))
        ratios.append(generated_times[-1] / raw_times[-1])
    return statistics.median(raw_times), statistics.median(generated_times), statistics.median(ratios)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=61, help="interleaved repetitions (the median is kept)")
    parser.add_argument("--calls", type=int, default=100, help="calls per repetition")
    args = parser.parse_args()
    ok = True
    print(f"{'case (median per call)':<26} {'raw httpx+json':>16} {'generated':>12} {'ratio':>7}  target <= {TARGET}x")
    for name, (raw, generated) in generated_calls().items():
        calls = args.calls if "retrieve" in name else max(args.calls // 10, 10)
        raw_s, generated_s, ratio = measure(raw, generated, args.rounds, calls)
        ok &= ratio <= TARGET
        print(
            f"{name:<26} {raw_s * 1e6:>13.1f} us {generated_s * 1e6:>9.1f} us {ratio:>6.2f}x  "
            f"{'ok' if ratio <= TARGET else 'OVER'}"
        )
    print(f"target {'holds' if ok else 'does NOT hold'}: generated client <= {TARGET}x raw httpx + json per call")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
