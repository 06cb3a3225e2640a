#include "core/result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const cb_pass *cb_result_last(const cb_result *r) { return r->npasses > 0 ? &r->passes[r->npasses - 1] : NULL; }

const char *cb_result_pod(const cb_result *r, int64_t k) { return r->pods + (size_t)r->owner[k] * (CB_POD_LEN + 1); }

void cb_result_apply(const cb_result *r, cb_task *tasks)
{
    for (int64_t k = 0; k < r->nrecs; k++) {
        cb_task *t = &tasks[r->recs[k].index];
        t->start = r->recs[k].start;
        t->done = r->recs[k].done;
        t->status = CB_COMPLETE;
        snprintf(t->pod, sizeof t->pod, "%s", cb_result_pod(r, k));
    }
}

void cb_result_free(cb_result *r)
{
    free(r->passes);
    free(r->recs);
    free(r->pods);
    free(r->owner);
    free(r->bad);
    free(r->reqs);
    memset(r, 0, sizeof *r);
}
