#include "backends/backend.h"

#include <stdlib.h>
#include <string.h>

const cb_backend *cb_backend_for(const char *target)
{
    return strncmp(target, "hdf5://", 7) == 0 ? &cb_backend_hsds : &cb_backend_hdf5;
}

void cb_meta_init(cb_meta *m)
{
    memset(m, 0, sizeof *m);
    m->seed = -1;
}

void cb_table_free(cb_table *t)
{
    free(t->tasks);
    t->tasks = NULL;
    t->ntasks = 0;
}
