"""procrastinate peer benchmark: N jobs enqueued by 8 concurrent publishers while workers run a
no-op task; prints FIGURE throughput_msgs_per_s <n> (N / first enqueue to last job handled).

Connects with the libpq environment (PGHOST, PGPORT, PGUSER, PGDATABASE) to a fresh database and
installs procrastinate's schema there with its own installer (SchemaManager.apply_schema_async,
what `procrastinate schema --apply` runs).

Settings, from procrastinate's docs (howto/concurrency, howto/basics/worker,
howto/production/delete_finished_jobs, the App.run_worker and Task.batch_defer_async reference):
  - PsycopgConnector (psycopg 3 with its async pool), the documented default connector; pool size
    per process >= the worker concurrency so that no sub-worker waits for a connection;
  - an async no-op task, so concurrency applies ("sub-workers", run_worker(concurrency=...));
  - listen_notify=True (the default: a NOTIFY on insert wakes the worker) and
    fetch_job_polling_interval as the polling fallback;
  - delete_jobs="always": finished jobs are deleted at once, as MotCua deletes acknowledged
    deliveries (the default, "never", keeps every job row);
  - defer_async per job, or batch_defer_async with --enqueue-batch > 1.
Usage: procrastinate_bench.py [--jobs N] [--publishers 8] [--consumer-procs P] [--workers W] [--concurrency C]
"""

from __future__ import annotations

import asyncio

import procrastinate
import psycopg

import harness

# Module level, so that the spawned consumer processes (which import this file again) have the
# same task. An explicit name: the module is __main__ here and __mp_main__ in the children.
app = procrastinate.App(connector=procrastinate.PsycopgConnector())
_count: harness.Counter | None = None


@app.task(name="noop")
async def noop(**kwargs) -> None:
    _count()


def _open(args, pool_size: int):
    """Opens the app on a connector whose pool holds pool_size connections (libpq environment).
    The same swap as App.replace_connector, kept for the rest of this process's use of the app."""
    connector = procrastinate.PsycopgConnector(conninfo="", min_size=pool_size, max_size=pool_size)
    app.connector = connector
    app.job_manager.connector = connector
    return app.open_async()


async def install(args) -> None:
    async with _open(args, 1):
        await app.schema_manager.apply_schema_async()


async def consumer(args, shared: harness.Shared, idx: int) -> None:
    global _count
    _count = harness.Counter(shared, idx)
    # One connection per sub-worker, plus the worker's fetch and its LISTEN, plus slack.
    async with _open(args, args.workers * (args.concurrency + 2)):
        runs = [
            asyncio.create_task(
                app.run_worker_async(
                    name=f"bench-{idx}-{w}",
                    concurrency=args.concurrency,
                    wait=True,
                    listen_notify=True,
                    fetch_job_polling_interval=args.polling_interval,
                    delete_jobs=args.delete_jobs,
                    install_signal_handlers=False,
                )
            )
            for w in range(args.workers)
        ]
        shared.ready[idx].set()
        await harness.wait_stop(shared)
        for r in runs:
            r.cancel()  # the documented graceful stop of a worker run as a task
        for r in runs:
            try:
                await r
            except asyncio.CancelledError:
                pass


async def publisher(args):
    ctx = _open(args, args.publishers)
    await ctx.__aenter__()

    async def enqueue(k: int) -> None:
        if k == 1:
            await noop.defer_async(**harness.PAYLOAD)
        else:
            await noop.batch_defer_async(*([harness.PAYLOAD] * k))

    async def close() -> None:
        await ctx.__aexit__(None, None, None)

    return enqueue, close


async def leftover(args) -> str | None:
    async with await psycopg.AsyncConnection.connect("") as conn:
        rows = await (await conn.execute(
            "SELECT status::text, count(*) FROM procrastinate_jobs GROUP BY 1 ORDER BY 1")).fetchall()
    unfinished = {s: c for s, c in rows if s != "succeeded" or args.delete_jobs == "always"}
    return None if not unfinished else ", ".join(f"{c} {s}" for s, c in unfinished.items())


if __name__ == "__main__":
    p = harness.base_parser(__doc__.splitlines()[0])
    p.add_argument("--workers", type=int, default=4, help="workers per consumer process")
    p.add_argument("--concurrency", type=int, default=10, help="run_worker(concurrency=...): sub-workers per worker")
    p.add_argument("--polling-interval", type=float, default=5.0, help="fetch_job_polling_interval, seconds")
    p.add_argument("--delete-jobs", default="always", choices=["always", "successful", "never"])
    harness.run("procrastinate", p.parse_args(), install, consumer, publisher, leftover)
