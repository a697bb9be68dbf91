"""The part the two peer benchmarks share: processes, counting, timing, the FIGURE lines.

One run: the library's schema is installed in the (fresh, empty) database named by the libpq
environment (PGHOST, PGPORT, PGUSER, PGDATABASE); consumer processes start and say they are ready;
then 8 publishers (asyncio tasks in this process, one connection each) enqueue N jobs between them,
one job per enqueue call unless --enqueue-batch says otherwise, while the consumers run no-op
handlers. Throughput = N / (time the last job was handled - time of the first enqueue).

Each consumer process counts its handled jobs in its own slot of a shared array and stamps the
time.monotonic() of its last one (CLOCK_MONOTONIC is machine-wide on Linux, so stamps from
different processes compare). The parent waits until the sum reaches N, waits a grace second to
catch duplicates, stops the consumers, asks the library-specific check whether anything is left in
the database, and fails loudly (exit status 1) unless exactly N jobs were handled.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import sys
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

# The payload every job carries: the size and shape of a MotCua event, as in the pgbench reference.
PAYLOAD = {"topic": "dossier.received", "code": "H01-260101-0001"}


def run_loop(coro: Awaitable[Any]) -> Any:
    """uvloop when installed (both libraries' own benchmarks use it), else asyncio."""
    try:
        import uvloop

        return uvloop.run(coro)
    except ImportError:
        return asyncio.run(coro)


def base_parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--jobs", type=int, default=20_000, help="jobs to enqueue and handle (N)")
    p.add_argument("--publishers", type=int, default=8, help="concurrent publishers, one connection each")
    p.add_argument("--enqueue-batch", type=int, default=1,
                   help="jobs per enqueue call/transaction (1: one job per transaction, like a service "
                        "publishing one event per business transaction)")
    p.add_argument("--consumer-procs", type=int, default=1, help="consumer OS processes")
    p.add_argument("--timeout", type=float, default=300.0, help="give up (and fail) after this many seconds")
    return p


@dataclass
class Shared:
    counts: Any  # mp.Array('q'), one slot per consumer process
    last: Any  # mp.Array('d'), monotonic time of each process's last handled job
    ready: Any  # list of mp.Event, one per process
    stop: Any  # mp.Event: the parent asks the consumers to stop


class Counter:
    """What a consumer's handler calls once per job."""

    def __init__(self, shared: Shared, idx: int) -> None:
        self.counts = shared.counts
        self.last = shared.last
        self.idx = idx

    def __call__(self) -> None:
        self.counts[self.idx] += 1
        self.last[self.idx] = time.monotonic()


async def wait_stop(shared: Shared) -> None:
    """Returns once the parent has set the stop event (polled: mp.Event is not awaitable)."""
    while not shared.stop.is_set():
        await asyncio.sleep(0.05)


def _consumer_entry(consumer: Callable[..., Awaitable[None]], args: argparse.Namespace,
                    shared: Shared, idx: int) -> None:
    run_loop(consumer(args, shared, idx))


def fail(name: str, msg: str) -> None:
    print(f"{name}: FAILED: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


def run(
    name: str,
    args: argparse.Namespace,
    install: Callable[[argparse.Namespace], Awaitable[None]],
    consumer: Callable[[argparse.Namespace, Shared, int], Awaitable[None]],
    publisher: Callable[[argparse.Namespace], Awaitable[tuple[Callable[[int], Awaitable[None]], Callable[[], Awaitable[None]]]]],
    leftover: Callable[[argparse.Namespace], Awaitable[str | None]],
) -> None:
    """publisher(args) opens its connections and returns (enqueue(count), close()); enqueue(k)
    enqueues k jobs in one call. leftover(args) returns None when the database holds no unfinished
    job, else a description of what is left."""
    n = args.jobs
    if n < 1 or args.publishers < 1 or args.consumer_procs < 1 or args.enqueue_batch < 1:
        fail(name, "--jobs, --publishers, --consumer-procs and --enqueue-batch must be >= 1")

    run_loop(install(args))

    ctx = mp.get_context("spawn")
    shared = Shared(
        counts=ctx.Array("q", args.consumer_procs, lock=False),
        last=ctx.Array("d", args.consumer_procs, lock=False),
        ready=[ctx.Event() for _ in range(args.consumer_procs)],
        stop=ctx.Event(),
    )
    procs = [ctx.Process(target=_consumer_entry, args=(consumer, args, shared, i), daemon=True)
             for i in range(args.consumer_procs)]
    for p in procs:
        p.start()

    try:
        result = run_loop(_measure(name, args, shared, procs, publisher))
    finally:
        shared.stop.set()
        for p in procs:
            p.join(timeout=30)
            if p.is_alive():
                print(f"{name}: a consumer did not stop within 30 s; terminating it", file=sys.stderr)
                p.terminate()
                p.join(timeout=5)

    elapsed, enqueue_elapsed = result
    handled = sum(shared.counts)
    bad_exit = [p.exitcode for p in procs if p.exitcode not in (0, None)]
    left = run_loop(leftover(args))
    print(f"{name}: handled {handled} of {n} jobs; first enqueue to last job handled {elapsed:.3f} s; "
          f"enqueue of all jobs took {enqueue_elapsed:.3f} s", file=sys.stderr, flush=True)
    if handled != n:
        fail(name, f"handled {handled} jobs, expected exactly {n}")
    if left is not None:
        fail(name, f"jobs left in the database after the run: {left}")
    if bad_exit:
        fail(name, f"consumer exit statuses {bad_exit}")
    print(f"FIGURE handled_jobs {handled}")
    print(f"FIGURE enqueue_msgs_per_s {n / enqueue_elapsed:.0f}")
    print(f"FIGURE throughput_msgs_per_s {n / elapsed:.0f}", flush=True)


async def _measure(name, args, shared, procs, publisher) -> tuple[float, float]:
    n = args.jobs
    deadline = time.monotonic() + args.timeout

    def check_alive() -> None:
        for p in procs:
            if not p.is_alive():
                fail(name, f"consumer process {p.pid} exited early with status {p.exitcode}")

    # Consumers ready (connected, handlers registered, worker loop starting).
    for ev in shared.ready:
        while not ev.is_set():
            check_alive()
            if time.monotonic() > deadline:
                fail(name, "consumers did not get ready in time")
            await asyncio.sleep(0.02)
    enqueue, close = await publisher(args)
    # Let the workers reach their LISTEN / first fetch before the clock starts.
    await asyncio.sleep(1.0)
    if sum(shared.counts) != 0:
        fail(name, "jobs were handled before any was enqueued (database not fresh?)")

    shares = [n // args.publishers + (1 if i < n % args.publishers else 0) for i in range(args.publishers)]

    async def publish(share: int) -> None:
        while share > 0:
            k = min(args.enqueue_batch, share)
            await enqueue(k)
            share -= k

    t0 = time.monotonic()
    pub = asyncio.gather(*(publish(s) for s in shares))
    enqueue_done: float | None = None
    try:
        while True:
            if enqueue_done is None and pub.done():
                pub.result()  # raises if a publisher failed
                enqueue_done = time.monotonic()
            if sum(shared.counts) >= n and enqueue_done is not None:
                break
            check_alive()
            if time.monotonic() > deadline:
                fail(name, f"timed out after {args.timeout:.0f} s with {sum(shared.counts)} of {n} jobs handled")
            await asyncio.sleep(0.002)
    finally:
        if not pub.done():
            pub.cancel()
    t_last = max(shared.last)
    # Grace second: a job handled twice would push the count past N.
    await asyncio.sleep(1.0)
    await close()
    return t_last - t0, enqueue_done - t0
