#include "core/prefault.h"

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* madvise works on whole pages; the partial pages at either end fault as
 * usual. Steps of 1 MiB, so a stop is seen soon after it is asked. */
#define STEP ((size_t)1 << 20)

#ifdef MADV_POPULATE_WRITE
static void *populate(void *arg)
{
    cb_prefault *pf = arg;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t lo = ((uintptr_t)pf->p + page - 1) & ~(page - 1);
    uintptr_t hi = ((uintptr_t)pf->p + pf->n) & ~(page - 1);
    while (hi > lo && !atomic_load_explicit(&pf->stop, memory_order_relaxed)) {
        uintptr_t from = hi - lo > STEP ? hi - STEP : lo;
        /* An error (an old kernel: EINVAL) only ends the help. */
        if (madvise((void *)from, hi - from, MADV_POPULATE_WRITE) != 0)
            break;
        hi = from;
    }
    return NULL;
}
#endif

void cb_prefault_begin(cb_prefault *pf, void *buf, size_t n)
{
    memset(pf, 0, sizeof *pf);
#ifdef MADV_POPULATE_WRITE
    if (n < CB_PREFAULT_MIN)
        return;
    pf->p = buf;
    pf->n = n;
    atomic_init(&pf->stop, 0);
    /* No thread (out of resources): the writer takes its own faults. */
    pf->running = pthread_create(&pf->thread, NULL, populate, pf) == 0;
#else
    (void)buf, (void)n;
#endif
}

void cb_prefault_end(cb_prefault *pf)
{
    if (!pf->running)
        return;
    atomic_store(&pf->stop, 1);
    pthread_join(pf->thread, NULL);
    pf->running = 0;
}
