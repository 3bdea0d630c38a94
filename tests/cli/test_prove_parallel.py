"""lnsym prove -j N and --cluster local:N: the same reports and exit status as one process."""
import json

import pytest

from lnsym.cli.main import main
from tooling import need

NAMES = ["gcm_gmult_v8", "aes_v8_encrypt/128", "aes_v8_set_encrypt_key/256"]


def reports(capsys, *extra):
    code = main(["prove", *NAMES, "--json", "--no-progress", *extra])
    data = json.loads(capsys.readouterr().out)
    return code, [(r["name"], r["status"], r["steps"], len(r["obligations"]),
                   r["ct_mem"]["ct"] if "ct_mem" in r else None) for r in data]


@pytest.fixture(scope="module")
def sequential(openssl_lib):
    import io
    import sys
    from contextlib import redirect_stdout
    buf = io.StringIO()
    with redirect_stdout(buf):
        code = main(["prove", *NAMES, "--json", "--no-progress"])
    data = json.loads(buf.getvalue())
    sys.stdout.flush()
    return code, [(r["name"], r["status"], r["steps"], len(r["obligations"]),
                   r["ct_mem"]["ct"] if "ct_mem" in r else None) for r in data]


def test_local_pool_equals_one_process(capsys, sequential):
    assert reports(capsys, "-j", "2") == sequential
    assert sequential[0] == 0 and {s for _, s, *_ in sequential[1]} == {"proved"}


def test_dask_cluster_equals_one_process(capsys, sequential):
    try:
        import distributed as _  # noqa: F401
    except ImportError:
        need(False, "Dask distributed (pip install -e '.[dev]')")
    assert reports(capsys, "--cluster", "local:2") == sequential


@pytest.mark.parametrize("argv, message", [
    (["--cluster", "local:0"], "at least one worker"),
    (["--cluster", "local:2", "--time-limit", "5"], "--time-limit"),
    (["-j", "0"], "--jobs"),
    (["-j", "2", "--no-cache"], "--no-cache"),
])
def test_bad_parallel_options_are_one_sentence(capsys, openssl_lib, argv, message):
    assert main(["prove", "gcm_gmult_v8", "--no-progress", *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and "Traceback" not in err[0]


def _worker_killed(name, *args):
    """A proof task whose worker process dies (as when the system kills it for memory)."""
    import os
    os._exit(9)


def test_a_worker_killed_mid_run_is_one_clear_error(monkeypatch, capsys):
    from lnsym.cli import cluster
    monkeypatch.setattr(cluster, "prove_task", _worker_killed)
    code = main(["prove", *NAMES, "-j", "2", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and "internal error" not in err
    assert "worker process died" in err and "-j 1" in err
