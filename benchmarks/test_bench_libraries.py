"""Library benchmarks (``make bench``): loading a whole static archive member by member
(relocations, synthesised GOT), whole-archive coverage, and the libgcrypt proofs.
Figures go to ``benchmark.extra_info`` and are printed."""
from __future__ import annotations

import pytest
from tooling import need

from lnsym.cli.archive_coverage import archive_coverage
from lnsym.cli.commands.coverage import routine_coverage
from lnsym.elf import targets
from lnsym.elf.archive import open_archive
from lnsym.elf.image import _load_cached, load_image
from lnsym.errors import UserError
from proofs import registry


@pytest.fixture(scope="module", params=["openssl", "libgcrypt"])
def library(request):
    try:
        path = targets.library_archive(request.param)
    except UserError:
        path = None
    need(path is not None, f"the {request.param} arm64 archive (make {request.param})")
    return request.param, str(path)


def test_bench_load_every_member(benchmark, library, capsys):
    name, path = library
    members = open_archive(path).names()

    def load_all():
        _load_cached.cache_clear()
        return sum(len(load_image(f"{path}:{m}").segments) for m in members)

    benchmark.pedantic(load_all, rounds=1, iterations=1, warmup_rounds=0)
    benchmark.extra_info.update({"library": name, "members": len(members)})
    with capsys.disabled():
        print(f"\n{name}: {len(members)} members loaded in {benchmark.stats['mean']:.1f}s")


def test_bench_coverage_of_assembly_members(benchmark, library, capsys):
    name, path = library
    lib = targets.library(name)
    members = [m for m in open_archive(path).names() if lib.asm_member.search(m)]
    box = {}

    def once():
        box["report"] = archive_coverage(path, routine_coverage, members)

    benchmark.pedantic(once, rounds=1, iterations=1, warmup_rounds=0)
    total = box["report"]["total"]
    assert total["loaded"] == total["members"] == len(members)
    benchmark.extra_info.update({"library": name, **total})
    with capsys.disabled():
        print(f"\n{name} assembly members: {total['members']} members, "
              f"{total['instructions']:,} instructions, {total['implemented']:,} implemented, "
              f"{benchmark.stats['mean']:.1f}s")


GCRYPT = ["_gcry_sha256_transform_armv8_ce/all", "_gcry_aes_enc_armv8_ce/256",
          "_gcry_aes_ctr_enc_armv8_ce/128", "_gcry_aes_ctr_enc_armv8_ce/all",
          "_gcry_aes_ctr_enc_armv8_ce/all-192", "_gcry_aes_ctr_enc_armv8_ce/all-256",
          "_gcry_ghash_armv8_ce_pmull/6",
          "_gcry_ghash_setup_armv8_ce_pmull", "_gcry_ghash_armv8_ce_pmull/all",
          "_gcry_ghash_setup+update_armv8_ce_pmull/all"]


@pytest.mark.parametrize("name", GCRYPT)
def test_bench_libgcrypt_proof(benchmark, capsys, name):
    try:
        targets.library_archive("libgcrypt")
    except UserError:
        need(False, "the libgcrypt arm64 archive (make libgcrypt)")
    box = {}

    def once():
        box["report"] = registry.make(name).check()

    benchmark.pedantic(once, rounds=1, iterations=1, warmup_rounds=0)
    rep = box["report"]
    assert rep.status == "proved", [(r.name, r.status, r.detail) for r in rep.failed]
    benchmark.extra_info.update({"proof": rep.name, "steps": rep.steps,
                                 "wall_seconds": round(rep.seconds["total"], 3)})
    with capsys.disabled():
        print(f"\n{rep.name:<55} {rep.steps:>5} instructions  wall "
              f"{rep.seconds['total']:6.2f}s")
