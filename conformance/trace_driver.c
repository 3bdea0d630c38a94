/* lnsym trace driver: map a routine's memory, set the registers, call it.
 *
 * stdin: u64 magic "LNSYMTR1", u64 nmaps, nmaps x {u64 addr, u64 len} (page aligned),
 *        u64 nwrites, nwrites x {u64 addr, u64 len, bytes (padded to 8)},
 *        state { u64 x[31], u64 sp, u64 nzcv (bits 31:28), u64 0, u8 v[32][16], u64 tramp, u64 exit }.
 * The driver maps every range read/write/execute at its address, writes the
 * bytes, loads the state (X17 last, from the trampoline, which the recorder
 * writes: ldr x17, lit; b entry; lit) and branches to the trampoline.  The
 * routine returns to X30, the exit page, which jumps to trace_exit: it writes
 * every mapped range (in input order) to stdout and exits. */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAGIC 0x315254594d534e4cULL
extern void trace_enter(void);
extern char trace_exit[];
static uint64_t nmaps_g, maps_g[2 * 4096];
uint64_t trace_state[31 + 2 + 1 + 32 * 2 + 2] __attribute__((aligned(16)));

static void die(const char *m) { write(2, m, strlen(m)); _exit(3); }

static unsigned char *buf; static size_t len, pos;
static uint64_t u64(void) {
    if (pos + 8 > len) die("trace driver: truncated input\n");
    uint64_t v; memcpy(&v, buf + pos, 8); pos += 8; return v;
}

void trace_dump(void) {
    for (uint64_t i = 0; i < nmaps_g; i++) {
        const char *p = (const char *)maps_g[2 * i];
        uint64_t n = maps_g[2 * i + 1];
        while (n) {
            ssize_t w = write(1, p, n);
            if (w <= 0) _exit(5);
            p += w; n -= (uint64_t)w;
        }
    }
    _exit(0);
}

int main(void) {
    size_t cap = 1 << 20;
    buf = mmap(0, 1 << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (buf == MAP_FAILED) die("trace driver: out of memory\n");
    for (;;) {
        ssize_t r = read(0, buf + len, cap);
        if (r < 0) die("trace driver: read error\n");
        if (r == 0) break;
        len += (size_t)r;
        if (len + cap > (1UL << 30)) die("trace driver: input too large\n");
    }
    if (u64() != MAGIC) die("trace driver: bad input\n");
    uint64_t nmaps = u64();
    if (nmaps > 4096) die("trace driver: too many regions\n");
    nmaps_g = nmaps;
    for (uint64_t i = 0; i < nmaps; i++) {
        uint64_t a = u64(), n = u64();
        maps_g[2 * i] = a; maps_g[2 * i + 1] = n;
        void *p = mmap((void *)a, n, PROT_READ | PROT_WRITE | PROT_EXEC,
                       MAP_PRIVATE | MAP_ANONYMOUS | 0x100000 /* FIXED_NOREPLACE */, -1, 0);
        if (p != (void *)a) { char m[96]; int k = 0; const char *h = "0123456789abcdef"; const char *t = "trace driver: cannot map the region at 0x"; while (*t) m[k++] = *t++; for (int s = 60; s >= 0; s -= 4) m[k++] = h[(a >> s) & 15]; m[k++] = 10; write(2, m, k); _exit(3); }
    }
    uint64_t nw = u64();
    for (uint64_t i = 0; i < nw; i++) {
        uint64_t a = u64(), n = u64();
        if (pos + n > len) die("trace driver: truncated input\n");
        memcpy((void *)a, buf + pos, n);
        pos += (n + 7) & ~7UL;
    }
    if (pos + sizeof trace_state > len) die("trace driver: truncated state\n");
    memcpy(trace_state, buf + pos, sizeof trace_state);
    /* the exit page: ldr x16, #8; br x16; .quad trace_exit */
    uint32_t *ex = (uint32_t *)trace_state[31 + 2 + 1 + 64 + 1];
    ex[0] = 0x58000050u; ex[1] = 0xd61f0200u;
    uint64_t target = (uint64_t)trace_exit;
    memcpy(ex + 2, &target, 8);
    for (uint64_t i = 0; i < nmaps; i++)   /* make the written code visible to fetches */
        __builtin___clear_cache((char *)maps_g[2 * i], (char *)(maps_g[2 * i] + maps_g[2 * i + 1]));
    trace_enter();
    return 0;
}
