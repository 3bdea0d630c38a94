/* lnsym conformance harness (see conformance/README.md and harness.py).
 *
 * stdin:  header { u64 magic, u64 ncases, u8 scratch[SCRATCH_SIZE] }
 *         then ncases records { u8 state[IN_SIZE], u64 nwords, u64 stub_addr, u32 words[nwords] (padded to 8) }
 * stdout: ncases records: OUT_HEAD bytes, then the scratch buffer if it changed
 *         (see harness.py for the layout).
 * Every case: the scratch buffer is reset, the input state is loaded, the stub at
 * state.entry runs (the instruction under test then a landing slot), the output
 * state and the scratch buffer are stored.  A fault in the instruction under test
 * is caught and reported as the case's status (the signal number). */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAGIC 0x31464d43594d534eULL   /* "NSMYCMF1" */
#define STUB_BASE 0x4000000UL
#define STUB_MAP 0x1000000UL
#define SCRATCH_BASE 0x5000000UL
#define SCRATCH_SIZE 4096
#define IN_BASE 0x6000000UL
#define OUT_BASE 0x6010000UL
#define IN_SIZE 784
#define OUT_STATE 784
#define OUT_HEAD (OUT_STATE + 24)
#define OUT_SIZE (OUT_HEAD + SCRATCH_SIZE)
#define KMAX 256

extern void run_case(void);
extern char save_common[];
static sigjmp_buf jb;
static volatile int in_case;

static void die(const char *msg) { write(2, msg, strlen(msg)); _exit(3); }

static void *map_at(unsigned long addr, unsigned long size, int prot) {
    void *p = mmap((void *)addr, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | 0x100000 /* FIXED_NOREPLACE */, -1, 0);
    if (p != (void *)addr) die("harness: cannot map a fixed region\n");
    return p;
}

static void on_fault(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    if (!in_case) _exit(4);
    uint64_t *o = (uint64_t *)(OUT_BASE + OUT_STATE);
    o[0] = (uint64_t)sig;
    o[1] = (uint64_t)si->si_addr;
    siglongjmp(jb, 1);
}

static unsigned char *read_all(size_t *len) {
    size_t cap = 1 << 20, n = 0;
    unsigned char *buf = malloc(cap);
    for (;;) {
        if (n == cap) { cap *= 2; buf = realloc(buf, cap); if (!buf) die("harness: out of memory\n"); }
        ssize_t r = read(0, buf + n, cap - n);
        if (r < 0) die("harness: read error\n");
        if (r == 0) break;
        n += (size_t)r;
    }
    *len = n;
    return buf;
}

static void write_all(const unsigned char *p, size_t n) {
    while (n) {
        ssize_t w = write(1, p, n);
        if (w <= 0) die("harness: write error\n");
        p += w; n -= (size_t)w;
    }
}

int main(void) {
    size_t len;
    unsigned char *in = read_all(&len);
    if (len < 16 + SCRATCH_SIZE || *(uint64_t *)in != MAGIC) die("harness: bad input header\n");
    uint64_t ncases = ((uint64_t *)in)[1];
    const unsigned char *pristine = in + 16;
    unsigned char *stubs = map_at(STUB_BASE, STUB_MAP, PROT_READ | PROT_WRITE | PROT_EXEC);
    unsigned char *scratch = map_at(SCRATCH_BASE, SCRATCH_SIZE, PROT_READ | PROT_WRITE);
    map_at(IN_BASE, 0x20000, PROT_READ | PROT_WRITE);
    /* landing trampolines: slot k: movz x28, #(k + KMAX); b save_common */
    uint32_t *tr = (uint32_t *)stubs;
    for (int k = 0; k <= 2 * KMAX; k++) {
        tr[2 * k] = 0xd2800000u | ((uint32_t)k << 5) | 28u;
        long off = (long)((uintptr_t)save_common - (uintptr_t)&tr[2 * k + 1]);
        tr[2 * k + 1] = 0x14000000u | ((uint32_t)(off >> 2) & 0x3ffffffu);
    }
    /* place every stub before running anything (no code is written after it ran) */
    size_t pos = 16 + SCRATCH_SIZE;
    const unsigned char **recs = malloc(sizeof(*recs) * (ncases + 1));
    for (uint64_t i = 0; i < ncases; i++) {
        if (pos + IN_SIZE + 16 > len) die("harness: truncated case table\n");
        recs[i] = in + pos;
        uint64_t nwords = *(const uint64_t *)(in + pos + IN_SIZE);
        uint64_t addr = *(const uint64_t *)(in + pos + IN_SIZE + 8);
        if (addr < STUB_BASE + 0x2000 || addr + 4 * nwords > STUB_BASE + STUB_MAP || (addr & 3))
            die("harness: stub outside the stub area\n");
        if (pos + IN_SIZE + 16 + 4 * nwords > len) die("harness: truncated case table\n");
        memcpy((void *)addr, in + pos + IN_SIZE + 16, 4 * nwords);
        pos += IN_SIZE + 16 + ((4 * nwords + 7) & ~7UL);
    }
    __builtin___clear_cache((char *)stubs, (char *)stubs + STUB_MAP);

    static unsigned char altstack[65536];
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
    sigaltstack(&ss, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS};
    for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++) sigaction(sigs[i], &sa, 0);

    size_t chunk = 64, bufn = 0;
    unsigned char *obuf = malloc(chunk * OUT_SIZE);
    unsigned char *out = (unsigned char *)OUT_BASE;
    __asm__ volatile("msr fpcr, xzr");
    for (uint64_t i = 0; i < ncases; i++) {
        memcpy((void *)IN_BASE, recs[i], IN_SIZE);
        memcpy(scratch, pristine, SCRATCH_SIZE);
        memset(out, 0, OUT_SIZE);
        if (sigsetjmp(jb, 1) == 0) {
            in_case = 1;
            run_case();
        }
        in_case = 0;
        size_t n = OUT_HEAD;
        if (memcmp(scratch, pristine, SCRATCH_SIZE) != 0) {
            *(uint64_t *)(out + OUT_STATE + 16) = SCRATCH_SIZE;
            memcpy(out + OUT_HEAD, scratch, SCRATCH_SIZE);
            n = OUT_SIZE;
        }
        memcpy(obuf + bufn, out, n);
        bufn += n;
        if (bufn > (chunk - 1) * OUT_SIZE) { write_all(obuf, bufn); bufn = 0; }
    }
    write_all(obuf, bufn);
    return 0;
}
