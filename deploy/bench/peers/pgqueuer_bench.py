"""PgQueuer peer benchmark: N jobs enqueued by 8 concurrent publishers while consumers run no-op
handlers; prints FIGURE throughput_msgs_per_s <n> (N / first enqueue to last job handled).

Connects with the libpq environment (PGHOST, PGPORT, PGUSER, PGDATABASE) to a fresh database and
installs PgQueuer's schema there with its own installer (Queries.install, what `pgq install` runs),
then applies its recommended autovacuum settings (Queries.optimize_autovacuum, `pgq autovac`).

Settings, from PgQueuer's docs (guides/performance-tuning.md, comparisons/benchmarks.md):
  - asyncpg driver (the docs measure it ~1.7x psycopg), one dedicated connection per QueueManager
    ("Always use a direct asyncpg connection (not a pool) for the QueueManager");
  - batch_size: jobs fetched per dequeue round-trip, raised for short jobs (--batch-size);
  - no concurrency_limit on the entrypoint (0 = unlimited) and no max_concurrent_tasks cap;
  - LISTEN/NOTIFY wake-up (the trigger on insert), dequeue_timeout as the polling fallback;
  - durability left at the default `durable` (logged tables): the faster `balanced`/`volatile`
    levels lose jobs on a crash, which MotCua's queue does not allow itself either.
Usage: pgqueuer_bench.py [--jobs N] [--publishers 8] [--consumer-procs P] [--managers M] [--batch-size B]
"""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import asyncpg
from pgqueuer import Queries, QueueManager
from pgqueuer.adapters.drivers.asyncpg import AsyncpgDriver

import harness

ENTRYPOINT = "noop"
PAYLOAD = json.dumps(harness.PAYLOAD).encode()


async def install(args) -> None:
    conn = await asyncpg.connect()
    try:
        q = Queries(AsyncpgDriver(conn))
        await q.install()
        await q.optimize_autovacuum()
    finally:
        await conn.close()


async def consumer(args, shared: harness.Shared, idx: int) -> None:
    count = harness.Counter(shared, idx)
    conns = [await asyncpg.connect() for _ in range(args.managers)]
    qms = []
    for conn in conns:
        qm = QueueManager(Queries(AsyncpgDriver(conn)))

        @qm.entrypoint(ENTRYPOINT)
        async def noop(job) -> None:
            count()

        qms.append(qm)
    runs = [
        asyncio.create_task(
            qm.run(batch_size=args.batch_size, dequeue_timeout=timedelta(seconds=args.dequeue_timeout))
        )
        for qm in qms
    ]
    shared.ready[idx].set()
    await harness.wait_stop(shared)
    for qm in qms:
        qm.shutdown.set()
    await asyncio.gather(*runs)
    for conn in conns:
        await conn.close()


async def publisher(args):
    conns = [await asyncpg.connect() for _ in range(args.publishers)]
    free = asyncio.Queue()
    for conn in conns:
        free.put_nowait(Queries(AsyncpgDriver(conn)))

    async def enqueue(k: int) -> None:
        q = await free.get()
        try:
            if k == 1:
                await q.enqueue(ENTRYPOINT, PAYLOAD, 0)
            else:
                await q.enqueue([ENTRYPOINT] * k, [PAYLOAD] * k, [0] * k)
        finally:
            free.put_nowait(q)

    async def close() -> None:
        for conn in conns:
            await conn.close()

    return enqueue, close


async def leftover(args) -> str | None:
    conn = await asyncpg.connect()
    try:
        left = await conn.fetchval("SELECT count(*) FROM pgqueuer")
        return None if left == 0 else f"{left} rows in table pgqueuer"
    finally:
        await conn.close()


if __name__ == "__main__":
    p = harness.base_parser(__doc__.splitlines()[0])
    p.add_argument("--managers", type=int, default=1, help="QueueManagers per consumer process, one connection each")
    p.add_argument("--batch-size", type=int, default=10, help="PgQueuer run(batch_size=...)")
    p.add_argument("--dequeue-timeout", type=float, default=5.0, help="seconds between fallback polls")
    harness.run("pgqueuer", p.parse_args(), install, consumer, publisher, leftover)
