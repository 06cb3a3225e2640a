#include "report/output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/outfile.h"
#include "core/stats.h"
#include "core/units.h"
#include "report/json_stream.h"
#include "report/report_html.h"

/* A failed flush is kept (cb_stdout_check) and reported when the command
 * ends, with the reason it had. */
static void flush_stdout(void)
{
    cb_err later = {0};
    cb_stdout_check(&later);
}

int cb_stdout_taken(const char *path) { return path && !strcmp(path, "-"); }

int cb_output_prints(const cb_output_opts *o) { return !o->quiet && !cb_stdout_taken(o->json_path); }

int cb_render_html(const char *what, const char *path, cJSON *const *runs, const char *const *labels, int n,
                   cb_err *err)
{
    cb_outfile out;
    if (cb_outfile_open(&out, what, path, err) < 0)
        return -1;
    if (cb_html_report(out.f, runs, labels, n, err) < 0) {
        cb_outfile_abort(&out); /* no half-written report; an old one stays */
        return -1;
    }
    return cb_outfile_commit(&out, err);
}

/* The JSON document (status keys, then extra's) to its file, its task
 * columns streamed (a cJSON item per number took ~0.6 KB a task), and the
 * HTML page. */
static int save_doc(const cb_output_opts *o, const char *backend, const cb_table *tab, const cb_summary *s,
                    cJSON *extra, int print, cb_err *err)
{
    cJSON *doc = cb_report_json_lazy(o->target, backend, tab, s);
    for (cJSON *it = extra ? extra->child : NULL; it;) {
        cJSON *next = it->next;
        cJSON_DeleteItemFromObjectCaseSensitive(doc, it->string); /* the run's own wins over the stored */
        cJSON_AddItemToObject(doc, it->string, cJSON_DetachItemViaPointer(extra, it));
        it = next;
    }
    int rc = 0;
    if (o->json_path) {
        cb_outfile out;
        rc = cb_outfile_open(&out, "--json", o->json_path, err);
        if (rc == 0 && cb_json_stream(out.f, doc, tab, s) < 0) {
            cb_outfile_abort(&out);
            rc = cb_fail(err, CB_EIO, "out of memory printing JSON");
        } else if (rc == 0) {
            rc = cb_outfile_commit(&out, err); /* checks every write */
        }
    }
    if (rc == 0 && o->report_path) {
        /* The page draws from the tree: put the real columns in. */
        cJSON_ReplaceItemInObject(doc, "task_list", cb_report_task_list_json(tab, s));
        rc = cb_render_html("--report", o->report_path, &doc, &o->target, 1, err);
        if (rc == 0 && print && !cb_stdout_taken(o->json_path))
            printf("report:       %s\n", o->report_path);
    }
    cJSON_Delete(doc);
    return rc;
}

int cb_emit_report(const cb_output_opts *o, const char *backend, const cb_table *tab, cJSON *extra, int print,
                   cb_err *err)
{
    cb_summary s;
    if (cb_summarize(tab, &s, err) < 0) {
        cJSON_Delete(extra);
        return -1;
    }
    if (print && !cb_stdout_taken(o->json_path))
        cb_report_text(stdout, o->target, backend, tab, &s, o->verbose);
    int rc = 0;
    if (o->json_path || o->report_path)
        rc = save_doc(o, backend, tab, &s, extra, print, err);
    cJSON_Delete(extra);
    if (rc == 0 && o->csv_path)
        rc = cb_report_csv(o->csv_path, tab, err);
    cb_summary_free(&s);
    if (cb_stdout_check(err) < 0) /* the text, or the JSON on stdout */
        rc = -1;
    return rc;
}

int cb_output_status(const cb_output_opts *o, const char *backend, const cb_table *tab, cb_err *err)
{
    return cb_emit_report(o, backend, tab, NULL, !o->quiet, err);
}

/* ---- write ---- */

static double mbps(int64_t bytes, double s) { return s > 0 ? (double)bytes / s / CB_BYTES_PER_MB : 0; }

void cb_output_pass(const cb_output_opts *o, const cb_pass *p, int k, int n)
{
    if (o->quiet || n < 2)
        return;
    double span = p->close_end - p->open_start;
    printf("pass %d/%d: %lld tasks, %.1f MB in %.3f s, %.1f MB/s (first open to last close)\n", k + 1, n,
           (long long)p->tasks, (double)p->bytes / CB_BYTES_PER_MB, span, mbps(p->bytes, span));
    flush_stdout();
}

/* ---- what collective transfers did ---- */

/* The passes' records summed. */
static cb_coll_stats coll_total(const cb_result *res)
{
    cb_coll_stats t = {0};
    for (int i = 0; i < res->npasses; i++)
        cb_coll_add(&t, &res->passes[i].coll);
    return t;
}

/* JSON "collective"; NULL when no collective transfer was asked for. */
static cJSON *coll_json(const cb_coll_stats *c)
{
    if (!cb_coll_asked(c))
        return NULL;
    cJSON *x = cJSON_CreateObject();
    cJSON_AddStringToObject(x, "asked", "collective");
    cJSON_AddStringToObject(x, "chunk_opt_asked", cb_chunk_opt_name(cb_coll_asked_opt(c)));
    cJSON_AddNumberToObject(x, "calls", (double)c->calls);
    cJSON *m = cJSON_AddObjectToObject(x, "actual_io_mode");
    for (int k = 0; k < CB_AIO_N; k++)
        cJSON_AddNumberToObject(m, cb_actual_io_key((cb_actual_io)k), (double)c->io_mode[k]);
    cJSON *o = cJSON_AddObjectToObject(x, "chunk_opt");
    for (int k = 0; k < CB_ACO_N; k++)
        cJSON_AddNumberToObject(o, cb_actual_chunk_opt_key((cb_actual_chunk_opt)k), (double)c->chunk_opt[k]);
    cJSON_AddNumberToObject(x, "not_collective_calls", (double)cb_coll_not_done(c));
    cJSON *names = cJSON_AddArrayToObject(x, "no_collective_cause");
    cJSON *calls = cJSON_AddObjectToObject(x, "cause_calls");
    for (int k = 0; k < CB_NCC_N; k++) {
        if (!cb_coll_has_cause(c, (cb_no_coll_cause)k))
            continue;
        const char *w = cb_no_coll_cause_words((cb_no_coll_cause)k);
        cJSON_AddItemToArray(names, cJSON_CreateString(w));
        cJSON *lg = cJSON_AddObjectToObject(calls, w);
        cJSON_AddNumberToObject(lg, "local", (double)c->local_cause[k]);
        cJSON_AddNumberToObject(lg, "global", (double)c->global_cause[k]);
    }
    return x;
}

/* The run's settings of collective operations, into a JSON document. */
static void coll_add(cJSON *doc, const cb_result *res, const cb_coll_stats *c)
{
    if (res->coll_metadata)
        cJSON_AddBoolToObject(doc, "coll_metadata", 1);
    cJSON *cj = coll_json(c);
    if (cj)
        cJSON_AddItemToObject(doc, "collective", cj);
}

static void coll_text(const cb_coll_stats *c)
{
    if (!cb_coll_asked(c))
        return;
    printf("collective:   %lld calls (over ranks, --chunk-opt %s):", (long long)c->calls,
           cb_chunk_opt_name(cb_coll_asked_opt(c)));
    for (int k = 0, first = 1; k < CB_AIO_N; k++)
        if (c->io_mode[k]) {
            printf("%s %s %lld", first ? "" : ",", cb_actual_io_key((cb_actual_io)k), (long long)c->io_mode[k]);
            first = 0;
        }
    printf(";");
    for (int k = 0, first = 1; k < CB_ACO_N; k++)
        if (c->chunk_opt[k]) {
            printf("%s %s %lld", first ? "" : ",", cb_actual_chunk_opt_key((cb_actual_chunk_opt)k),
                   (long long)c->chunk_opt[k]);
            first = 0;
        }
    char why[512];
    cb_coll_causes_text(c, why, sizeof why);
    if (why[0])
        printf("; not collective because: %s", why);
    printf("\n");
}

/* Once a run, even when quiet: collective asked for and not (all) done. */
static void coll_warn(const cb_coll_stats *c)
{
    int64_t n = cb_coll_not_done(c);
    if (!cb_coll_asked(c) || n == 0)
        return;
    char why[512];
    cb_coll_causes_text(c, why, sizeof why);
    if (!why[0])
        snprintf(why, sizeof why, "HDF5 gave no cause (multi-chunk I/O does a chunk independently when few ranks "
                                  "touch it, H5Pset_dxpl_mpio_chunk_opt_ratio)");
    fflush(stdout);
    fprintf(stderr, "chunkbench: warning: --io collective: %lld of %lld calls were not collective for all their "
                    "data (%lld independent, %lld chunk-independent, %lld mixed): %s\n",
            (long long)n, (long long)c->calls, (long long)c->io_mode[CB_AIO_INDEPENDENT],
            (long long)c->io_mode[CB_AIO_CHUNK_INDEPENDENT], (long long)c->io_mode[CB_AIO_CHUNK_MIXED], why);
}

/* IOR-style bandwidth of each pass, and their quantiles. */
static void pass_bandwidths(const cb_result *res, cb_quantiles *bw)
{
    double *v = malloc((size_t)(res->npasses > 0 ? res->npasses : 1) * sizeof *v);
    if (!v) {
        memset(bw, 0, sizeof *bw);
        return;
    }
    for (int i = 0; i < res->npasses; i++)
        v[i] = mbps(res->passes[i].bytes, res->passes[i].close_end - res->passes[i].open_start);
    cb_quantiles_of(v, res->npasses, bw);
    free(v);
}

/* The straggler tail: how long after the deadline the last task finished. */
static double deadline_tail(const cb_pass *p)
{
    return p->deadline_hit && p->last_done > p->deadline_at ? p->last_done - p->deadline_at : 0;
}

static cJSON *pass_json(const cb_pass *p, int k)
{
    cJSON *x = cJSON_CreateObject();
    cJSON_AddNumberToObject(x, "pass", k + 1);
    cJSON_AddNumberToObject(x, "tasks", (double)p->tasks);
    cJSON_AddNumberToObject(x, "bytes", (double)p->bytes);
    cJSON_AddNumberToObject(x, "open_start", p->open_start);
    cJSON_AddNumberToObject(x, "close_end", p->close_end);
    cJSON_AddNumberToObject(x, "first_start", p->first_start);
    cJSON_AddNumberToObject(x, "last_done", p->last_done);
    cJSON_AddNumberToObject(x, "ior_MBps", mbps(p->bytes, p->close_end - p->open_start));
    cJSON_AddNumberToObject(x, "write_phase_MBps", mbps(p->bytes, p->last_done - p->first_start));
    cJSON_AddNumberToObject(x, "gen_s", p->gen_s);
    cJSON_AddNumberToObject(x, "io_s", p->io_s);
    cJSON_AddNumberToObject(x, "io_calls", (double)p->io_calls);
    /* Storage speed without value generation: bytes / the busiest rank's I/O time. */
    cJSON_AddNumberToObject(x, "io_max_s", p->io_max_s);
    cJSON_AddNumberToObject(x, "io_only_MBps", p->io_max_s > 0 ? (double)p->bytes / p->io_max_s / CB_BYTES_PER_MB : 0);
    cJSON *c = coll_json(&p->coll);
    if (c)
        cJSON_AddItemToObject(x, "collective", c);
    if (p->deadline_s > 0) {
        cJSON *d = cJSON_AddObjectToObject(x, "deadline");
        cJSON_AddNumberToObject(d, "s", p->deadline_s);
        cJSON_AddBoolToObject(d, "wearout", p->deadline_wearout);
        cJSON_AddBoolToObject(d, "reached", p->deadline_hit);
        cJSON_AddNumberToObject(d, "at", p->deadline_at);
        cJSON_AddNumberToObject(d, "tasks_by", (double)p->deadline_tasks);
        cJSON_AddNumberToObject(d, "bytes_by", (double)p->deadline_bytes);
        cJSON_AddNumberToObject(d, "MBps_by", mbps(p->deadline_bytes, p->deadline_s));
        cJSON_AddNumberToObject(d, "tail_s", deadline_tail(p));
    }
    return x;
}

static cJSON *passes_json(const cb_result *res)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(o, "list");
    for (int i = 0; i < res->npasses; i++)
        cJSON_AddItemToArray(arr, pass_json(&res->passes[i], i));
    cb_quantiles bw;
    pass_bandwidths(res, &bw);
    cJSON_AddItemToObject(o, "ior_MBps", cb_quantiles_json(&bw));
    return o;
}

/* Printed when there is something to say: hints asked, or some reported. */
static void hints_text(const cb_result *res)
{
    if (res->hints_effective && (res->hints_effective->n || (res->hints_asked && res->hints_asked->n)))
        cb_hints_text(stdout, res->hints_asked, res->hints_effective);
}

static void http_text(const cb_net_summary *net)
{
    printf("http:         %lld requests, %lld retries, latency p50 %.4f p99 %.4f max %.4f s\n",
           (long long)net->requests, (long long)net->retries, net->latency.p50, net->latency.p99, net->latency.max);
}

/* Acknowledged (the last write answered) against recorded (the table saved
 * after the last close, which for a durable backend waited for storage):
 * what a user who needs the data safe waits for, and what is only fast. */
static int finish_known(const cb_result *res, const cb_pass *p)
{
    return p && p->tasks > 0 && p->last_done > 0 && res->recorded_at >= p->last_done;
}

static cJSON *finish_json(const cb_result *res, const cb_pass *p)
{
    cJSON *x = cJSON_CreateObject();
    double ack = p->last_done - p->open_start, rec = res->recorded_at - p->open_start;
    cJSON_AddNumberToObject(x, "acknowledged_s", ack);
    cJSON_AddNumberToObject(x, "acknowledged_MBps", mbps(p->bytes, ack));
    cJSON_AddNumberToObject(x, "recorded_s", rec);
    cJSON_AddNumberToObject(x, "recorded_MBps", mbps(p->bytes, rec));
    cJSON_AddNumberToObject(x, "wait_s", rec - ack);
    cJSON_AddBoolToObject(x, "durable", res->durable);
    return x;
}

static void finish_text(const cb_result *res, const cb_pass *p)
{
    if (!finish_known(res, p))
        return;
    double ack = p->last_done - p->open_start, rec = res->recorded_at - p->open_start;
    printf("finished:     acknowledged %.3f s (%.1f MB/s: the last write answered), %s %.3f s (%.1f MB/s), "
           "%.3f s later\n",
           ack, mbps(p->bytes, ack), res->durable ? "durable and recorded" : "recorded (not synced: --fsync)", rec,
           mbps(p->bytes, rec), rec - ack);
}

static void write_text(const cb_result *res)
{
    const cb_pass *last = cb_result_last(res);
    if (!last)
        return;
    if (res->stack)
        cb_provenance_text(stdout, res->stack);
    hints_text(res);
    printf("time split:   %.3f s generating values, %.3f s inside I/O calls (summed over %d writers)\n", last->gen_s,
           last->io_s, res->ranks);
    if (last->io_max_s > 0)
        printf("I/O only:     %.1f MB/s (bytes / the busiest writer's time inside I/O calls)\n",
               (double)last->bytes / last->io_max_s / CB_BYTES_PER_MB);
    finish_text(res, last);
    if (res->counter)
        printf("counter:      %s (the dynamic schedule's claims)\n", res->counter);
    if (res->tasks_per_call > 1 && last->io_calls > 0)
        printf("io calls:     %lld write calls for %lld tasks (%.1f tasks a call; up to %d joined into rectangles)\n",
               (long long)last->io_calls, (long long)last->tasks, (double)last->tasks / (double)last->io_calls,
               res->tasks_per_call);
    cb_coll_stats coll = coll_total(res);
    coll_text(&coll);
    if (last->deadline_s > 0 && last->deadline_hit)
        printf("deadline:     %g s reached: %lld tasks (%.1f MB, %.1f MB/s) done by it, %lld (%.1f MB/s) at the end, "
               "%.3f s later%s; the rest is pending\n",
               last->deadline_s, (long long)last->deadline_tasks, (double)last->deadline_bytes / CB_BYTES_PER_MB,
               mbps(last->deadline_bytes, last->deadline_s), (long long)last->tasks,
               mbps(last->bytes, last->last_done - last->first_start), deadline_tail(last),
               last->deadline_wearout ? " (wear-out: every rank to the busiest one's count)" : "");
    else if (last->deadline_s > 0)
        printf("deadline:     %g s not reached: every task was done before it\n", last->deadline_s);
    if (res->npasses > 1) {
        cb_quantiles bw;
        pass_bandwidths(res, &bw);
        printf("passes:       %d, IOR-style MB/s min %.1f  median %.1f  max %.1f\n", res->npasses, bw.min, bw.p50,
               bw.max);
    }
    if (res->http)
        http_text(&res->net);
    if (res->clock_skew_s > 1e-3)
        printf("clocks:       largest offset to rank 0 was %.4f s (corrected)\n", res->clock_skew_s);
    flush_stdout();
}

int cb_output_write(const cb_output_opts *o, const char *backend, const cb_table *tab, const cb_result *res,
                    int server, cb_err *err)
{
    cJSON *extra = cJSON_CreateObject();
    cJSON_AddItemToObject(extra, "passes", passes_json(res));
    if (res->counter)
        cJSON_AddStringToObject(extra, "counter", res->counter);
    if (res->tasks_per_call > 1)
        cJSON_AddNumberToObject(extra, "tasks_per_call", res->tasks_per_call);
    cb_coll_stats coll = coll_total(res);
    coll_add(extra, res, &coll);
    if (res->stack)
        cJSON_AddItemToObject(extra, "stack", cb_provenance_json(res->stack));
    if (res->hints_effective)
        cJSON_AddItemToObject(extra, "mpi_hints", cb_hints_json(res->hints_asked, res->hints_effective));
    if (server) {
        cJSON_AddNumberToObject(extra, "given_back", (double)res->net.given_back);
        cJSON_AddNumberToObject(extra, "left_in_progress", (double)res->left_in_progress);
    }
    if (res->http)
        cJSON_AddItemToObject(extra, "http", cb_net_json(&res->net));
    if (finish_known(res, cb_result_last(res)))
        cJSON_AddItemToObject(extra, "finish", finish_json(res, cb_result_last(res)));
    int rc = cb_emit_report(o, backend, tab, extra, !o->quiet, err);
    if (cb_output_prints(o))
        write_text(res);
    coll_warn(&coll);
    if (cb_stdout_check(err) < 0)
        rc = -1;
    return rc;
}

/* ---- verify ---- */

static cJSON *verify_json(const cb_output_opts *o, const char *backend, int64_t nverified, const cb_result *res)
{
    const cb_pass *p = cb_result_last(res);
    double span = p->close_end - p->open_start;
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(doc, "schema", CB_JSON_SCHEMA);
    cJSON_AddStringToObject(doc, "target", o->target);
    cJSON_AddStringToObject(doc, "backend", backend);
    cJSON_AddNumberToObject(doc, "tasks_verified", (double)nverified);
    cJSON_AddNumberToObject(doc, "bytes", (double)p->bytes);
    cJSON_AddNumberToObject(doc, "elapsed_s", span);
    cJSON_AddNumberToObject(doc, "read_MBps", mbps(p->bytes, span));
    cJSON_AddNumberToObject(doc, "check_s", p->gen_s);
    if (res->counter)
        cJSON_AddStringToObject(doc, "counter", res->counter);
    cJSON_AddItemToObject(doc, "mismatches", cb_mismatches_json(res->bad, res->nbad));
    coll_add(doc, res, &p->coll);
    if (res->http)
        cJSON_AddItemToObject(doc, "http", cb_net_json(&res->net));
    if (res->stack)
        cJSON_AddItemToObject(doc, "stack", cb_provenance_json(res->stack));
    if (res->hints_effective)
        cJSON_AddItemToObject(doc, "mpi_hints", cb_hints_json(res->hints_asked, res->hints_effective));
    return doc;
}

int cb_output_verify(const cb_output_opts *o, const char *backend, const cb_table *tab, int64_t nverified,
                     const cb_result *res, cb_err *err)
{
    const cb_pass *p = cb_result_last(res);
    if (!p)
        return cb_fail(err, CB_EIO, "verify: no pass to report");
    if (cb_output_prints(o)) {
        double span = p->close_end - p->open_start;
        printf("verified %lld complete tasks of %lld (%.1f MB) in %.3f s, %.1f MB/s read\n", (long long)nverified,
               (long long)tab->ntasks, (double)p->bytes / CB_BYTES_PER_MB, span, mbps(p->bytes, span));
        if (res->counter)
            printf("counter:      %s (the dynamic schedule's claims)\n", res->counter);
        coll_text(&p->coll);
        hints_text(res);
        cb_mismatches_text(stdout, tab->tasks, res->bad, res->nbad);
        printf("%s: %lld tasks with mismatches\n", res->nbad ? "FAILED" : "OK", (long long)res->nbad);
        flush_stdout();
    }
    coll_warn(&p->coll);
    if (!o->json_path)
        return cb_stdout_check(err);
    cJSON *doc = verify_json(o, backend, nverified, res);
    int rc = cb_json_save(o->json_path, doc, err);
    cJSON_Delete(doc);
    if (cb_stdout_check(err) < 0)
        rc = -1;
    return rc;
}

/* ---- read ---- */

const char *cb_output_numbered(const char *path, int k, int n, char *buf, size_t cap)
{
    if (!path || n == 1 || !strcmp(path, "-"))
        return path;
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        snprintf(buf, cap, "%s-%d", path, k + 1);
    else
        snprintf(buf, cap, "%.*s-%d%s", (int)(dot - path), path, k + 1, dot);
    return buf;
}

static cJSON *cache_json(const cb_read_info *ri, const cb_table *tab)
{
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "preset", ri->tuned ? "tuned" : "default");
    cJSON_AddNumberToObject(c, "chunk_cache_bytes", (double)ri->chunk_cache);
    cJSON_AddNumberToObject(c, "chunk_cache_slots", (double)ri->chunk_cache_slots);
    cJSON_AddNumberToObject(c, "page_buffer_bytes", (double)(ri->page_buffer > 0 ? ri->page_buffer : 0));
    cJSON_AddStringToObject(c, "page_buffer_by", ri->page_buffer_by ? ri->page_buffer_by : "none");
    cJSON_AddNumberToObject(c, "file_page_size", (double)tab->meta.page_size);
    if (ri->http_cache) {
        cJSON_AddStringToObject(c, "http_cache", ri->http_cache);
        cJSON_AddNumberToObject(c, "http_block_size", (double)ri->http_block);
    }
    return c;
}

/* read --pattern: the figures of its selections (those read: the records). */
typedef struct pattern_figures {
    int64_t read, elements;
    cb_quantiles latency;
    double data_per_sel, all_per_sel; /* requests a selection read; < 0: not logged */
} pattern_figures;

static int pattern_figures_of(const cb_table *tab, const cb_result *res, const cb_iolog_summary *sum,
                              pattern_figures *f)
{
    const cb_pass *p = cb_result_last(res);
    memset(f, 0, sizeof *f);
    f->read = res->nrecs;
    f->elements = tab->layout.elem_size ? p->bytes / tab->layout.elem_size : 0;
    double *v = malloc((size_t)(res->nrecs > 0 ? res->nrecs : 1) * sizeof *v);
    if (!v)
        return -1;
    for (int64_t k = 0; k < res->nrecs; k++)
        v[k] = res->recs[k].done - res->recs[k].start;
    cb_quantiles_of(v, res->nrecs, &f->latency);
    free(v);
    f->data_per_sel = f->all_per_sel = -1;
    if (res->logged && f->read > 0) {
        f->data_per_sel = (double)sum->data_requests / (double)f->read;
        f->all_per_sel = (double)sum->requests / (double)f->read;
    }
    return 0;
}

static cJSON *pattern_json(const cb_read_pattern *rp, const pattern_figures *f, int64_t bytes)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "spec", rp->spec);
    cJSON_AddStringToObject(o, "kind", rp->kind);
    cJSON_AddNumberToObject(o, "selections", (double)rp->selections);
    cJSON_AddNumberToObject(o, "selections_read", (double)f->read);
    cJSON_AddNumberToObject(o, "elements", (double)f->elements);
    cJSON_AddNumberToObject(o, "bytes", (double)bytes);
    if (rp->has_sum)
        cJSON_AddNumberToObject(o, "value_sum", rp->value_sum);
    else
        cJSON_AddNullToObject(o, "value_sum");
    cJSON_AddItemToObject(o, "latency_s", cb_quantiles_json(&f->latency));
    if (f->all_per_sel >= 0) {
        cJSON_AddNumberToObject(o, "requests_per_selection", f->all_per_sel);
        cJSON_AddNumberToObject(o, "data_requests_per_selection", f->data_per_sel);
    }
    return o;
}

static void pattern_text(const cb_read_pattern *rp, const pattern_figures *f, int64_t bytes)
{
    printf("pattern:      %s: %lld of %lld selections read, %lld elements, %lld bytes\n", rp->spec, (long long)f->read,
           (long long)rp->selections, (long long)f->elements, (long long)bytes);
    const cb_quantiles *q = &f->latency;
    printf("pattern (s):  min %.6f  p50 %.6f  p90 %.6f  p99 %.6f  max %.6f\n", q->min, q->p50, q->p90, q->p99, q->max);
    if (f->all_per_sel >= 0)
        printf("pattern reqs: %.2f requests a selection (%.2f of them raw data)\n", f->all_per_sel, f->data_per_sel);
    if (rp->has_sum)
        printf("value sum:    %.17g\n", rp->value_sum);
}

/* The keys a read run adds to the status document; NULL when out of memory. */
static cJSON *read_json(const cb_table *tab, const cb_result *res, const cb_read_info *ri,
                        const cb_iolog_summary *sum)
{
    const cb_pass *p = cb_result_last(res);
    cJSON *extra = cJSON_CreateObject();
    cJSON_AddStringToObject(extra, "dataset", ri->dataset);
    cJSON_AddStringToObject(extra, "driver", ri->driver);
    /* shared: one open of the file for all the read's datasets, this one's
     * time its turn in it (README "One open"); own: an open of its own. */
    cJSON_AddStringToObject(extra, "open", ri->one_open ? "shared" : "own");
    cJSON_AddItemToObject(extra, "cache", cache_json(ri, tab));
    cJSON_AddNumberToObject(extra, "read_bytes", (double)p->bytes);
    if (!ri->pattern) { /* a pattern read sums its values instead (pattern.value_sum) */
        char ck[24];    /* hex: a JSON number would lose the low bits of 64 */
        snprintf(ck, sizeof ck, "%016llx", (unsigned long long)p->checksum);
        cJSON_AddStringToObject(extra, "checksum", ck);
    }
    coll_add(extra, res, &p->coll);
    if (res->stack)
        cJSON_AddItemToObject(extra, "stack", cb_provenance_json(res->stack));
    if (res->hints_effective)
        cJSON_AddItemToObject(extra, "mpi_hints", cb_hints_json(res->hints_asked, res->hints_effective));
    if (res->logged) {
        cJSON *q = cb_iolog_json(sum, p->bytes);
        cJSON_AddItemToObject(extra, "requests", q);
        if (cb_iolog_ranges_json(q, res->reqs, res->nreqs, tab->meta.file_size) < 0) {
            cJSON_Delete(extra);
            return NULL;
        }
    }
    if (ri->pattern) {
        pattern_figures f;
        if (pattern_figures_of(tab, res, sum, &f) < 0) {
            cJSON_Delete(extra);
            return NULL;
        }
        cJSON_AddItemToObject(extra, "pattern", pattern_json(ri->pattern, &f, p->bytes));
    }
    cJSON *v = cJSON_AddObjectToObject(extra, "verify");
    cJSON_AddBoolToObject(v, "checked", ri->verify);
    cJSON_AddNumberToObject(v, "check_s", p->gen_s);
    cJSON_AddItemToObject(v, "mismatches", cb_mismatches_json(res->bad, res->nbad));
    if (res->http)
        cJSON_AddItemToObject(extra, "http", cb_net_json(&res->net));
    return extra;
}

static void read_text(const cb_table *tab, const cb_result *res, const cb_read_info *ri, const cb_iolog_summary *sum)
{
    const cb_pass *p = cb_result_last(res);
    char cc[64] = "HDF5 default (1 MiB)", pb[64] = "off";
    if (ri->chunk_cache >= 0)
        snprintf(cc, sizeof cc, "%lld bytes", (long long)ri->chunk_cache);
    if (ri->page_buffer > 0)
        snprintf(pb, sizeof pb, "%lld bytes (%s's)", (long long)ri->page_buffer,
                 ri->page_buffer_by && !strcmp(ri->page_buffer_by, "hdf5") ? "HDF5" : "chunkbench");
    if (ri->caches)
        printf("read:         %s, %s schedule, preset %s; chunk cache %s, page buffer %s, file page size %lld\n",
               ri->label, ri->schedule, ri->tuned ? "tuned" : "default", cc, pb, (long long)tab->meta.page_size);
    else
        printf("read:         %s, %s schedule\n", ri->label, ri->schedule);
    if (ri->http_cache)
        printf("curl cache:   %s, blocks of %lld bytes\n", ri->http_cache, (long long)ri->http_block);
    if (ri->one_open)
        printf("open:         one for the %d datasets; this one's time is its turn in it, %.3f s\n", ri->n,
               p->close_end - p->open_start);
    if (res->stack)
        cb_provenance_text(stdout, res->stack);
    hints_text(res);
    printf("time split:   %.3f s checking values, %.3f s inside I/O calls (summed over %d readers)\n", p->gen_s,
           p->io_s, res->ranks);
    if (res->logged)
        cb_iolog_text(stdout, sum, p->bytes);
    coll_text(&p->coll);
    pattern_figures f;
    if (ri->pattern && pattern_figures_of(tab, res, sum, &f) == 0)
        pattern_text(ri->pattern, &f, p->bytes);
    if (res->http)
        http_text(&res->net);
    if (ri->verify) {
        cb_mismatches_text(stdout, tab->tasks, res->bad, res->nbad);
        printf("verify:       %s: %lld tasks with mismatches\n", res->nbad ? "FAILED" : "OK", (long long)res->nbad);
    }
    flush_stdout();
}

int cb_output_read(const cb_output_opts *o0, const char *backend, const cb_table *tab, const cb_result *res,
                   const cb_read_info *ri, cb_err *err)
{
    if (!cb_result_last(res))
        return cb_fail(err, CB_EIO, "read: no pass to report");
    cb_iolog_summary sum;
    cb_iolog_summarize(res->reqs, res->nreqs, res->lost, &sum);
    cJSON *extra = read_json(tab, res, ri, &sum);
    if (!extra)
        return cb_fail(err, CB_EIO, "out of memory for the request list");
    char jb[4096], cb[4096], rb[4096], lb[4096];
    cb_output_opts o = *o0;
    o.json_path = cb_output_numbered(o0->json_path, ri->k, ri->n, jb, sizeof jb);
    o.csv_path = cb_output_numbered(o0->csv_path, ri->k, ri->n, cb, sizeof cb);
    o.report_path = cb_output_numbered(o0->report_path, ri->k, ri->n, rb, sizeof rb);
    o.log_path = cb_output_numbered(o0->log_path, ri->k, ri->n, lb, sizeof lb);
    int print = cb_output_prints(o0);
    if (print && ri->n > 1)
        printf("== dataset %d of %d: %s ==\n", ri->k + 1, ri->n, ri->dataset);
    int rc = cb_emit_report(&o, backend, tab, extra, print, err);
    if (rc == 0 && print)
        read_text(tab, res, ri, &sum);
    coll_warn(&cb_result_last(res)->coll);
    if (rc == 0 && o.log_path)
        rc = cb_iolog_csv(o.log_path, res->reqs, res->nreqs, err);
    if (cb_stdout_check(err) < 0)
        rc = -1;
    return rc;
}

int cb_output_read_total(const cb_output_opts *o, const cb_read_info *ri, const cb_read_part *parts, int n,
                         cb_err *err)
{
    int64_t bytes = 0, reqs = 0, rbytes = 0;
    int logged = 1;
    double sum_s = 0, first = 1e300, last = 0;
    cJSON *doc = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(doc, "datasets");
    for (int k = 0; k < n; k++) {
        const cb_read_part *p = &parts[k];
        bytes += p->bytes;
        logged = logged && p->requests >= 0;
        reqs += p->requests;
        rbytes += p->request_bytes;
        sum_s += p->close_end - p->open_start;
        first = p->open_start < first ? p->open_start : first;
        last = p->close_end > last ? p->close_end : last;
        cJSON *d = cJSON_CreateObject();
        char buf[4096], ck[24];
        snprintf(ck, sizeof ck, "%016llx", (unsigned long long)p->checksum);
        cJSON_AddStringToObject(d, "dataset", p->dataset);
        if (o->json_path && strcmp(o->json_path, "-"))
            cJSON_AddStringToObject(d, "json", cb_output_numbered(o->json_path, k, n, buf, sizeof buf));
        cJSON_AddNumberToObject(d, "read_bytes", (double)p->bytes);
        cJSON_AddStringToObject(d, "checksum", ck);
        cJSON_AddNumberToObject(d, "open_close_s", p->close_end - p->open_start);
        if (p->requests >= 0) {
            cJSON_AddNumberToObject(d, "requests", (double)p->requests);
            cJSON_AddNumberToObject(d, "request_bytes", (double)p->request_bytes);
        }
        cJSON_AddItemToArray(list, d);
    }
    cJSON_AddStringToObject(doc, "phase", "read_total");
    cJSON_AddStringToObject(doc, "target", o->target);
    cJSON_AddStringToObject(doc, "driver", ri->driver);
    if (ri->http_cache) {
        cJSON_AddStringToObject(doc, "http_cache", ri->http_cache);
        cJSON_AddNumberToObject(doc, "http_block_size", (double)ri->http_block);
    }
    cJSON_AddStringToObject(doc, "label", ri->label);
    cJSON_AddStringToObject(doc, "preset", ri->tuned ? "tuned" : "default");
    cJSON *t = cJSON_AddObjectToObject(doc, "total");
    cJSON_AddNumberToObject(t, "datasets", n);
    cJSON_AddNumberToObject(t, "read_bytes", (double)bytes);
    /* One open: the datasets' turns tile its open-to-close time, what the
     * seed times; one open each: each dataset's own open to close, summed. */
    double oc = ri->one_open ? last - first : sum_s;
    cJSON_AddNumberToObject(t, "opens", ri->one_open ? 1 : n);
    cJSON_AddNumberToObject(t, "open_close_s", oc);
    cJSON_AddNumberToObject(t, "wall_s", last - first);
    if (logged) {
        cJSON_AddNumberToObject(t, "requests", (double)reqs);
        cJSON_AddNumberToObject(t, "request_bytes", (double)rbytes);
    }
    int rc = 0;
    if (cb_output_prints(o)) {
        char rq[96] = "";
        if (logged)
            snprintf(rq, sizeof rq, "; %lld requests, %.3f MB requested", (long long)reqs, rbytes / 1e6);
        if (ri->one_open)
            printf("total:        %d datasets, %.3f MB read in %.3f s open to close (one open of the file)%s\n", n,
                   bytes / 1e6, oc, rq);
        else
            printf("total:        %d datasets, %.3f MB read in %.3f s open to close (summed over %d opens; %.3f s "
                   "first open to last close)%s\n",
                   n, bytes / 1e6, oc, n, last - first, rq);
    }
    if (o->json_path) {
        cb_outfile f;
        char *text = cJSON_Print(doc);
        if (!text)
            rc = cb_fail(err, CB_EIO, "out of memory for the total's JSON");
        else if ((rc = cb_outfile_open(&f, "--json", o->json_path, err)) == 0) {
            fputs(text, f.f);
            fputc('\n', f.f);
            rc = cb_outfile_commit(&f, err);
        }
        free(text);
    }
    cJSON_Delete(doc);
    if (cb_stdout_check(err) < 0)
        rc = -1;
    return rc;
}
