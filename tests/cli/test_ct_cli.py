"""``lnsym ct``: exit codes, the printed violation (address, disassembly, secrets,
term, pair, concrete replay), --json, and one-sentence errors for bad contracts."""
from __future__ import annotations

import json

import pytest

from lnsym.cli.main import main
from lnsym.errors import UserError
from lnsym.safety.contract import parse_contract

AES = ["libcrypto-lib-aes_core.o", "--symbol", "AES_encrypt", "--contract",
       "in=x0:16:public, out=x1:16:public, key=x2:244:ro, key[240:4]=10"]


def test_table_aes_prints_the_violation_and_exits_1(openssl_lib, capsys):
    assert main(["ct", *AES]) == 1
    out = capsys.readouterr().out
    assert "CT:  no (address at 0x" in out and "ldr w" in out
    assert "depends on secret(s): key[" in out and "term: " in out
    assert "secret pair (random simulation): key[" in out
    assert "concrete replay: addresses" in out and "-- confirmed" in out
    assert "MEM: unknown" in out


def test_constant_time_routine_exits_0_with_its_trusted_base(openssl_lib, capsys):
    assert main(["ct", "libcrypto-lib-ecp_nistz256-armv8.o", "--symbol", "ecp_nistz256_mul_mont",
                 "--contract", "res=x0:32:public, a=x1:32:ro, b=x2:32:ro", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["ct"], out["mem"]) == ("yes", "yes") and out["ct_findings"] == []
    assert out["dit_dependent"] and out["stack_depth"] > 0
    assert any("no speculative execution" in t for t in out["trusted_base"])
    assert any("DIT" in t for t in out["trusted_base"])


def test_a_public_input_left_symbolic_is_unknown_not_yes(openssl_lib, capsys):
    # the block count in x2 is not fixed: the loop branch is on public symbolic data
    assert main(["ct", "sha256_block_armv8", "--contract", "ctx=x0:32, inp=x1:64, x2:public"]) == 3
    assert "CT:  unknown" in capsys.readouterr().out


@pytest.mark.parametrize("contract, message", [
    ("in=x0", "'in' is not a register"),
    ("in=x0:16, ?", "is not NAME=REG:SIZE"),
    ("in=x0:16:rw", "unknown flag 'rw'"),
    ("in=x0:0", "must be positive"),
    ("in=x0:16, out=x0:16", "both set x0"),
    ("in=x32:16", "is not a register"),
    ("in=x0:16, in[8:16]=1", "does not fit region 'in'"),
    ("x2=&key", "no region named 'key'"),
    ("@/nonexistent/contract", "cannot read contract file"),
])
def test_bad_contract_is_one_sentence_and_exit_2(contract, message, capsys):
    with pytest.raises(UserError, match=message.replace("[", r"\[")):
        parse_contract([contract])
    assert main(["ct", "x.o", "--symbol", "f", "--contract", contract]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lnsym: ") and err.count("\n") == 1


def test_contract_file_and_fields(tmp_path):
    f = tmp_path / "aes.contract"
    f.write_text("in=x0:16   # the block\nkey=x2:244:ro, key[240:4]=10\nx3=5 x4:public x5=&in\n")
    c = parse_contract([f"@{f}"])
    assert [(r.name, r.reg, r.size, r.secret, r.writable) for r in c.regions] == \
        [("in", "x0", 16, True, True), ("key", "x2", 244, True, False)]
    assert c.fields["key"] == {240: 10, 241: 0, 242: 0, 243: 0}
    assert (c.values, c.scalars, c.aliases) == ({"x3": 5}, {"x4": "public"}, {"x5": "in"})
    assert c.public_names() == {"x4_0", "in", "key"}


def test_json_violation_is_structured(openssl_lib, capsys):
    assert main(["ct", *AES, "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    f = out["ct_findings"][0]
    assert f["kind"] == "address" and f["instruction"].startswith("ldr ")
    assert f["pair"] and all(k.startswith("key[") for k in f["pair"])
    assert f["confirmed"] is True and f["values"][0] != f["values"][1]
    assert out["mem"] == "unknown" and out["ct"] == "no"
