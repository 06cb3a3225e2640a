#include "core/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const cb_task *g_sort_tasks; /* qsort has no context argument in C11 */

static int cmp_pod(const void *a, const void *b)
{
    return strcmp(g_sort_tasks[*(const int64_t *)a].pod, g_sort_tasks[*(const int64_t *)b].pod);
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
    int64_t *order = malloc((n ? (size_t)n : 1) * sizeof *order);
    if (!lat || !order) {
        free(lat);
        free(order);
        return cb_fail(err, CB_EIO, "out of memory summarising %lld tasks", (long long)n);
    }
    int64_t nlat = 0, nwith_pod = 0;
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
        if (t->pod[0])
            order[nwith_pod++] = i;
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

    /* Per writer: group rows by pod name. */
    g_sort_tasks = tab->tasks;
    qsort(order, (size_t)nwith_pod, sizeof *order, cmp_pod);
    out->writers = calloc(nwith_pod ? (size_t)nwith_pod : 1, sizeof *out->writers);
    if (!out->writers) {
        free(order);
        return cb_fail(err, CB_EIO, "out of memory");
    }
    for (int64_t k = 0; k < nwith_pod; k++) {
        const cb_task *t = &tab->tasks[order[k]];
        if (out->nwriters == 0 || strcmp(out->writers[out->nwriters - 1].name, t->pod) != 0)
            snprintf(out->writers[out->nwriters++].name, CB_POD_LEN + 1, "%s", t->pod);
        cb_writer_stats *w = &out->writers[out->nwriters - 1];
        w->in_progress += t->status == CB_IN_PROGRESS;
        if (t->status != CB_COMPLETE)
            continue;
        w->tasks++;
        w->bytes += cb_task_bytes(t, tab->layout.elem_size);
        w->busy_s += t->done - t->start;
        if (w->first_start == 0 || t->start < w->first_start) w->first_start = t->start;
        if (t->done > w->last_done) w->last_done = t->done;
    }
    free(order);
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
