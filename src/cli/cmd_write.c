/* write: every pending task exactly once (or every task, N passes over), then
 * the task table and the report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/agree.h"
#include "core/clock.h"
#include "engine/share.h"
#include "cli/commands.h"

typedef struct pass_stats {
    double open_start, close_end, first_start, last_done, gen_s, io_s;
    int64_t bytes, tasks;
    double io_max_s; /* the longest time one rank spent inside I/O calls */
} pass_stats;

/* Collective: one pass's figures over all ranks. */
static void reduce_pass(const cb_phase_out *o, MPI_Comm comm, pass_stats *p)
{
    double lo[2] = {o->open_start, 1e300}, hi[2] = {o->close_end, 0}, sum[2] = {o->gen_s, o->io_s};
    for (int64_t i = 0; i < o->nrecs; i++) {
        if (o->recs[i].start < lo[1]) lo[1] = o->recs[i].start;
        if (o->recs[i].done > hi[1]) hi[1] = o->recs[i].done;
    }
    int64_t cnt[2] = {o->bytes, o->nrecs};
    double rlo[2], rhi[2], rsum[2];
    int64_t rcnt[2];
    MPI_Allreduce(lo, rlo, 2, MPI_DOUBLE, MPI_MIN, comm);
    MPI_Allreduce(hi, rhi, 2, MPI_DOUBLE, MPI_MAX, comm);
    MPI_Allreduce(sum, rsum, 2, MPI_DOUBLE, MPI_SUM, comm);
    MPI_Allreduce(cnt, rcnt, 2, MPI_INT64_T, MPI_SUM, comm);
    double io_max;
    MPI_Allreduce(&o->io_s, &io_max, 1, MPI_DOUBLE, MPI_MAX, comm);
    *p = (pass_stats){rlo[0], rhi[0], rcnt[1] ? rlo[1] : 0, rhi[1], rsum[0], rsum[1], rcnt[0], rcnt[1], io_max};
}

static cJSON *passes_json(const pass_stats *p, int n, cb_quantiles *bw)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(o, "list");
    double *mbps = malloc((size_t)n * sizeof *mbps);
    for (int i = 0; i < n; i++) {
        double span = p[i].close_end - p[i].open_start;
        mbps[i] = span > 0 ? (double)p[i].bytes / span / 1e6 : 0;
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "pass", i + 1);
        cJSON_AddNumberToObject(x, "tasks", (double)p[i].tasks);
        cJSON_AddNumberToObject(x, "bytes", (double)p[i].bytes);
        cJSON_AddNumberToObject(x, "open_start", p[i].open_start);
        cJSON_AddNumberToObject(x, "close_end", p[i].close_end);
        cJSON_AddNumberToObject(x, "first_start", p[i].first_start);
        cJSON_AddNumberToObject(x, "last_done", p[i].last_done);
        cJSON_AddNumberToObject(x, "ior_MBps", mbps[i]);
        double ph = p[i].last_done - p[i].first_start;
        cJSON_AddNumberToObject(x, "write_phase_MBps", ph > 0 ? (double)p[i].bytes / ph / 1e6 : 0);
        cJSON_AddNumberToObject(x, "gen_s", p[i].gen_s);
        cJSON_AddNumberToObject(x, "io_s", p[i].io_s);
        /* Storage speed without value generation: bytes / the busiest rank's I/O time. */
        cJSON_AddNumberToObject(x, "io_max_s", p[i].io_max_s);
        cJSON_AddNumberToObject(x, "io_only_MBps", p[i].io_max_s > 0 ? (double)p[i].bytes / p[i].io_max_s / 1e6 : 0);
        cJSON_AddItemToArray(arr, x);
    }
    cb_quantiles_of(mbps, n, bw);
    free(mbps);
    cJSON *q = cb_quantiles_json(bw);
    cJSON_AddItemToObject(o, "ior_MBps", q);
    return o;
}

int cmd_write(const cb_config *cfg, MPI_Comm comm, cb_err *err)
{
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    const cb_backend *be = cb_backend_for(cfg->target);
    cb_table tab;
    cb_task *tasks = NULL;
    int64_t *index = NULL, ntasks = 0;
    cb_err local = {0};
    if (cb_share_tasks(cfg, be, cfg->rewrite ? CB_SHARE_ALL : CB_PENDING, comm, &tab, &tasks, &index, &ntasks, err) < 0)
        return -1;

    /* The values must stay verifiable: one seed per dataset. */
    uint64_t seed = cfg->seed_given ? cfg->seed : tab.meta.seed >= 0 ? (uint64_t)tab.meta.seed : 1;
    int64_t done_before = 0;
    if (rank == 0)
        for (int64_t i = 0; i < tab.ntasks; i++)
            done_before += tab.tasks[i].status == CB_COMPLETE;
    MPI_Bcast(&done_before, 1, MPI_INT64_T, 0, comm);
    if (cfg->seed_given && tab.meta.seed >= 0 && (uint64_t)tab.meta.seed != cfg->seed && done_before > 0 &&
        !(cfg->rewrite && !cfg->max_tasks))
        cb_fail(&local, CB_EUSAGE,
                "%s holds %lld tasks written with seed %lld; write the rest with --seed %lld, or rewrite all with --rewrite",
                cfg->target, (long long)done_before, (long long)tab.meta.seed, (long long)tab.meta.seed);
    if (cb_agree(comm, &local) < 0)
        goto fail;

    char pod[CB_POD_LEN + 1];
    cb_pod_name(rank, cfg->sched == CB_SCHED_SERVER, pod);
    double offset = cb_clock_offset(comm), skew = 0, abs_off = offset < 0 ? -offset : offset;
    MPI_Reduce(&abs_off, &skew, 1, MPI_DOUBLE, MPI_MAX, 0, comm);
    cb_phase_opts po = {.writing = 1, .seed = seed, .sched = cfg->sched, .max_tasks = cfg->max_tasks,
                        .lease_s = cfg->lease_s, .pod = pod, .clock_offset = offset,
                        .progress = cb_progress_wanted(cfg), .progress_interval = cb_progress_interval()};
    pass_stats *passes = calloc((size_t)cfg->iterations, sizeof *passes);
    cb_phase_out out = {0};
    for (int p = 0; p < cfg->iterations; p++) {
        cb_phase_out_free(&out);
        if (cb_phase_run(cfg, be, tasks, index, ntasks, &po, comm, &out, &local) < 0)
            break;
        reduce_pass(&out, comm, &passes[p]);
        if (rank == 0 && !cfg->quiet && cfg->iterations > 1) {
            double span = passes[p].close_end - passes[p].open_start;
            printf("pass %d/%d: %lld tasks, %.1f MB in %.3f s, %.1f MB/s (first open to last close)\n", p + 1,
                   cfg->iterations, (long long)passes[p].tasks, (double)passes[p].bytes / 1e6, span,
                   span > 0 ? (double)passes[p].bytes / span / 1e6 : 0);
            fflush(stdout);
        }
    }
    /* A failed pass still leaves the tasks that were written: record those. */
    cb_rec *recs = NULL;
    char *pods = NULL;
    int *owner = NULL;
    int64_t nrecs = 0;
    cb_err gerr = {0};
    cb_gather_recs(&out, pod, comm, &recs, &nrecs, &pods, &owner, &gerr);
    cb_net_summary net;
    cb_gather_net(&out, comm, &net);
    const pass_stats *last = &passes[cfg->iterations - 1];
    int npasses = cfg->iterations;
    if (local.code) {
        /* Keep the figures of the passes that finished. */
        npasses = 0;
        while (npasses < cfg->iterations && passes[npasses].close_end > 0)
            npasses++;
        last = npasses ? &passes[npasses - 1] : NULL;
    }

    if (rank == 0 && !gerr.code) {
        int64_t *changed = malloc((nrecs ? (size_t)nrecs : 1) * sizeof *changed);
        for (int64_t k = 0; k < nrecs; k++) {
            cb_task *t = &tab.tasks[recs[k].index];
            changed[k] = recs[k].index;
            if (cfg->sched == CB_SCHED_SERVER)
                continue; /* the server's table already holds these rows */
            t->start = recs[k].start;
            t->done = recs[k].done;
            t->status = CB_COMPLETE;
            snprintf(t->pod, sizeof t->pod, "%s", pods + (size_t)owner[k] * (CB_POD_LEN + 1));
        }
        tab.meta.seed = (int64_t)seed;
        if (last) {
            tab.meta.open_start = last->open_start;
            tab.meta.close_end = last->close_end;
            tab.meta.gen_s = last->gen_s;
            tab.meta.io_s = last->io_s;
        }
        tab.meta.clock_skew_s = skew;
        tab.meta.writers = size;
        snprintf(tab.meta.schedule, sizeof tab.meta.schedule, "%s", cb_sched_name(cfg->sched));
        snprintf(tab.meta.io, sizeof tab.meta.io, "%s", cb_io_name(cfg->io));
        tab.meta.requests = net.requests;
        tab.meta.retries = net.retries;
        if (!tab.meta.version[0])
            snprintf(tab.meta.version, sizeof tab.meta.version, "%s", CB_VERSION_STRING);
        int64_t nchanged = cfg->sched == CB_SCHED_SERVER ? 0 : nrecs;
        cb_err lerr = {0};
        be->save_table(cfg, &tab, changed, nchanged, &gerr);
        /* Report the server's table as it is now: other writers add to it,
         * and a restart may have sent tasks back to pending (the run still
         * gets its report, then the error). */
        if (!gerr.code ? cfg->sched == CB_SCHED_SERVER : gerr.code == CB_EPENDING) {
            cb_table_free(&tab);
            be->load_table(cfg, &tab, &lerr);
        }
        if (!gerr.code)
            gerr = lerr;
        free(changed);
        if (!gerr.code && net.given_back > 0)
            cb_fail(&gerr, CB_EPENDING,
                    "the server restarted during the run and may have lost the data of %lld tasks written by this run: "
                    "they were given back as pending; run chunkbench write %s again to finish them",
                    (long long)net.given_back, cfg->target);
        if ((!gerr.code || gerr.code == CB_EPENDING) && !lerr.code && !local.code) {
            cJSON *extra = cJSON_CreateObject();
            cb_quantiles bw;
            cJSON_AddItemToObject(extra, "passes", passes_json(passes, npasses, &bw));
            if (out.counter)
                cJSON_AddStringToObject(extra, "counter", out.counter);
            if (cfg->sched == CB_SCHED_SERVER)
                cJSON_AddNumberToObject(extra, "given_back", (double)net.given_back);
            if (!strcmp(be->name, "hsds"))
                cJSON_AddItemToObject(extra, "http", cb_net_json(&net));
            int print = !cfg->quiet;
            cb_err rerr = {0};
            if (cb_emit_report(cfg, be->name, &tab, extra, print, &rerr) < 0)
                gerr = rerr;
            if (print && !(cfg->json_path && !strcmp(cfg->json_path, "-"))) {
                printf("time split:   %.3f s generating values, %.3f s inside I/O calls (summed over %d writers)\n",
                       last->gen_s, last->io_s, size);
                if (last->io_max_s > 0)
                    printf("I/O only:     %.1f MB/s (bytes / the busiest writer's time inside I/O calls)\n",
                           (double)last->bytes / last->io_max_s / 1e6);
                if (out.counter)
                    printf("counter:      %s (the dynamic schedule's claims)\n", out.counter);
                if (npasses > 1)
                    printf("passes:       %d, IOR-style MB/s min %.1f  median %.1f  max %.1f\n", npasses, bw.min,
                           bw.p50, bw.max);
                if (!strcmp(be->name, "hsds"))
                    printf("http:         %lld requests, %lld retries, latency p50 %.4f p99 %.4f max %.4f s\n",
                           (long long)net.requests, (long long)net.retries, net.latency.p50, net.latency.p99,
                           net.latency.max);
                if (skew > 1e-3)
                    printf("clocks:       largest offset to rank 0 was %.4f s (corrected)\n", skew);
                fflush(stdout);
            }
        }
    }
    free(recs);
    free(pods);
    free(owner);
    free(passes);
    cb_phase_out_free(&out);
    if (!local.code)
        local = gerr;
    if (cb_agree(comm, &local) < 0)
        goto fail;
    free(tasks);
    free(index);
    cb_table_free(&tab);
    return 0;
fail:
    *err = local;
    free(tasks);
    free(index);
    cb_table_free(&tab);
    return -1;
}
