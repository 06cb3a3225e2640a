#include "core/stats.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "core/units.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double cb_percentile_sorted(const double *v, int64_t n, double p)
{
    if (n <= 0)
        return 0;
    double pos = p / 100.0 * (double)(n - 1);
    int64_t lo = (int64_t)floor(pos);
    if (lo >= n - 1)
        return v[n - 1];
    double frac = pos - (double)lo;
    return v[lo] + (v[lo + 1] - v[lo]) * frac;
}

void cb_quantiles_of(double *v, int64_t n, cb_quantiles *q)
{
    memset(q, 0, sizeof *q);
    if (n <= 0)
        return;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    double sum = 0;
    for (int64_t i = 0; i < n; i++)
        sum += v[i];
    q->n = n;
    q->min = v[0];
    q->max = v[n - 1];
    q->mean = sum / (double)n;
    q->p50 = cb_percentile_sorted(v, n, 50);
    q->p90 = cb_percentile_sorted(v, n, 90);
    q->p99 = cb_percentile_sorted(v, n, 99);
}

static int cmp_writer_name(const void *a, const void *b)
{
    return strcmp(((const cb_writer_stats *)a)->name, ((const cb_writer_stats *)b)->name);
}

/* Writer names to indices into cb_summary.writers: open addressing, FNV-1a. */
typedef struct cb_pod_index {
    int *slot;     /* writer index + 1; 0 is empty */
    size_t cap;    /* a power of two, at least twice the writers */
    int last;      /* the writer of the previous row: rows come in runs */
    int64_t cap_writers;
} cb_pod_index;

static size_t pod_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (size_t)h;
}

static void pod_slot_put(int *slot, size_t cap, const cb_writer_stats *w, int wi)
{
    size_t i = pod_hash(w[wi].name) & (cap - 1);
    while (slot[i])
        i = (i + 1) & (cap - 1);
    slot[i] = wi + 1;
}

/* The writer named pod, added when new; -1 when out of memory. */
static int pod_index_of(cb_pod_index *x, cb_summary *out, const char *pod)
{
    if (out->nwriters && !strcmp(out->writers[x->last].name, pod))
        return x->last;
    if (x->cap) {
        for (size_t i = pod_hash(pod) & (x->cap - 1); x->slot[i]; i = (i + 1) & (x->cap - 1))
            if (!strcmp(out->writers[x->slot[i] - 1].name, pod))
                return x->last = x->slot[i] - 1;
    }
    cb_writer_stats *w = cb_grow(out->writers, &x->cap_writers, out->nwriters + 1, sizeof *w, 16);
    if (!w)
        return -1;
    out->writers = w;
    if ((size_t)(out->nwriters + 1) * 2 > x->cap) {
        size_t ncap = x->cap ? 2 * x->cap : 64;
        int *slot = calloc(ncap, sizeof *slot);
        if (!slot)
            return -1;
        for (int i = 0; i < out->nwriters; i++)
            pod_slot_put(slot, ncap, out->writers, i);
        free(x->slot);
        x->slot = slot;
        x->cap = ncap;
    }
    int wi = out->nwriters++;
    memset(&out->writers[wi], 0, sizeof out->writers[wi]);
    snprintf(out->writers[wi].name, CB_POD_LEN + 1, "%s", pod);
    pod_slot_put(x->slot, x->cap, out->writers, wi);
    return x->last = wi;
}

/* Writers are sorted by name, not by host: "r10@a" < "r1@b" < "r2@a". */
static int host_of(const cb_host_stats *hosts, int n, const char *name)
{
    for (int h = 0; h < n; h++)
        if (!strcmp(hosts[h].name, name))
            return h;
    return -1;
}

static int cmp_host_name(const void *a, const void *b)
{
    return strcmp(((const cb_host_stats *)a)->name, ((const cb_host_stats *)b)->name);
}

/* Per host, from the per-writer figures (few: one per rank). */
static int summarize_hosts(cb_summary *out)
{
    out->slowest_host = -1;
    out->hosts = calloc(out->nwriters > 0 ? (size_t)out->nwriters : 1, sizeof *out->hosts);
    if (!out->hosts)
        return -1;
    for (int i = 0; i < out->nwriters; i++) {
        const cb_writer_stats *w = &out->writers[i];
        const char *at = strchr(w->name, '@');
        if (!at || !at[1])
            continue;
        int h = host_of(out->hosts, out->nhosts, at + 1);
        if (h < 0) {
            h = out->nhosts++;
            snprintf(out->hosts[h].name, sizeof out->hosts[h].name, "%s", at + 1);
        }
        cb_host_stats *hs = &out->hosts[h];
        hs->writers++;
        hs->tasks += w->tasks;
        hs->bytes += w->bytes;
        hs->busy_s += w->busy_s;
        if (w->tasks && (hs->first_start == 0 || w->first_start < hs->first_start))
            hs->first_start = w->first_start;
        if (w->last_done > hs->last_done)
            hs->last_done = w->last_done;
    }
    qsort(out->hosts, (size_t)out->nhosts, sizeof *out->hosts, cmp_host_name);
    for (int h = 0; h < out->nhosts; h++) {
        cb_host_stats *hs = &out->hosts[h];
        hs->mean_s = hs->tasks ? hs->busy_s / (double)hs->tasks : 0;
        double span = hs->last_done - hs->first_start;
        hs->MBps = span > 0 ? (double)hs->bytes / span / CB_BYTES_PER_MB : 0;
        if (hs->tasks && out->nhosts > 1 && (out->slowest_host < 0 || hs->mean_s > out->hosts[out->slowest_host].mean_s))
            out->slowest_host = h;
    }
    return 0;
}

int cb_summarize(const cb_table *tab, cb_summary *out, cb_err *err)
{
    memset(out, 0, sizeof *out);
    int64_t n = tab->ntasks;
    out->ntasks = n;
    double *lat = malloc((n ? (size_t)n : 1) * sizeof *lat);
    if (!lat)
        return cb_fail(err, CB_EIO, "out of memory summarising %lld tasks", (long long)n);
    int64_t nlat = 0;
    double cfirst = 0, clast = 0;
    for (int64_t i = 0; i < n; i++) {
        const cb_task *t = &tab->tasks[i];
        /* The seed's elapsed time: any row with a start or done stamp counts. */
        if (t->start > 0 && (out->first_start == 0 || t->start < out->first_start))
            out->first_start = t->start;
        if (t->done > 0 && t->done > out->last_done)
            out->last_done = t->done;
        if (t->status == CB_COMPLETE) {
            out->complete++;
            int64_t b = cb_task_bytes(t, tab->layout.elem_size);
            out->bytes += b;
            lat[nlat++] = t->done - t->start;
            if (cfirst == 0 || t->start < cfirst) cfirst = t->start;
            if (t->done > clast) clast = t->done;
            if (tab->meta.open_start > 0 && t->start >= tab->meta.open_start)
                out->run_bytes += b;
        } else if (t->status == CB_IN_PROGRESS) {
            out->in_progress++;
            if (t->start > 0 && (out->in_progress_oldest == 0 || t->start < out->in_progress_oldest))
                out->in_progress_oldest = t->start;
            if (t->start > out->in_progress_newest)
                out->in_progress_newest = t->start;
        } else {
            out->pending++;
        }
    }
    if (out->first_start > 0 && out->last_done > 0)
        out->elapsed_s = out->last_done - out->first_start;
    if (clast > cfirst)
        out->phase_MBps = (double)out->bytes / (clast - cfirst) / CB_BYTES_PER_MB;
    if (tab->meta.close_end > tab->meta.open_start && tab->meta.open_start > 0) {
        out->run_span_s = tab->meta.close_end - tab->meta.open_start;
        out->ior_MBps = (double)out->run_bytes / out->run_span_s / CB_BYTES_PER_MB;
    }
    cb_quantiles_of(lat, nlat, &out->latency);
    free(lat);

    /* Per writer: group rows by pod name in one pass (few names, one per
     * rank, so a hash of names to writers; rows are taken in table order, so
     * each writer's sums add up in the same order as before). */
    cb_pod_index idx = {0};
    for (int64_t i = 0; i < n; i++) {
        const cb_task *t = &tab->tasks[i];
        if (!t->pod[0])
            continue;
        int wi = pod_index_of(&idx, out, t->pod);
        if (wi < 0) {
            free(idx.slot);
            return cb_fail(err, CB_EIO, "out of memory");
        }
        cb_writer_stats *w = &out->writers[wi];
        w->in_progress += t->status == CB_IN_PROGRESS;
        if (t->status != CB_COMPLETE)
            continue;
        w->tasks++;
        w->bytes += cb_task_bytes(t, tab->layout.elem_size);
        w->busy_s += t->done - t->start;
        if (w->first_start == 0 || t->start < w->first_start) w->first_start = t->start;
        if (t->done > w->last_done) w->last_done = t->done;
    }
    free(idx.slot);
    if (!out->writers && !(out->writers = calloc(1, sizeof *out->writers)))
        return cb_fail(err, CB_EIO, "out of memory");
    qsort(out->writers, (size_t)out->nwriters, sizeof *out->writers, cmp_writer_name);
    for (int i = 0; i < out->nwriters; i++) {
        cb_writer_stats *w = &out->writers[i];
        w->mean_s = w->tasks ? w->busy_s / (double)w->tasks : 0;
    }
    if (summarize_hosts(out) < 0)
        return cb_fail(err, CB_EIO, "out of memory");
    /* The slowest writers: highest mean task latency, three scans. */
    for (int k = 0; k < 3 && out->nwriters > 1; k++) {
        int best = -1;
        for (int i = 0; i < out->nwriters; i++) {
            int taken = 0;
            for (int j = 0; j < out->nslowest; j++)
                taken |= out->slowest[j] == i;
            if (!taken && out->writers[i].tasks > 0 &&
                (best < 0 || out->writers[i].mean_s > out->writers[best].mean_s))
                best = i;
        }
        if (best < 0)
            break;
        out->slowest[out->nslowest++] = best;
    }
    return 0;
}

void cb_summary_free(cb_summary *s)
{
    free(s->writers);
    s->writers = NULL;
    free(s->hosts);
    s->hosts = NULL;
}
