// lnsym conformance harness: load a case's state, run its stub, store the state.
// Generated layout constants must match harness.py / harness_main.c.
    .text
    .globl run_case
    .type run_case, %function
run_case:
    adrp x9, hsave
    add x9, x9, :lo12:hsave
    stp x19, x20, [x9, #0]
    stp x21, x22, [x9, #16]
    stp x23, x24, [x9, #32]
    stp x25, x26, [x9, #48]
    stp x27, x28, [x9, #64]
    stp x29, x30, [x9, #80]
    stp d8, d9, [x9, #96]
    stp d10, d11, [x9, #112]
    stp d12, d13, [x9, #128]
    stp d14, d15, [x9, #144]
    mov x10, sp
    str x10, [x9, #160]
    mrs x10, tpidr_el0
    str x10, [x9, #168]
    movz x28, #0x600, lsl #16        // IN_BASE
    ldr x0, [x28, #256]
    msr nzcv, x0
    ldr x0, [x28, #248]
    mov sp, x0
    ldp q0, q1, [x28, #272]
    ldp q2, q3, [x28, #304]
    ldp q4, q5, [x28, #336]
    ldp q6, q7, [x28, #368]
    ldp q8, q9, [x28, #400]
    ldp q10, q11, [x28, #432]
    ldp q12, q13, [x28, #464]
    ldp q14, q15, [x28, #496]
    ldp q16, q17, [x28, #528]
    ldp q18, q19, [x28, #560]
    ldp q20, q21, [x28, #592]
    ldp q22, q23, [x28, #624]
    ldp q24, q25, [x28, #656]
    ldp q26, q27, [x28, #688]
    ldp q28, q29, [x28, #720]
    ldp q30, q31, [x28, #752]
    ldp x0, x1, [x28, #0]
    ldp x2, x3, [x28, #16]
    ldp x4, x5, [x28, #32]
    ldp x6, x7, [x28, #48]
    ldp x8, x9, [x28, #64]
    ldp x10, x11, [x28, #80]
    ldp x12, x13, [x28, #96]
    ldp x14, x15, [x28, #112]
    ldp x16, x17, [x28, #128]
    ldp x18, x19, [x28, #144]
    ldp x20, x21, [x28, #160]
    ldp x22, x23, [x28, #176]
    ldp x24, x25, [x28, #192]
    ldp x26, x27, [x28, #208]
    ldp x29, x30, [x28, #232]
    ldr x28, [x28, #264]             // the case's entry (its instruction)
    br x28

    .globl save_common
    .type save_common, %function
save_common:                         // x28 = landing slot + KMAX
    msr tpidr_el0, x28
    movz x28, #0x601, lsl #16        // OUT_BASE
    stp x0, x1, [x28, #0]
    stp x2, x3, [x28, #16]
    stp x4, x5, [x28, #32]
    stp x6, x7, [x28, #48]
    stp x8, x9, [x28, #64]
    stp x10, x11, [x28, #80]
    stp x12, x13, [x28, #96]
    stp x14, x15, [x28, #112]
    stp x16, x17, [x28, #128]
    stp x18, x19, [x28, #144]
    stp x20, x21, [x28, #160]
    stp x22, x23, [x28, #176]
    stp x24, x25, [x28, #192]
    stp x26, x27, [x28, #208]
    stp x29, x30, [x28, #232]
    mov x0, sp
    str x0, [x28, #248]
    mrs x0, nzcv
    str x0, [x28, #256]
    mrs x0, tpidr_el0
    str x0, [x28, #264]
    stp q0, q1, [x28, #272]
    stp q2, q3, [x28, #304]
    stp q4, q5, [x28, #336]
    stp q6, q7, [x28, #368]
    stp q8, q9, [x28, #400]
    stp q10, q11, [x28, #432]
    stp q12, q13, [x28, #464]
    stp q14, q15, [x28, #496]
    stp q16, q17, [x28, #528]
    stp q18, q19, [x28, #560]
    stp q20, q21, [x28, #592]
    stp q22, q23, [x28, #624]
    stp q24, q25, [x28, #656]
    stp q26, q27, [x28, #688]
    stp q28, q29, [x28, #720]
    stp q30, q31, [x28, #752]
    adrp x9, hsave
    add x9, x9, :lo12:hsave
    ldr x10, [x9, #168]
    msr tpidr_el0, x10
    ldr x10, [x9, #160]
    mov sp, x10
    ldp x19, x20, [x9, #0]
    ldp x21, x22, [x9, #16]
    ldp x23, x24, [x9, #32]
    ldp x25, x26, [x9, #48]
    ldp x27, x28, [x9, #64]
    ldp x29, x30, [x9, #80]
    ldp d8, d9, [x9, #96]
    ldp d10, d11, [x9, #112]
    ldp d12, d13, [x9, #128]
    ldp d14, d15, [x9, #144]
    msr fpcr, xzr
    ret

    .bss
    .align 4
hsave:
    .space 176
    .section .note.GNU-stack,"",%progbits
