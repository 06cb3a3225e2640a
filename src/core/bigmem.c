#include "core/bigmem.h"

#include <stdlib.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)

void *cb_big_alloc(size_t n)
{
    if (n < HUGE_PAGE)
        return malloc(n ? n : 1);
    void *p = NULL;
    if (posix_memalign(&p, HUGE_PAGE, n) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    /* Only a hint: with huge pages off ("never") the buffer is ordinary
     * memory. Under "madvise", the default on Debian, this is what asks. */
    (void)madvise(p, n & ~(HUGE_PAGE - 1), MADV_HUGEPAGE);
#endif
    return p;
}
