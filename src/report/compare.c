/* compare: run reports side by side, with ratios against the first run. */
#include "report/compare.h"

#include "report/rundoc.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"

/* The figures of one run, read out of its JSON. NAN = not available. */
typedef struct run_row {
    const char *label; /* as given, or name_buf */
    char name_buf[32];
    const char *target, *backend, *dtype, *schedule, *io;
    double shape[2], chunk[2];
    double tasks_total, tasks_complete, bytes, phase, ior, p50, p90, p99, ranks;
    int nwriters;
    double wtasks_min, wtasks_max, busy_min, busy_max, busy_ratio;
    double npasses, pass_min, pass_med, pass_max; /* NAN when the report has no passes */
    double http_req, http_retries;                /* NAN when the report has no http */
    const char *hdf5, *mpi, *fs_type;             /* the run's stack; NULL when not recorded */
    double hosts;
    const char *filters;                       /* "" when unfiltered */
    double stored_bytes, cratio, stored_MBps;  /* NAN when unfiltered */
} run_row;

/* Tasks per writer and busy time: the spread columns. */
static int read_writers(const cJSON *root, const char *label, run_row *r, cb_err *err)
{
    const cJSON *ws = cb_hj_at(root, "writers");
    if (!cJSON_IsArray(ws))
        return cb_rundoc_missing(err, label, "array", "writers");
    r->nwriters = 0;
    r->wtasks_min = r->wtasks_max = r->busy_min = r->busy_max = r->busy_ratio = NAN;
    const cJSON *w;
    cJSON_ArrayForEach(w, ws)
    {
        char path[64];
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(w, "name");
        const cJSON *jt = cJSON_GetObjectItemCaseSensitive(w, "tasks");
        const cJSON *jb = cJSON_GetObjectItemCaseSensitive(w, "busy_s");
        const char *bad = !cJSON_IsString(name) ? "name"
                          : !cJSON_IsNumber(jt) ? "tasks"
                          : !cJSON_IsNumber(jb) ? "busy_s"
                                                : NULL;
        if (bad) {
            snprintf(path, sizeof path, "writers[%d].%s", r->nwriters, bad);
            return cb_rundoc_missing(err, label, strcmp(bad, "name") ? "number" : "string", path);
        }
        double tasks = jt->valuedouble, busy = jb->valuedouble;
        if (r->nwriters == 0) {
            r->wtasks_min = r->wtasks_max = tasks;
            r->busy_min = r->busy_max = busy;
        } else {
            r->wtasks_min = fmin(r->wtasks_min, tasks);
            r->wtasks_max = fmax(r->wtasks_max, tasks);
            r->busy_min = fmin(r->busy_min, busy);
            r->busy_max = fmax(r->busy_max, busy);
        }
        r->nwriters++;
    }
    if (r->nwriters > 0 && r->busy_min > 0)
        r->busy_ratio = r->busy_max / r->busy_min;
    return 0;
}

/* Optional parts of write's report: passes, http. */
static int read_optional(const cJSON *root, const char *label, run_row *r, cb_err *err)
{
    r->npasses = NAN;
    const cJSON *list = cb_hj_at(root, "passes.list");
    if (cb_hj_at(root, "passes")) {
        if (!cJSON_IsArray(list))
            return cb_rundoc_missing(err, label, "array", "passes.list");
        r->npasses = cJSON_GetArraySize(list);
    }
    if (cb_rundoc_opt_num(root, "passes.ior_MBps.min", label, &r->pass_min, err) < 0 ||
        cb_rundoc_opt_num(root, "passes.ior_MBps.p50", label, &r->pass_med, err) < 0 ||
        cb_rundoc_opt_num(root, "passes.ior_MBps.max", label, &r->pass_max, err) < 0 ||
        cb_rundoc_opt_num(root, "http.requests", label, &r->http_req, err) < 0 ||
        cb_rundoc_opt_num(root, "http.retries", label, &r->http_retries, err) < 0)
        return -1;
    /* A filtered run's figures, all of them, or the report is not one of ours. */
    if (cb_hj_at(root, "compression")) {
        static const char *const keys[] = {"compression.stored_bytes", "compression.ratio", "compression.stored_MBps"};
        if (!cJSON_IsString(cb_hj_at(root, "compression.filters")))
            return cb_rundoc_missing(err, label, "string", "compression.filters");
        for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
            if (!cJSON_IsNumber(cb_hj_at(root, keys[i])))
                return cb_rundoc_missing(err, label, "number", keys[i]);
    }
    return 0;
}

/* ---- reading (through the run document's reader, rundoc.h) -------------- */

static int read_run(const cJSON *root, const char *label, run_row *r, cb_err *err)
{
    cb_rundoc d;
    if (cb_rundoc_require(root, label, err) < 0 || cb_rundoc_read(root, &d) < 0)
        return -1;
    r->target = d.target;
    r->backend = d.backend;
    r->dtype = d.dtype;
    r->schedule = d.schedule;
    r->io = d.io;
    memcpy(r->shape, d.shape, sizeof r->shape);
    memcpy(r->chunk, d.chunk, sizeof r->chunk);
    r->tasks_total = d.total;
    r->tasks_complete = d.complete;
    r->bytes = d.bytes;
    r->phase = d.phase_MBps;
    r->ior = d.ior_MBps;
    r->p50 = d.lat.p50;
    r->p90 = d.lat.p90;
    r->p99 = d.lat.p99;
    r->ranks = d.run_writers;
    r->hdf5 = d.hdf5;
    r->mpi = d.mpi;
    r->fs_type = d.fs_type;
    r->hosts = d.hosts;
    r->filters = d.filters;
    r->stored_bytes = d.stored_bytes;
    r->cratio = d.ratio;
    r->stored_MBps = d.stored_MBps;
    return read_writers(root, label, r, err) < 0 || read_optional(root, label, r, err) < 0 ? -1 : 0;
}

/* ---- helpers -------------------------------------------------------------- */

static double ratio(double v, double base)
{
    return isfinite(v) && isfinite(base) && base > 0 ? v / base : NAN;
}

/* Length of the directory part ("dir/") every label shares; 0 if none. */
static size_t common_dir(const run_row *rows, int n)
{
    if (n < 2)
        return 0;
    size_t len = strlen(rows[0].label);
    for (int i = 1; i < n; i++) {
        size_t k = 0;
        while (k < len && rows[i].label[k] == rows[0].label[k])
            k++;
        len = k;
    }
    while (len > 0 && rows[0].label[len - 1] != '/')
        len--;
    /* Keep something to show for every label. */
    for (int i = 0; i < n; i++)
        if (!rows[i].label[len])
            return 0;
    return len;
}

/* A text table: cells are owned strings, column 0.. left-aligned up to nleft. */
#define MAXCOL 24
typedef struct table {
    int nrows, ncols, nleft;
    char **cell; /* (nrows) x MAXCOL, row 0 = headers */
    int bad;     /* out of memory */
} table;

static void put(table *t, int row, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void put(table *t, int row, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!s) {
        t->bad = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    free(t->cell[row * MAXCOL + col]);
    t->cell[row * MAXCOL + col] = s;
    if (col >= t->ncols)
        t->ncols = col + 1;
}

/* A number cell, "-" when not available. */
static void put_num(table *t, int row, int col, const char *fmt, double v)
{
    if (!isfinite(v)) {
        put(t, row, col, "-");
        return;
    }
    char buf[64];
    snprintf(buf, sizeof buf, fmt, v);
    put(t, row, col, "%s", buf);
}

/* A ratio cell: about three significant digits, so that 0.003 does not
 * print as 0.00 next to 1631.5. */
static void put_ratio(table *t, int row, int col, double r)
{
    double a = fabs(r);
    put_num(t, row, col, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 0.1 || a == 0 ? "%.2f" : "%.2g", r);
}

static void print_table(FILE *out, const table *t)
{
    int w[MAXCOL] = {0};
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            const char *s = t->cell[r * MAXCOL + c];
            int n = s ? (int)strlen(s) : 0;
            if (n > w[c])
                w[c] = n;
        }
    for (int r = 0; r < t->nrows; r++) {
        for (int c = 0; c < t->ncols; c++) {
            const char *s = t->cell[r * MAXCOL + c];
            if (c + 1 == t->ncols && c < t->nleft)
                fprintf(out, "%s", s ? s : ""); /* no trailing blanks */
            else
                fprintf(out, c < t->nleft ? "%-*s" : "%*s", w[c], s ? s : "");
            fputs(c + 1 < t->ncols ? "  " : "\n", out);
        }
    }
}

static void table_free(table *t)
{
    if (!t->cell)
        return;
    for (int i = 0; i < t->nrows * MAXCOL; i++)
        free(t->cell[i]);
    free(t->cell);
    t->cell = NULL;
}

static int table_init(table *t, int nrows, int nleft)
{
    t->nrows = nrows;
    t->ncols = 0;
    t->nleft = nleft;
    t->bad = 0;
    t->cell = calloc((size_t)nrows * MAXCOL, sizeof *t->cell);
    return t->cell ? 0 : -1;
}

static const char *or_dash(const char *s) { return s && *s ? s : "-"; }

/* ---- text ----------------------------------------------------------------- */

/* Which optional columns the runs need. */
typedef struct columns {
    size_t strip; /* length of the labels' common directory */
    int same_shape, any_incomplete, any_passes, any_http, any_hosts;
    int any_filters; /* a run with compression: the compression table */
} columns;

static columns columns_of(const run_row *rows, int n)
{
    columns k = {common_dir(rows, n), 1, 0, 0, 0, 0, 0};
    for (int i = 0; i < n; i++) {
        const run_row *r = &rows[i];
        if (r->shape[0] != rows[0].shape[0] || r->shape[1] != rows[0].shape[1] || r->chunk[0] != rows[0].chunk[0] ||
            r->chunk[1] != rows[0].chunk[1] || strcmp(r->dtype, rows[0].dtype))
            k.same_shape = 0;
        k.any_incomplete |= r->tasks_complete != r->tasks_total;
        k.any_passes |= isfinite(r->npasses) && r->npasses > 1;
        k.any_http |= isfinite(r->http_req);
        k.any_hosts |= isfinite(r->hosts);
        k.any_filters |= r->filters[0] != 0;
    }
    return k;
}

static void print_heading(FILE *out, const run_row *rows, int n, const columns *k)
{
    fprintf(out, "chunkbench compare: %d run%s", n, n == 1 ? "" : "s");
    if (k->strip)
        fprintf(out, " in %.*s", (int)k->strip, rows[0].label);
    fputc('\n', out);
    if (k->same_shape)
        fprintf(out, "dataset: %.0f x %.0f %s, chunk %.0f x %.0f\n", rows[0].shape[0], rows[0].shape[1],
                rows[0].dtype, rows[0].chunk[0], rows[0].chunk[1]);
    fputc('\n', out);
}

static void main_header(table *t, const columns *k)
{
    const char *hdr[MAXCOL];
    int nh = 0;
    hdr[nh++] = "#";
    hdr[nh++] = "run";
    hdr[nh++] = "backend";
    hdr[nh++] = "schedule";
    hdr[nh++] = "io";
    if (!k->same_shape)
        hdr[nh++] = "dataset";
    hdr[nh++] = "ranks";
    if (k->any_hosts)
        hdr[nh++] = "hosts";
    if (k->any_incomplete)
        hdr[nh++] = "tasks";
    hdr[nh++] = "MB";
    hdr[nh++] = "phase MB/s";
    hdr[nh++] = "IOR MB/s";
    if (k->any_passes) {
        hdr[nh++] = "passes";
        hdr[nh++] = "IOR med";
    }
    hdr[nh++] = "p50 ms";
    hdr[nh++] = "p90 ms";
    hdr[nh++] = "p99 ms";
    hdr[nh++] = "writers";
    hdr[nh++] = "tasks/writer";
    hdr[nh++] = "busy max/min";
    if (k->any_http) {
        hdr[nh++] = "http req";
        hdr[nh++] = "retries";
    }
    for (int c = 0; c < nh; c++)
        put(t, 0, c, "%s", hdr[c]);
}

static void main_row(table *t, int row, const run_row *r, const columns *k)
{
    int c = 0;
    put(t, row, c++, "%d", row);
    put(t, row, c++, "%s", r->label + k->strip);
    put(t, row, c++, "%s", or_dash(r->backend));
    put(t, row, c++, "%s", or_dash(r->schedule));
    put(t, row, c++, "%s", or_dash(r->io));
    if (!k->same_shape)
        put(t, row, c++, "%.0fx%.0f/%.0fx%.0f %s", r->shape[0], r->shape[1], r->chunk[0], r->chunk[1], r->dtype);
    put(t, row, c++, "%.0f", r->ranks);
    if (k->any_hosts)
        put_num(t, row, c++, "%.0f", r->hosts);
    if (k->any_incomplete)
        put(t, row, c++, "%.0f/%.0f", r->tasks_complete, r->tasks_total);
    put_num(t, row, c++, "%.2f", r->bytes / 1e6);
    put_num(t, row, c++, "%.1f", r->phase);
    put_num(t, row, c++, "%.1f", r->ior);
    if (k->any_passes) {
        put_num(t, row, c++, "%.0f", r->npasses);
        put_num(t, row, c++, "%.1f", r->pass_med);
    }
    put_num(t, row, c++, "%.3f", r->p50 * 1e3);
    put_num(t, row, c++, "%.3f", r->p90 * 1e3);
    put_num(t, row, c++, "%.3f", r->p99 * 1e3);
    put(t, row, c++, "%d", r->nwriters);
    if (r->nwriters > 0)
        put(t, row, c++, "%.0f-%.0f", r->wtasks_min, r->wtasks_max);
    else
        put(t, row, c++, "-");
    put_num(t, row, c++, "%.2f", r->busy_ratio);
    if (k->any_http) {
        put_num(t, row, c++, "%.0f", r->http_req);
        put_num(t, row, c++, "%.0f", r->http_retries);
    }
}

/* Print t unless a cell failed; frees t either way. */
static int table_print_free(FILE *out, table *t)
{
    int bad = t->bad;
    if (!bad)
        print_table(out, t);
    table_free(t);
    return bad ? -1 : 0;
}

static int main_table(FILE *out, const run_row *rows, int n, const columns *k)
{
    table t;
    if (table_init(&t, n + 1, 5) < 0)
        return -1;
    main_header(&t, k);
    for (int i = 0; i < n; i++)
        main_row(&t, i + 1, &rows[i], k);
    return table_print_free(out, &t);
}

/* Filters, ratio and both bandwidths side by side: logical MB/s is the
 * phase bandwidth; stored MB/s the bytes the filters left over the same time. */
static int compression_table(FILE *out, const run_row *rows, int n, const columns *k)
{
    fprintf(out, "\ncompression:\n");
    table t;
    if (table_init(&t, n + 1, 3) < 0)
        return -1;
    const char *h[] = {"#", "run", "filters", "logical MB", "stored MB", "ratio", "logical MB/s", "stored MB/s"};
    for (int c = 0; c < (int)(sizeof h / sizeof h[0]); c++)
        put(&t, 0, c, "%s", h[c]);
    for (int i = 0; i < n; i++) {
        const run_row *r = &rows[i];
        int row = i + 1, c = 0;
        put(&t, row, c++, "%d", row);
        put(&t, row, c++, "%s", r->label + k->strip);
        put(&t, row, c++, "%s", r->filters[0] ? r->filters : "none");
        put_num(&t, row, c++, "%.2f", r->bytes / 1e6);
        put_num(&t, row, c++, "%.2f", r->stored_bytes / 1e6);
        put_num(&t, row, c++, "%.3f", r->cratio);
        put_num(&t, row, c++, "%.1f", r->phase);
        put_num(&t, row, c++, "%.1f", r->stored_MBps);
    }
    return table_print_free(out, &t);
}

static int ratio_table(FILE *out, const run_row *rows, int n, const columns *k)
{
    fprintf(out, "\nratios to run 1 (%s): bandwidth > 1 is faster; latency and busy spread < 1 is better\n",
            rows[0].label + k->strip);
    table t;
    if (table_init(&t, n + 1, 2) < 0)
        return -1;
    const char *rh[] = {"#", "run", "MB", "phase MB/s", "IOR MB/s", "p50", "p90", "p99", "busy max/min"};
    for (int c = 0; c < (int)(sizeof rh / sizeof rh[0]); c++)
        put(&t, 0, c, "%s", rh[c]);
    const run_row *b = &rows[0];
    for (int i = 0; i < n; i++) {
        const run_row *r = &rows[i];
        int row = i + 1, c = 0;
        put(&t, row, c++, "%d", i + 1);
        put(&t, row, c++, "%s", r->label + k->strip);
        put_ratio(&t, row, c++, ratio(r->bytes, b->bytes));
        put_ratio(&t, row, c++, ratio(r->phase, b->phase));
        put_ratio(&t, row, c++, ratio(r->ior, b->ior));
        put_ratio(&t, row, c++, ratio(r->p50, b->p50));
        put_ratio(&t, row, c++, ratio(r->p90, b->p90));
        put_ratio(&t, row, c++, ratio(r->p99, b->p99));
        put_ratio(&t, row, c++, ratio(r->busy_ratio, b->busy_ratio));
    }
    return table_print_free(out, &t);
}

/* Both runs recorded it, and differently (a run without a stack says nothing). */
static int differ(const char *a, const char *b) { return a && b && strcmp(a, b); }
static const char *or_unknown(const char *s) { return *s ? s : "none"; }

/* A run measured on another stack than the first one: which parts differ. */
static int stack_note(FILE *out, const run_row *r, const run_row *b, int i, const columns *k, int first_note)
{
    int hosts = !isnan(r->hosts) && !isnan(b->hosts) && r->hosts != b->hosts;
    if (!differ(r->hdf5, b->hdf5) && !differ(r->mpi, b->mpi) && !differ(r->fs_type, b->fs_type) && !hosts)
        return 0;
    fprintf(out, "%snote: run %d (%s) used another stack than run 1:", first_note ? "\n" : "", i + 1,
            r->label + k->strip);
    if (differ(r->hdf5, b->hdf5))
        fprintf(out, " HDF5 %s (run 1: %s);", or_unknown(r->hdf5), or_unknown(b->hdf5));
    if (differ(r->mpi, b->mpi))
        fprintf(out, " MPI %s (run 1: %s);", or_unknown(r->mpi), or_unknown(b->mpi));
    if (differ(r->fs_type, b->fs_type))
        fprintf(out, " file system %s (run 1: %s);", or_unknown(r->fs_type), or_unknown(b->fs_type));
    if (hosts)
        fprintf(out, " %.0f hosts (run 1: %.0f);", r->hosts, b->hosts);
    fputc('\n', out);
    return 1;
}

/* A run with other filters than the first one. */
static int filter_note(FILE *out, const run_row *r, const run_row *b, int i, const columns *k, int first_note)
{
    if (!strcmp(r->filters, b->filters))
        return 0;
    fprintf(out, "%snote: run %d (%s) used other filters than run 1: %s (run 1: %s)\n", first_note ? "\n" : "", i + 1,
            r->label + k->strip, r->filters[0] ? r->filters : "none", b->filters[0] ? b->filters : "none");
    return 1;
}

/* Things a reader of the figures should know. */
static void print_notes(FILE *out, const run_row *rows, int n, const columns *k)
{
    int first_note = 1;
    for (int i = 0; i < n; i++) {
        const run_row *r = &rows[i];
        if (i > 0 && stack_note(out, r, &rows[0], i, k, first_note))
            first_note = 0;
        if (i > 0 && filter_note(out, r, &rows[0], i, k, first_note))
            first_note = 0;
        if (r->tasks_complete != r->tasks_total) {
            fprintf(out, "%snote: run %d (%s) is incomplete: %.0f of %.0f tasks\n", first_note ? "\n" : "", i + 1,
                    r->label + k->strip, r->tasks_complete, r->tasks_total);
            first_note = 0;
        }
        if (r->nwriters > 0 && r->ranks > 0 && r->nwriters != (int)r->ranks && strcmp(r->schedule, "server")) {
            fprintf(out, "%snote: run %d (%s): %d writers completed tasks, %.0f ranks ran\n", first_note ? "\n" : "",
                    i + 1, r->label + k->strip, r->nwriters, r->ranks);
            first_note = 0;
        }
    }
    if (!k->same_shape)
        fprintf(out, "%snote: the runs differ in dataset shape, chunk or dtype\n", first_note ? "\n" : "");
    fprintf(out, "\ncolumns: phase = bytes / first task start to last task done; IOR = last run's bytes / first open "
                 "to last close;\n         p50/p90/p99 = per-task write latency; writers = ranks or pods that "
                 "completed tasks;\n         busy max/min = busiest writer's summed task time over the least busy "
                 "one's (1.00 = even)\n");
    if (k->any_filters)
        fprintf(out, "         compression: ratio = logical bytes / stored bytes; logical MB/s = phase MB/s; stored "
                     "MB/s = stored bytes / the same time (- : unfiltered)\n");
}

static int print_text(FILE *out, const run_row *rows, int n)
{
    columns k = columns_of(rows, n);
    print_heading(out, rows, n, &k);
    if (main_table(out, rows, n, &k) < 0 || (k.any_filters && compression_table(out, rows, n, &k) < 0) ||
        (n > 1 && ratio_table(out, rows, n, &k) < 0))
        return -1;
    print_notes(out, rows, n, &k);
    return 0;
}

/* ---- CSV ------------------------------------------------------------------ */

static void csv_str(FILE *out, const char *s)
{
    if (!s)
        s = "";
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void csv_num(FILE *out, double v)
{
    if (isfinite(v))
        fprintf(out, ",%.10g", v);
    else
        fputs(",", out);
}

static void print_csv(FILE *out, const run_row *rows, int n)
{
    fputs("run,label,target,backend,rows,cols,chunk_rows,chunk_cols,dtype,schedule,io,ranks,tasks_total,"
          "tasks_complete,bytes,write_phase_MBps,ior_MBps,latency_p50_s,latency_p90_s,latency_p99_s,writers,"
          "writer_tasks_min,writer_tasks_max,writer_busy_min_s,writer_busy_max_s,busy_max_over_min,passes,"
          "ior_MBps_pass_min,ior_MBps_pass_median,ior_MBps_pass_max,http_requests,http_retries,bytes_ratio,"
          "write_phase_ratio,ior_ratio,latency_p50_ratio,latency_p90_ratio,latency_p99_ratio,busy_spread_ratio,hosts,filters,stored_bytes,"
          "compression_ratio,stored_MBps\n",
          out);
    const run_row *b = &rows[0];
    for (int i = 0; i < n; i++) {
        const run_row *r = &rows[i];
        fprintf(out, "%d,", i + 1);
        csv_str(out, r->label);
        fputc(',', out);
        csv_str(out, r->target);
        fputc(',', out);
        csv_str(out, r->backend);
        csv_num(out, r->shape[0]);
        csv_num(out, r->shape[1]);
        csv_num(out, r->chunk[0]);
        csv_num(out, r->chunk[1]);
        fputc(',', out);
        csv_str(out, r->dtype);
        fputc(',', out);
        csv_str(out, r->schedule);
        fputc(',', out);
        csv_str(out, r->io);
        double v[] = {r->ranks, r->tasks_total, r->tasks_complete, r->bytes, r->phase, r->ior, r->p50, r->p90, r->p99,
                      r->nwriters, r->wtasks_min, r->wtasks_max, r->busy_min, r->busy_max, r->busy_ratio,
                      r->npasses, r->pass_min, r->pass_med, r->pass_max, r->http_req, r->http_retries,
                      ratio(r->bytes, b->bytes), ratio(r->phase, b->phase), ratio(r->ior, b->ior),
                      ratio(r->p50, b->p50), ratio(r->p90, b->p90), ratio(r->p99, b->p99),
                      ratio(r->busy_ratio, b->busy_ratio), r->hosts};
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
            csv_num(out, v[k]);
        fputc(',', out);
        csv_str(out, r->filters);
        csv_num(out, r->stored_bytes);
        csv_num(out, r->cratio);
        csv_num(out, r->stored_MBps);
        fputc('\n', out);
    }
}

/* ---- entry ---------------------------------------------------------------- */

int cb_compare(FILE *out, cJSON *const *runs, const char *const *labels, int nruns, int csv, cb_err *err)
{
    if (nruns < 1 || !runs)
        return cb_fail(err, CB_EUSAGE, "compare needs at least one run report (a JSON file of write, run or status)");
    run_row *rows = calloc((size_t)nruns, sizeof *rows);
    if (!rows)
        return cb_fail(err, CB_EIO, "out of memory");
    int rc = 0;
    for (int i = 0; i < nruns && rc == 0; i++) {
        run_row *r = &rows[i];
        if (labels && labels[i]) {
            r->label = labels[i];
        } else {
            snprintf(r->name_buf, sizeof r->name_buf, "run %d", i + 1);
            r->label = r->name_buf;
        }
        rc = read_run(runs[i], r->label, r, err);
    }
    if (rc == 0) {
        if (csv)
            print_csv(out, rows, nruns);
        else if (print_text(out, rows, nruns) < 0)
            rc = cb_fail(err, CB_EIO, "out of memory");
        if (rc == 0 && (fflush(out) != 0 || ferror(out)))
            rc = cb_fail(err, CB_EIO, "cannot write the comparison");
    }
    free(rows);
    return rc;
}
