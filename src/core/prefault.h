/* Maps a buffer's pages in on a helper thread while the caller fills it.
 * A transfer into fresh memory pays a page fault for every 4 KiB page it
 * writes; on the 2-vCPU VMs this was measured on, the faults of a loopback
 * GET took about as long as the transfer itself. The helper maps the pages in from the buffer's end
 * backwards while the transfer writes it from the start, so the faults are
 * taken on another core, and the two meet in the middle at worst. Nothing
 * but the page tables is touched: the bytes are the writer's. */
#ifndef CHUNKBENCH_PREFAULT_H
#define CHUNKBENCH_PREFAULT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

/* Buffers smaller than this are filled without a helper: starting a thread
 * (about 30 us) would cost more than their faults. */
#define CB_PREFAULT_MIN ((size_t)1 << 20)

typedef struct cb_prefault {
    pthread_t thread;
    int running;
    atomic_int stop;
    unsigned char *p;
    size_t n;
} cb_prefault;

/* Starts mapping [buf, buf + n) in, if n >= CB_PREFAULT_MIN and the system
 * can (MADV_POPULATE_WRITE, Linux 5.14); else does nothing. Always pair with
 * cb_prefault_end before the buffer is freed. */
void cb_prefault_begin(cb_prefault *pf, void *buf, size_t n);
/* Stops the helper (it may be part way) and waits for it. */
void cb_prefault_end(cb_prefault *pf);

#endif
