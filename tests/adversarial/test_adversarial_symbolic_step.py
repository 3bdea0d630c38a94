"""Adversarial check of SymState.step's instantiation (``Summary.read_vars``: only the
locations an instruction reads are mapped to the machine's current values): random
sequences of register-only instructions -- flags read and written (adc, ccmp, csel,
msr/mrs nzcv, rmif, setf), destinations that are also read (movk, bfi, ins, tbx, sli,
sha256h), sp, the exclusive monitor (clrex), crypto -- run symbolically from fresh
variables agree with the concrete backend on random values, and no location's
pre-state name is left in a result (it would stand for the value before the run)."""
import random

from lnsym.backends.concrete import CpuState, Executor
from lnsym.backends.symbolic import SymMemory, SymState
from lnsym.machine.lift import LOCATION_WIDTHS, lift
from lnsym.machine.memory import Memory
from lnsym.terms.dag import variables
from lnsym.terms.evaluate import evaluate

BASE = 0x10000
WORDS = [
    0xAB020020,  # adds x0, x1, x2
    0x6B050083,  # subs w3, w4, w5
    0xBA0800E6,  # adcs x6, x7, x8
    0xDA0B0149,  # sbc x9, x10, x11
    0xFA0D03EC,  # ngcs x12, x13
    0x9A9011EE,  # csel x14, x15, x16, ne
    0x1A932651,  # csinc w17, w18, w19, cs
    0x9A9F97F4,  # cset x20, hi
    0xFA41B004,  # ccmp x0, x1, #0x4, lt
    0x3A45A842,  # ccmn w2, #0x5, #0x2, ge
    0x9A847483,  # cinc x3, x4, vs
    0xF2A24685,  # movk x5, #0x1234, lsl #16
    0xB3782CE6,  # bfi x6, x7, #8, #12
    0x33032528,  # bfxil w8, w9, #3, #7
    0x93CC356A,  # extr x10, x11, x12, #13
    0xDAC001CD,  # rbit x13, x14
    0x5AC0120F,  # clz w15, w16
    0xDAC00E51,  # rev x17, x18
    0x9B155A93,  # madd x19, x20, x21, x22
    0x9BD97F17,  # umulh x23, x24, x25
    0x9ADC0B7A,  # udiv x26, x27, x28
    0x1AC10C1D,  # sdiv w29, w0, w1
    0x910083E2,  # add x2, sp, #0x20
    0x9100007F,  # mov sp, x3
    0xD100C3FF,  # sub sp, sp, #0x30
    0xB10023E4,  # adds x4, sp, #0x8
    0xD53B4205,  # mrs x5, nzcv
    0xD51B4206,  # msr nzcv, x6
    0xBA0184E5,  # rmif x7, #3, #5
    0x3A00090D,  # setf8 w8
    0x3A00492D,  # setf16 w9
    0x4E181C20,  # mov v0.d[1], x1
    0x4E141C41,  # mov v1.s[2], w2
    0x9EAF0062,  # fmov v2.d[1], x3
    0x6E0B4C83,  # mov v3.b[5], v4.b[9]
    0x6F4754C5,  # sli v5.2d, v6.2d, #7
    0x6F3D4507,  # sri v7.4s, v8.4s, #3
    0x4E0B1149,  # tbx v9.16b, {v10.16b}, v11.16b
    0x4E0F21AC,  # tbl v12.16b, {v13.16b, v14.16b}, v15.16b
    0xCE124E30,  # eor3 v16.16b, v17.16b, v18.16b, v19.16b
    0xCE365EB4,  # bcax v20.16b, v21.16b, v22.16b, v23.16b
    0x4E284B38,  # aese v24.16b, v25.16b
    0x4E286B7A,  # aesmc v26.16b, v27.16b
    0x0EFEE3BC,  # pmull v28.1q, v29.1d, v30.1d
    0x4EE1E01F,  # pmull2 v31.1q, v0.2d, v1.2d
    0x5E044062,  # sha256h q2, q3, v4.4s
    0x5E0760C5,  # sha256su1 v5.4s, v6.4s, v7.4s
    0x6E0A2928,  # ext v8.16b, v9.16b, v10.16b, #5
    0x4E183D8B,  # mov x11, v12.d[1]
    0x4E040DCD,  # dup v13.4s, w14
    0x9E670272,  # fmov d18, x19
    0x6F770693,  # ushr v19.2d, v20.2d, #9
    0x6F0737F5,  # bic v21.4s, #0xff, lsl #8
    0x4F009656,  # orr v22.8h, #0x12
    0xD5033F5F,  # clrex
    0xB10007DE,  # adds x30, x30, #0x1
    0xDA81D7C0,  # csneg x0, x30, x1, le
    0x9AC42062,  # lsl x2, x3, x4
    0x1AC728C5,  # asr w5, w6, w7
    0x9ACA2D28,  # ror x8, x9, x10
]
LOCATIONS = [n for n in LOCATION_WIDTHS if n != "pc"]


def _edge(rng, w):
    return rng.choice([0, (1 << w) - 1, 1 << (w - 1)]) if rng.random() < 0.2 \
        else rng.getrandbits(w)


def test_the_pool_is_register_only():
    for w in WORDS:
        s = lift(w, BASE, "on")
        assert not s.mem and s.next_pc is None and not s.choices, hex(w)


def test_symbolic_steps_agree_with_the_concrete_backend():
    rng = random.Random(5)
    initial = {f"{n}_0" for n in LOCATIONS}
    for _ in range(150):
        seq = [rng.choice(WORDS) for _ in range(rng.randrange(2, 9))]
        st = SymState(lambda pc, seq=seq: seq[(pc - BASE) // 4], SymMemory(), BASE)
        for _ in seq:
            st.step()
            st.pc += 4
        env = {f"{n}_0": _edge(rng, LOCATION_WIDTHS[n]) for n in LOCATIONS}
        env["sp_0"] &= ~15
        mem = Memory()
        mem.map(BASE, 4 * len(seq))
        for i, w in enumerate(seq):
            mem.write(BASE + 4 * i, 4, w)
        cpu = CpuState()
        for n in LOCATIONS:
            cpu.set(n, env[f"{n}_0"])
        cpu.pc = BASE
        ex = Executor(mem)
        for _ in seq:
            ex.step(cpu)
        for n in LOCATIONS:
            assert {v.params[0] for v in variables(st.regs[n])} <= initial, (n, seq)
            assert evaluate(st.regs[n], env) == cpu.get(n), (n, [hex(w) for w in seq])
