"""Scale-out on Dask distributed: ``--cluster ADDRESS|local:N`` for conform and prove.

``local:N`` starts a cluster of N worker processes on this machine (one
thread each: the work is CPU-bound Python); any other value is the address
of a running scheduler (``tcp://host:8786``), whose workers were started
on their hosts with ``dask worker tcp://scheduler:8786`` in an environment
where lnsym is installed (README, "Scale-out").  Dask re-runs the tasks of a
worker that dies on another worker; the callers merge each task's result
once, by its key.
"""
from __future__ import annotations

import logging

from lnsym.errors import UserError
from lnsym.numbers import parse_int


def open_client(spec: str):
    """A connected ``distributed.Client`` for ``local:N`` or a scheduler address."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UserError("--cluster needs Dask distributed (pip install 'distributed')") from None
    if spec.startswith("local:"):
        n = parse_int(spec[len("local:"):], "--cluster local:N")
        if n < 1:
            raise UserError("--cluster local:N needs at least one worker")
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        return Client(cluster)
    if not spec or spec.startswith("-"):
        raise UserError(f"--cluster {spec!r} is neither local:N nor a scheduler address")
    address = spec if "://" in spec else f"tcp://{spec}"
    try:
        return Client(address, timeout="10s")
    except (OSError, TimeoutError) as e:
        raise UserError(f"cannot reach the Dask scheduler at {address} ({e})") from None


def close_client(client) -> None:
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


def prove_task(name: str, blocks, object_spec, timeout: float, limit=None):
    """One shipped proof instance, run where this is called (a worker): its report,
    made exactly as ``lnsym prove`` makes it in one process (CT/MEM observers, an
    ERROR row for a run that cannot complete, the time limit)."""
    from lnsym.cli.commands.prove import _make, _run_one
    from lnsym.cli.progress import ProgressLine
    from proofs import registry
    return _run_one(_make(registry, name, blocks), object_spec, timeout, limit,
                    ProgressLine(enabled=False))


def prove_local_pool(jobs: int, names: list, blocks, object_spec, timeout: float,
                     on_report=None, limit=None) -> list:
    """``-j N``: the same tasks on a pool of N local processes (no Dask needed)."""
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool
    reports = {}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(prove_task, n, blocks, object_spec, timeout, limit): n
                   for n in names}
        try:
            for fut in as_completed(futures):
                reports[futures[fut]] = fut.result()
                if on_report:
                    on_report(reports[futures[fut]])
        except BrokenProcessPool:
            left = [n for n in names if n not in reports]
            raise UserError(
                f"a proof worker process died (killed by the operating system, most "
                f"likely out of memory) with {len(left)} proof(s) unfinished, among them "
                f"{left[0]}: run them with fewer jobs (-j 1) or one at a time") from None
    return [reports[n] for n in names]


def task_overhead(client, tasks: int = 200) -> float:
    """Mean seconds per trivial task on ``client`` (submit, run, gather), in sequence."""
    import time
    t0 = time.perf_counter()
    for i in range(tasks):
        client.submit(abs, -i, pure=False).result()
    return (time.perf_counter() - t0) / tasks


def prove_all(client, names: list, blocks, object_spec, timeout: float, on_report=None) -> list:
    """Reports of the proof instances ``names``, in that order, computed on the
    cluster's workers (each instance one task, retried on another worker if its
    worker dies)."""
    import uuid

    from distributed import as_completed
    run = uuid.uuid4().hex[:12]              # a new run never reuses an old run's results
    futures = {client.submit(prove_task, n, blocks, object_spec, timeout,
                             key=f"prove-{run}-{n}", retries=3, pure=False): n
               for n in names}
    reports = {}
    for fut in as_completed(list(futures)):
        n = futures[fut]
        if n in reports:
            continue
        reports[n] = fut.result()
        if on_report:
            on_report(reports[n])
    return [reports[n] for n in names]
