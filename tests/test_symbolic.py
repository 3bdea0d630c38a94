

def test_branch_on_pointers_decided_by_the_no_wrap_precondition():
    from lnsym.backends.symbolic import Region, SymMemory
    from lnsym.terms.bv import const, ite, ult, var
    mem = SymMemory()
    key, other = var("key", 64), var("other", 64)
    mem.add(Region("key", key, 0, 244))
    mem.add(Region("other", other, 0, 16))
    inside = ite(ult(key + 0x20, key + 0xA0), const(0x100, 64), const(0x200, 64))
    assert mem.decide_by_layout(inside) is const(0x100, 64)
    across = ite(ult(key + 0x20, other), const(0x100, 64), const(0x200, 64))
    assert mem.decide_by_layout(across) is across          # two regions: not decided
    free = ite(ult(key, var("n", 64)), const(0x100, 64), const(0x200, 64))
    assert mem.decide_by_layout(free) is free              # not only anchors
