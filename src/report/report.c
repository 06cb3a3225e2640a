#include "report/report.h"

#include "core/outfile.h"
#include "core/version.h"
#include "core/units.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *dtype_name(int elem_size) { return elem_size == 4 ? "float32" : "float64"; }

/* The seed's get_status.py output, line for line. */
static void seed_text(FILE *f, const char *target, const cb_table *tab, const cb_summary *s, int verbose)
{
    fprintf(f, "filepath: %s\n", target);
    if (verbose) {
        fprintf(f, "start\tdone\tstatus\tx\ty\tnrow\tncol\tpod\t\n");
        for (int64_t i = 0; i < tab->ntasks; i++) {
            const cb_task *t = &tab->tasks[i];
            fprintf(f, "%.17g\t%.17g\t%d\t%d\t%d\t%d\t%d\t%s\t\n", t->start, t->done, t->status, t->x, t->y,
                    t->nrow, t->ncol, t->pod);
        }
    }
    fprintf(f, "-----------\n");
    if (s->nwriters > 0) {
        fprintf(f, "pod counts (%d pods):\n", s->nwriters);
        for (int i = 0; i < s->nwriters; i++)
            fprintf(f, "    %s: %lld\n", s->writers[i].name, (long long)s->writers[i].tasks);
        fprintf(f, "----------\n");
    }
    fprintf(f, "pending:     %lld\n", (long long)s->pending);
    fprintf(f, "complete:    %lld\n", (long long)s->complete);
    fprintf(f, "in progress: %lld\n", (long long)s->in_progress);
    if (s->first_start > 0 && s->last_done > 0)
        fprintf(f, "elapsed time: %.2f s\n", s->elapsed_s);
}

/* Tasks still in progress: since when, and whose (a writer that stops with
 * these in the table is told so; --lease retakes them). */
static void in_progress_text(FILE *f, const cb_summary *s)
{
    if (s->in_progress == 0 || s->in_progress_oldest <= 0)
        return;
    char when[32];
    time_t t0 = (time_t)s->in_progress_oldest;
    struct tm tm;
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", gmtime_r(&t0, &tm));
    fprintf(f, "claims:       %lld tasks in progress since %s (%.0f s ago) by", (long long)s->in_progress, when,
            (double)time(NULL) - s->in_progress_oldest);
    const char *sep = " ";
    for (int i = 0; i < s->nwriters; i++)
        if (s->writers[i].in_progress > 0) {
            fprintf(f, "%s%s (%lld)", sep, s->writers[i].name, (long long)s->writers[i].in_progress);
            sep = ", ";
        }
    fprintf(f, "%s\n", *sep == ' ' ? " no named writer" : "");
}

static void writers_text(FILE *f, const cb_summary *s)
{
    fprintf(f, "writers:      %-24s %8s %10s %9s %9s\n", "name", "tasks", "MB", "busy s", "mean s");
    for (int i = 0; i < s->nwriters; i++) {
        const cb_writer_stats *w = &s->writers[i];
        fprintf(f, "              %-24s %8lld %10.1f %9.3f %9.4f\n", w->name, (long long)w->tasks,
                (double)w->bytes / 1e6, w->busy_s, w->mean_s);
    }
    if (s->nslowest > 0) {
        fprintf(f, "slowest:     ");
        for (int k = 0; k < s->nslowest; k++) {
            const cb_writer_stats *w = &s->writers[s->slowest[k]];
            fprintf(f, " %s (mean %.4f s)%s", w->name, w->mean_s, k + 1 < s->nslowest ? "," : "");
        }
        fprintf(f, "\n");
    }
    if (s->nhosts < 2)
        return;
    fprintf(f, "hosts:        %-24s %7s %8s %10s %9s %9s %9s\n", "name", "writers", "tasks", "MB", "busy s", "mean s",
            "MB/s");
    for (int h = 0; h < s->nhosts; h++) {
        const cb_host_stats *x = &s->hosts[h];
        fprintf(f, "              %-24s %7d %8lld %10.1f %9.3f %9.4f %9.1f\n", x->name, x->writers, (long long)x->tasks,
                (double)x->bytes / 1e6, x->busy_s, x->mean_s, x->MBps);
    }
    if (s->slowest_host >= 0)
        fprintf(f, "slowest host: %s (mean %.4f s)\n", s->hosts[s->slowest_host].name, s->hosts[s->slowest_host].mean_s);
}

static cJSON *pair(int64_t a, int64_t b)
{
    cJSON *arr = cJSON_CreateArray();
    cJSON_AddItemToArray(arr, cJSON_CreateNumber((double)a));
    cJSON_AddItemToArray(arr, cJSON_CreateNumber((double)b));
    return arr;
}

/* The stored bytes a run moved: a read's, the chunks its tasks covered;
 * else all of dset's chunks (the table's complete tasks are all of its
 * values once the write is done). */
static int64_t run_stored(const cb_table *tab)
{
    return tab->meta.stored_read > 0 ? tab->meta.stored_read : tab->meta.stored_bytes;
}

/* A bandwidth of logical bytes as the bytes the filters stored: the same
 * time over the stored size. */
static double stored_MBps(const cb_table *tab, const cb_summary *s, double logical_MBps)
{
    return s->bytes > 0 ? logical_MBps * (double)run_stored(tab) / (double)s->bytes : 0;
}

/* "compression": the filters and what they cost (NULL when unfiltered). */
static cJSON *compression_json(const cb_table *tab, const cb_summary *s)
{
    if (!tab->meta.filters[0])
        return NULL;
    cJSON *c = cJSON_CreateObject();
    int64_t stored = run_stored(tab);
    cJSON_AddStringToObject(c, "filters", tab->meta.filters);
    cJSON_AddNumberToObject(c, "logical_bytes", (double)s->bytes);
    cJSON_AddNumberToObject(c, "stored_bytes", (double)tab->meta.stored_bytes);
    if (tab->meta.stored_read > 0)
        cJSON_AddNumberToObject(c, "stored_bytes_read", (double)stored);
    cJSON_AddNumberToObject(c, "ratio", stored > 0 ? (double)s->bytes / (double)stored : 0);
    cJSON_AddNumberToObject(c, "logical_MBps", s->phase_MBps);
    cJSON_AddNumberToObject(c, "stored_MBps", stored_MBps(tab, s, s->phase_MBps));
    cJSON_AddNumberToObject(c, "stored_ior_MBps", stored_MBps(tab, s, s->ior_MBps));
    /* Per chunk, as the write left them: the grid and each one's stored
     * bytes, row-major. */
    if (tab->chunk_stored) {
        cJSON *ch = cJSON_AddObjectToObject(c, "chunks");
        cJSON_AddItemToObject(ch, "grid", pair(tab->chunk_grid[0], tab->chunk_grid[1]));
        cJSON *v = cJSON_AddArrayToObject(ch, "stored_bytes");
        for (int64_t i = 0; i < tab->chunk_grid[0] * tab->chunk_grid[1]; i++)
            cJSON_AddItemToArray(v, cJSON_CreateNumber((double)tab->chunk_stored[i]));
    }
    return c;
}

void cb_report_text(FILE *f, const char *target, const char *backend, const cb_table *tab, const cb_summary *s,
                    int verbose)
{
    seed_text(f, target, tab, s, verbose);
    /* Then what the seed lacks. */
    const cb_layout *l = &tab->layout;
    fprintf(f, "----------\n");
    fprintf(f, "target:       %s (%s)\n", target, backend);
    fprintf(f, "dataset:      %lld x %lld %s, chunk %lld x %lld, %lld %s tasks\n", (long long)l->shape[0],
            (long long)l->shape[1], dtype_name(l->elem_size), (long long)l->chunk[0], (long long)l->chunk[1],
            (long long)tab->ntasks, cb_iter_name(l->iter));
    if (tab->meta.seed >= 0) /* a file another tool made has neither */
        fprintf(f, "values:       %s, seed %lld\n", tab->meta.values[0] ? tab->meta.values : "uniform",
                (long long)tab->meta.seed);
    if (tab->meta.filters[0])
        fprintf(f, "filters:      %s\n", tab->meta.filters);
    fprintf(f, "bytes:        %.1f MB in complete tasks\n", (double)s->bytes / CB_BYTES_PER_MB);
    in_progress_text(f, s);
    if (s->complete == 0)
        return;
    fprintf(f, "bandwidth:    %.1f MB/s %s phase (bytes / first start to last done)\n", s->phase_MBps,
            tab->meta.phase[0] ? tab->meta.phase : "write");
    if (s->ior_MBps > 0)
        fprintf(f, "              %.1f MB/s IOR-style (last run: %.1f MB / first open to last close, %.3f s)\n",
                s->ior_MBps, (double)s->run_bytes / CB_BYTES_PER_MB, s->run_span_s);
    if (tab->meta.filters[0] && run_stored(tab) > 0)
        fprintf(f, "compression:  %.1f MB stored%s for %.1f MB logical, ratio %.3f; %.1f MB/s stored %s phase\n",
                (double)run_stored(tab) / CB_BYTES_PER_MB, tab->meta.stored_read > 0 ? " read" : "",
                (double)s->bytes / CB_BYTES_PER_MB, (double)s->bytes / (double)run_stored(tab),
                stored_MBps(tab, s, s->phase_MBps), tab->meta.phase[0] ? tab->meta.phase : "write");
    const cb_quantiles *q = &s->latency;
    fprintf(f, "latency (s):  min %.4f  p50 %.4f  p90 %.4f  p99 %.4f  max %.4f\n", q->min, q->p50, q->p90, q->p99,
            q->max);
    writers_text(f, s);
}

cJSON *cb_quantiles_json(const cb_quantiles *q)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "n", (double)q->n);
    cJSON_AddNumberToObject(o, "min", q->min);
    cJSON_AddNumberToObject(o, "p50", q->p50);
    cJSON_AddNumberToObject(o, "p90", q->p90);
    cJSON_AddNumberToObject(o, "p99", q->p99);
    cJSON_AddNumberToObject(o, "max", q->max);
    cJSON_AddNumberToObject(o, "mean", q->mean);
    return o;
}

cJSON *cb_net_json(const cb_net_summary *net)
{
    cJSON *h = cJSON_CreateObject();
    cJSON_AddNumberToObject(h, "requests", (double)net->requests);
    cJSON_AddNumberToObject(h, "retries", (double)net->retries);
    cJSON_AddItemToObject(h, "latency_s", cb_quantiles_json(&net->latency));
    return h;
}

cJSON *cb_mismatches_json(const cb_mismatch *bad, int64_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (int64_t k = 0; k < n; k++) {
        cJSON *m = cJSON_CreateObject();
        cJSON_AddNumberToObject(m, "task", (double)bad[k].index);
        cJSON_AddNumberToObject(m, "elements", (double)bad[k].elements);
        cJSON *first = cJSON_AddArrayToObject(m, "first");
        cJSON_AddItemToArray(first, cJSON_CreateNumber((double)bad[k].bad_i));
        cJSON_AddItemToArray(first, cJSON_CreateNumber((double)bad[k].bad_j));
        cJSON_AddItemToArray(arr, m);
    }
    return arr;
}

void cb_mismatches_text(FILE *f, const cb_task *tasks, const cb_mismatch *bad, int64_t n)
{
    for (int64_t k = 0; k < n && k < 20; k++) {
        const cb_task *t = &tasks[bad[k].index];
        fprintf(f, "MISMATCH task %lld [%d:%d,%d:%d]: %lld elements differ, first at (%lld,%lld)\n",
                (long long)bad[k].index, t->x, t->x + t->nrow, t->y, t->y + t->ncol, (long long)bad[k].elements,
                (long long)bad[k].bad_i, (long long)bad[k].bad_j);
    }
    if (n > 20)
        fprintf(f, "... and %lld more tasks with mismatches\n", (long long)(n - 20));
}

static int cmp_writer_name(const void *key, const void *w)
{
    return strcmp(key, ((const cb_writer_stats *)w)->name);
}

int cb_report_writer_index(const cb_summary *s, const char *pod)
{
    /* cb_summarize sorts writers by name, so a binary search finds it. */
    const cb_writer_stats *w =
        pod[0] ? bsearch(pod, s->writers, (size_t)s->nwriters, sizeof *s->writers, cmp_writer_name) : NULL;
    return w ? (int)(w - s->writers) : -1;
}

static cJSON *tasks_json(const cb_summary *s)
{
    cJSON *t = cJSON_CreateObject();
    cJSON_AddNumberToObject(t, "total", (double)s->ntasks);
    cJSON_AddNumberToObject(t, "pending", (double)s->pending);
    cJSON_AddNumberToObject(t, "complete", (double)s->complete);
    cJSON_AddNumberToObject(t, "in_progress", (double)s->in_progress);
    if (s->in_progress > 0 && s->in_progress_oldest > 0) {
        /* Whose and since when, so a script can tell dead claims from live ones. */
        cJSON_AddNumberToObject(t, "in_progress_since", s->in_progress_oldest);
        cJSON_AddNumberToObject(t, "in_progress_age_s", (double)time(NULL) - s->in_progress_oldest);
        cJSON *by = cJSON_AddObjectToObject(t, "in_progress_by");
        for (int i = 0; i < s->nwriters; i++)
            if (s->writers[i].in_progress > 0)
                cJSON_AddNumberToObject(by, s->writers[i].name, (double)s->writers[i].in_progress);
    }
    return t;
}

static cJSON *bandwidth_json(const cb_table *tab, const cb_summary *s)
{
    cJSON *bw = cJSON_CreateObject();
    /* A read run keeps the key (readers of write reports find their figure)
     * and names it too. */
    cJSON_AddNumberToObject(bw, "write_phase", s->phase_MBps);
    if (tab->meta.phase[0])
        cJSON_AddNumberToObject(bw, "read_phase", s->phase_MBps);
    cJSON_AddNumberToObject(bw, "ior", s->ior_MBps);
    return bw;
}

static cJSON *last_run_json(const cb_meta *m, const cb_summary *s)
{
    cJSON *run = cJSON_CreateObject();
    cJSON_AddNumberToObject(run, "open_start", m->open_start);
    cJSON_AddNumberToObject(run, "close_end", m->close_end);
    cJSON_AddNumberToObject(run, "bytes", (double)s->run_bytes);
    cJSON_AddNumberToObject(run, "writers", m->writers);
    cJSON_AddStringToObject(run, "schedule", m->schedule);
    cJSON_AddStringToObject(run, "io", m->io);
    cJSON_AddNumberToObject(run, "gen_s", m->gen_s);
    cJSON_AddNumberToObject(run, "io_s", m->io_s);
    cJSON_AddNumberToObject(run, "clock_skew_s", m->clock_skew_s);
    return run;
}

static cJSON *writers_json(const cb_summary *s)
{
    cJSON *ws = cJSON_CreateArray();
    for (int i = 0; i < s->nwriters; i++) {
        const cb_writer_stats *w = &s->writers[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "name", w->name);
        cJSON_AddNumberToObject(x, "tasks", (double)w->tasks);
        cJSON_AddNumberToObject(x, "bytes", (double)w->bytes);
        cJSON_AddNumberToObject(x, "busy_s", w->busy_s);
        cJSON_AddNumberToObject(x, "mean_s", w->mean_s);
        cJSON_AddNumberToObject(x, "first_start", w->first_start);
        cJSON_AddNumberToObject(x, "last_done", w->last_done);
        cJSON_AddItemToArray(ws, x);
    }
    return ws;
}

static cJSON *hosts_json(const cb_summary *s)
{
    cJSON *hs = cJSON_CreateArray();
    for (int h = 0; h < s->nhosts; h++) {
        const cb_host_stats *x = &s->hosts[h];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", x->name);
        cJSON_AddNumberToObject(o, "writers", x->writers);
        cJSON_AddNumberToObject(o, "tasks", (double)x->tasks);
        cJSON_AddNumberToObject(o, "bytes", (double)x->bytes);
        cJSON_AddNumberToObject(o, "busy_s", x->busy_s);
        cJSON_AddNumberToObject(o, "mean_s", x->mean_s);
        cJSON_AddNumberToObject(o, "MBps", x->MBps);
        cJSON_AddNumberToObject(o, "first_start", x->first_start);
        cJSON_AddNumberToObject(o, "last_done", x->last_done);
        cJSON_AddItemToArray(hs, o);
    }
    return hs;
}

/* Per task, column by column (compact, and enough to draw timelines). With
 * `lazy`, each column holds one marker for json_stream.c to fill. */
static cJSON *task_list_json(const cb_table *tab, const cb_summary *s, int lazy)
{
    cJSON *cols = cJSON_CreateObject();
    const char *names[] = {"start", "done", "status", "x", "y", "nrow", "ncol"};
    cJSON *c[7];
    for (int k = 0; k < 7; k++)
        c[k] = cJSON_AddArrayToObject(cols, names[k]);
    cJSON *pods = cJSON_AddArrayToObject(cols, "writer");
    if (lazy && tab->ntasks > 0) {
        for (int k = 0; k < 7; k++)
            cJSON_AddItemToArray(c[k], cJSON_CreateRaw(CB_JSON_COLUMN_MARK));
        cJSON_AddItemToArray(pods, cJSON_CreateRaw(CB_JSON_COLUMN_MARK));
        return cols;
    }
    for (int64_t i = 0; i < tab->ntasks; i++) {
        const cb_task *t = &tab->tasks[i];
        double v[7] = {t->start, t->done, t->status, t->x, t->y, t->nrow, t->ncol};
        for (int k = 0; k < 7; k++)
            cJSON_AddItemToArray(c[k], cJSON_CreateNumber(v[k]));
        /* The writer as an index into "writers" (-1: none), not its name again. */
        cJSON_AddItemToArray(pods, cJSON_CreateNumber(cb_report_writer_index(s, t->pod)));
    }
    return cols;
}

cJSON *cb_report_task_list_json(const cb_table *tab, const cb_summary *s) { return task_list_json(tab, s, 0); }

static cJSON *report_json(const char *target, const char *backend, const cb_table *tab, const cb_summary *s, int lazy)
{
    const cb_layout *l = &tab->layout;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "chunkbench", CB_VERSION_STRING);
    cJSON_AddNumberToObject(o, "schema", CB_JSON_SCHEMA);
    cJSON_AddStringToObject(o, "target", target);
    cJSON_AddStringToObject(o, "backend", backend);
    cJSON_AddStringToObject(o, "phase", tab->meta.phase[0] ? tab->meta.phase : "write");
    cJSON_AddItemToObject(o, "shape", pair(l->shape[0], l->shape[1]));
    cJSON_AddItemToObject(o, "chunk", pair(l->chunk[0], l->chunk[1]));
    cJSON_AddStringToObject(o, "dtype", l->elem_size == 4 ? "f4" : "f8");
    cJSON_AddStringToObject(o, "iter", cb_iter_name(l->iter));
    cJSON_AddNumberToObject(o, "seed", (double)tab->meta.seed);
    cJSON_AddStringToObject(o, "values", tab->meta.values[0] ? tab->meta.values : "uniform");
    cJSON_AddItemToObject(o, "tasks", tasks_json(s));
    cJSON_AddNumberToObject(o, "bytes", (double)s->bytes);
    cJSON_AddNumberToObject(o, "first_start", s->first_start);
    cJSON_AddNumberToObject(o, "last_done", s->last_done);
    cJSON_AddNumberToObject(o, "elapsed_s", s->elapsed_s);
    cJSON_AddItemToObject(o, "bandwidth_MBps", bandwidth_json(tab, s));
    cJSON *comp = compression_json(tab, s);
    if (comp) {
        cJSON_AddStringToObject(o, "filters", tab->meta.filters);
        cJSON_AddItemToObject(o, "compression", comp);
    }
    cJSON_AddItemToObject(o, "last_run", last_run_json(&tab->meta, s));
    /* The last write's, as stored; a write or read run puts its own in its place. */
    cJSON *hints = tab->meta.mpi_hints[0] ? cJSON_Parse(tab->meta.mpi_hints) : NULL;
    if (cJSON_IsObject(hints))
        cJSON_AddItemToObject(o, "mpi_hints", hints);
    else
        cJSON_Delete(hints);
    cJSON_AddItemToObject(o, "latency_s", cb_quantiles_json(&s->latency));
    cJSON_AddItemToObject(o, "writers", writers_json(s));
    cJSON_AddItemToObject(o, "hosts", hosts_json(s));
    cJSON_AddItemToObject(o, "task_list", task_list_json(tab, s, lazy));
    cJSON *sl = cJSON_AddArrayToObject(o, "slowest");
    for (int k = 0; k < s->nslowest; k++)
        cJSON_AddItemToArray(sl, cJSON_CreateString(s->writers[s->slowest[k]].name));
    if (s->slowest_host >= 0)
        cJSON_AddStringToObject(o, "slowest_host", s->hosts[s->slowest_host].name);
    else
        cJSON_AddNullToObject(o, "slowest_host");
    return o;
}

cJSON *cb_report_json(const char *target, const char *backend, const cb_table *tab, const cb_summary *s)
{
    return report_json(target, backend, tab, s, 0);
}

cJSON *cb_report_json_lazy(const char *target, const char *backend, const cb_table *tab, const cb_summary *s)
{
    return report_json(target, backend, tab, s, 1);
}

int cb_json_save(const char *path, const cJSON *doc, cb_err *err)
{
    char *text = cJSON_Print(doc);
    if (!text)
        return cb_fail(err, CB_EIO, "out of memory printing JSON");
    cb_outfile out;
    int rc = cb_outfile_open(&out, "--json", path, err);
    if (rc == 0) {
        fputs(text, out.f);
        fputc('\n', out.f);
        rc = cb_outfile_commit(&out, err); /* checks every write above */
    }
    cJSON_free(text);
    return rc;
}

int cb_report_csv(const char *path, const cb_table *tab, cb_err *err)
{
    cb_outfile out;
    if (cb_outfile_open(&out, "--csv", path, err) < 0)
        return -1;
    FILE *f = out.f;
    fprintf(f, "index,start,done,status,x,y,nrow,ncol,pod,latency_s,bytes\n");
    for (int64_t i = 0; i < tab->ntasks; i++) {
        const cb_task *t = &tab->tasks[i];
        double lat = t->status == CB_COMPLETE ? t->done - t->start : 0;
        fprintf(f, "%lld,%.6f,%.6f,%d,%d,%d,%d,%d,\"", (long long)i, t->start, t->done, t->status, t->x, t->y,
                t->nrow, t->ncol);
        /* Other tools write any name into pod: quote it as RFC 4180 says. */
        for (const char *c = t->pod; *c; c++) {
            if (*c == '"')
                fputc('"', f);
            fputc(*c, f);
        }
        fprintf(f, "\",%.6f,%lld\n", lat, (long long)cb_task_bytes(t, tab->layout.elem_size));
    }
    return cb_outfile_commit(&out, err); /* a failed write above left the stream's error flag */
}
