"""Fixtures and the summary table of ``make bench`` (lnsym vs unicorn instructions per second)."""
from __future__ import annotations

import pytest
from tooling import need  # tests/ is on pytest's pythonpath


@pytest.fixture(scope="session")
def openssl_lib():
    """The cached OpenSSL arm64 ``libcrypto.a`` (``make openssl`` fetches it)."""
    from lnsym.elf import targets
    from lnsym.errors import UserError
    try:
        path = targets.openssl_archive(fetch=False)
    except UserError:
        path = None
    need(path is not None, "the OpenSSL arm64 libcrypto.a (make openssl)")
    return path


def pytest_terminal_summary(terminalreporter):
    import sys
    _batch_summary(terminalreporter)
    mod = sys.modules.get("test_throughput")
    rows = getattr(mod, "RESULTS", None)
    if not rows:
        return
    tr = terminalreporter
    tr.write_line("")
    tr.write_line(f"{'routine':<36} {'instructions':>12} {'lnsym instr/s':>14} "
                  f"{'unicorn instr/s':>16} {'unicorn/lnsym':>14}")
    for r in rows:
        tr.write_line(f"{r['routine']:<36} {r['instructions']:>12,} {r['lnsym_ips']:>14,} "
                      f"{r['unicorn_ips']:>16,} {r['ratio']:>14,}")


def _batch_summary(tr):
    import sys
    rows = getattr(sys.modules.get("test_batch_throughput"), "BATCH_RESULTS", None)
    if not rows:
        return
    tr.write_line("")
    tr.write_line(f"{'routine (batch, lanes)':<36} {'lane instr/s':>14} {'unicorn instr/s':>16} "
                  f"{'batch/unicorn':>14} {'(CPU time)':>11} {'bytes/lane':>11}")
    for r in rows:
        tr.write_line(f"{r['routine'] + ', ' + str(r['lanes']):<36} {r['lane_ips']:>14,} "
                      f"{r['unicorn_ips']:>16,} {r['batch_over_unicorn']:>14} "
                      f"{r['batch_over_unicorn_cpu']:>11} "
                      f"{r['memory_per_lane_bytes']:>11,}")
