// Load trace_state into the registers and branch to the trampoline (never returns).
    .text
    .globl trace_enter
    .type trace_enter, %function
trace_enter:
    adrp x17, trace_state
    add x17, x17, :lo12:trace_state
    ldr x0, [x17, #256]
    msr nzcv, x0
    ldr x0, [x17, #248]
    mov sp, x0
    msr fpcr, xzr
    msr fpsr, xzr
    ldp q0, q1, [x17, #272]
    ldp q2, q3, [x17, #304]
    ldp q4, q5, [x17, #336]
    ldp q6, q7, [x17, #368]
    ldp q8, q9, [x17, #400]
    ldp q10, q11, [x17, #432]
    ldp q12, q13, [x17, #464]
    ldp q14, q15, [x17, #496]
    ldp q16, q17, [x17, #528]
    ldp q18, q19, [x17, #560]
    ldp q20, q21, [x17, #592]
    ldp q22, q23, [x17, #624]
    ldp q24, q25, [x17, #656]
    ldp q26, q27, [x17, #688]
    ldp q28, q29, [x17, #720]
    ldp q30, q31, [x17, #752]
    ldp x0, x1, [x17, #0]
    ldp x2, x3, [x17, #16]
    ldp x4, x5, [x17, #32]
    ldp x6, x7, [x17, #48]
    ldp x8, x9, [x17, #64]
    ldp x10, x11, [x17, #80]
    ldp x12, x13, [x17, #96]
    ldp x14, x15, [x17, #112]
    ldr x16, [x17, #128]
    ldp x18, x19, [x17, #144]
    ldp x20, x21, [x17, #160]
    ldp x22, x23, [x17, #176]
    ldp x24, x25, [x17, #192]
    ldp x26, x27, [x17, #208]
    ldp x28, x29, [x17, #224]
    ldr x30, [x17, #240]
    ldr x17, [x17, #784]             // the trampoline
    br x17

    .globl trace_exit
    .type trace_exit, %function
trace_exit:                          // reached from the exit page: dump memory, exit
    adrp x16, exit_stack_top
    add x16, x16, :lo12:exit_stack_top
    mov sp, x16
    bl trace_dump
    .bss
    .align 4
exit_stack:
    .space 65536
exit_stack_top:
    .section .note.GNU-stack,"",%progbits
