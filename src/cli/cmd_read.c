/* read: a timed read of the dataset (or of named datasets), task by task,
 * with a chosen driver and cache settings, reporting tasks as write does and
 * every storage request the driver made. It never writes to the target. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/agree.h"
#include "engine/hosts.h"
#include "core/clock.h"
#include "engine/share.h"
#include "cli/commands.h"

/* The seed's optimised h5py settings (page_buf_size, rdcc_nbytes). */
#define TUNED_PAGE_BUFFER ((int64_t)16 << 20)
#define TUNED_CHUNK_CACHE ((int64_t)4 << 20)

/* "out.json" -> "out-2.json" when several datasets are read, one file each. */
static const char *numbered(const char *path, int k, int n, char *buf, size_t cap)
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

/* The caches a run uses: explicit options first, then the preset. */
static int resolve_tuning(cb_config *cfg, const cb_meta *meta, int hsds, cb_err *err)
{
    if (hsds)
        return 0;
    if (cfg->preset == CB_PRESET_TUNED) {
        if (cfg->chunk_cache < 0)
            cfg->chunk_cache = TUNED_CHUNK_CACHE;
        /* The page buffer helps only a paged file, and 1.10 has it only off MPI-IO. */
        if (cfg->page_buffer < 0 && meta->page_size > 0 && cfg->driver != CB_DRIVER_MPIO)
            cfg->page_buffer = TUNED_PAGE_BUFFER > meta->page_size ? TUNED_PAGE_BUFFER : meta->page_size;
    }
    if (cfg->page_buffer > 0) {
        if (meta->page_size == 0)
            return cb_fail(err, CB_EUSAGE,
                           "--page-buffer needs a paged file, and %s is not paged (make one with chunkbench create --page-size)",
                           cfg->target);
        if (cfg->page_buffer < meta->page_size)
            return cb_fail(err, CB_EUSAGE, "--page-buffer must be at least the file's page size (%lld bytes), got %lld",
                           (long long)meta->page_size, (long long)cfg->page_buffer);
    }
    return 0;
}

static const char *io_label(const cb_config *cfg, int hsds, char *buf, size_t cap)
{
    if (hsds)
        return "http";
    if (cfg->driver != CB_DRIVER_MPIO)
        return cb_driver_name(cfg->driver);
    static const char *short_io[] = {"indep", "coll", "direct"};
    snprintf(buf, cap, "mpio-%s", short_io[cfg->io]);
    return buf;
}

typedef struct read_result {
    double open_start, close_end, check_s, io_s;
    int64_t bytes;
} read_result;

/* Rank 0: the report of one dataset's read. */
static int emit(const cb_config *cfg, const cb_backend *be, const cb_table *src, const cb_task *tasks, int64_t ntasks,
                const cb_layout *tl, const read_result *r, const cb_rec *recs, int64_t nrecs, const char *pods,
                const int *owner, const cb_mismatch *bad, int64_t nbad, const cb_net_summary *net,
                const cb_ioreq *reqs, int64_t nreqs, int64_t lost, int logged, int k, int n, const cb_provenance *prov,
                cb_err *err)
{
    int hsds = !strcmp(be->name, "hsds");
    cb_table tab = {0};
    tab.layout = src->layout;
    tab.layout.iter = tl->iter;
    tab.meta = src->meta;
    tab.ntasks = ntasks;
    if (!(tab.tasks = malloc((ntasks ? (size_t)ntasks : 1) * sizeof *tab.tasks)))
        return cb_fail(err, CB_EIO, "out of memory");
    for (int64_t i = 0; i < ntasks; i++) {
        tab.tasks[i] = tasks[i];
        tab.tasks[i].status = CB_PENDING; /* not read in this run, until a record says so */
        tab.tasks[i].start = tab.tasks[i].done = 0;
        tab.tasks[i].pod[0] = 0;
    }
    for (int64_t j = 0; j < nrecs; j++) {
        cb_task *t = &tab.tasks[recs[j].index];
        t->start = recs[j].start;
        t->done = recs[j].done;
        t->status = CB_COMPLETE;
        snprintf(t->pod, sizeof t->pod, "%s", pods + (size_t)owner[j] * (CB_POD_LEN + 1));
    }
    int size;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    char iob[24];
    tab.meta.open_start = r->open_start;
    tab.meta.close_end = r->close_end;
    tab.meta.gen_s = r->check_s;
    tab.meta.io_s = r->io_s;
    tab.meta.writers = size;
    tab.meta.requests = net->requests;
    tab.meta.retries = net->retries;
    snprintf(tab.meta.schedule, sizeof tab.meta.schedule, "%s", cb_sched_name(cfg->sched));
    snprintf(tab.meta.io, sizeof tab.meta.io, "%.15s", io_label(cfg, hsds, iob, sizeof iob));
    snprintf(tab.meta.phase, sizeof tab.meta.phase, "read");

    cb_iolog_summary sum;
    cb_iolog_summarize(reqs, nreqs, lost, &sum);
    cJSON *extra = cJSON_CreateObject();
    cJSON_AddStringToObject(extra, "dataset", cfg->dataset ? cfg->dataset : "dset");
    cJSON_AddStringToObject(extra, "driver", hsds ? "hsds" : cb_driver_name(cfg->driver));
    cJSON *c = cJSON_AddObjectToObject(extra, "cache");
    cJSON_AddStringToObject(c, "preset", cfg->preset == CB_PRESET_TUNED ? "tuned" : "default");
    cJSON_AddNumberToObject(c, "chunk_cache_bytes", (double)cfg->chunk_cache);
    cJSON_AddNumberToObject(c, "chunk_cache_slots", (double)cfg->chunk_cache_slots);
    cJSON_AddNumberToObject(c, "page_buffer_bytes", (double)(cfg->page_buffer > 0 ? cfg->page_buffer : 0));
    cJSON_AddNumberToObject(c, "file_page_size", (double)src->meta.page_size);
    cJSON_AddNumberToObject(extra, "read_bytes", (double)r->bytes);
    cJSON_AddItemToObject(extra, "stack", cb_provenance_json(prov));
    if (logged) {
        cJSON *q = cb_iolog_json(&sum, r->bytes);
        cJSON_AddItemToObject(extra, "requests", q);
        if (cb_iolog_ranges_json(q, reqs, nreqs, src->meta.file_size) < 0) {
            cJSON_Delete(extra);
            cb_table_free(&tab);
            return cb_fail(err, CB_EIO, "out of memory for the request list");
        }
    }
    cJSON *v = cJSON_AddObjectToObject(extra, "verify");
    cJSON_AddBoolToObject(v, "checked", cfg->verify);
    cJSON_AddNumberToObject(v, "check_s", r->check_s);
    cJSON_AddItemToObject(v, "mismatches", cb_mismatches_json(bad, nbad));
    if (hsds)
        cJSON_AddItemToObject(extra, "http", cb_net_json(net));

    char jb[4096], cb[4096], rb[4096], lb[4096];
    cb_config out = *cfg;
    out.json_path = numbered(cfg->json_path, k, n, jb, sizeof jb);
    out.csv_path = numbered(cfg->csv_path, k, n, cb, sizeof cb);
    out.report_path = numbered(cfg->report_path, k, n, rb, sizeof rb);
    int print = !cfg->quiet && !(cfg->json_path && !strcmp(cfg->json_path, "-"));
    if (print && n > 1)
        printf("== dataset %d of %d: %s ==\n", k + 1, n, cfg->dataset ? cfg->dataset : "dset");
    int rc = cb_emit_report(&out, be->name, &tab, extra, print, err);
    if (rc == 0 && print) {
        char cc[64] = "HDF5 default (1 MiB)", pb[64] = "off";
        if (cfg->chunk_cache >= 0)
            snprintf(cc, sizeof cc, "%lld bytes", (long long)cfg->chunk_cache);
        if (cfg->page_buffer > 0)
            snprintf(pb, sizeof pb, "%lld bytes", (long long)cfg->page_buffer);
        printf("read:         %s, %s schedule, preset %s; chunk cache %s, page buffer %s, file page size %lld\n",
               hsds ? "hsds" : io_label(cfg, 0, iob, sizeof iob), cb_sched_name(cfg->sched),
               cfg->preset == CB_PRESET_TUNED ? "tuned" : "default", cc, pb, (long long)src->meta.page_size);
        cb_provenance_text(stdout, prov);
        printf("time split:   %.3f s checking values, %.3f s inside I/O calls (summed over %d readers)\n", r->check_s,
               r->io_s, size);
        if (logged)
            cb_iolog_text(stdout, &sum, r->bytes);
        if (hsds)
            printf("http:         %lld requests, %lld retries, latency p50 %.4f p99 %.4f max %.4f s\n",
                   (long long)net->requests, (long long)net->retries, net->latency.p50, net->latency.p99,
                   net->latency.max);
        if (cfg->verify) {
            cb_mismatches_text(stdout, tab.tasks, bad, nbad);
            printf("verify:       %s: %lld tasks with mismatches\n", nbad ? "FAILED" : "OK", (long long)nbad);
        }
        fflush(stdout);
    }
    if (rc == 0 && cfg->log_path)
        rc = cb_iolog_csv(numbered(cfg->log_path, k, n, lb, sizeof lb), reqs, nreqs, err);
    cb_table_free(&tab);
    return rc;
}

/* MPI-IO requests do not say what HDF5 read them for (mpiio_log.h): those
 * inside the dataset's stored chunks, or its contiguous storage, by HDF5's
 * own index, are raw data; the rest metadata. Rank 0, after the phase. */
static int classify(const cb_config *cfg, const cb_backend *be, cb_ioreq *reqs, int64_t n, cb_err *err)
{
    if (!be->raw_extents)
        return 0;
    cb_extent *ext = NULL;
    int64_t next = 0;
    if (be->raw_extents(cfg, &ext, &next, err) < 0)
        return cb_wrap(err, "classifying the MPI-IO requests");
    cb_iolog_classify(reqs, n, ext, &next);
    free(ext);
    return 0;
}

/* Rank 0 learns what to read; every rank gets it. */
static int learn(const cb_config *cfg, const cb_backend *be, MPI_Comm comm, cb_table *src, cb_err *err)
{
    int rank;
    MPI_Comm_rank(comm, &rank);
    cb_err local = {0};
    memset(src, 0, sizeof *src);
    if (rank == 0) {
        if (!cfg->dataset) {
            if (be->load_table(cfg, src, &local) == 0 && cfg->verify) {
                int64_t pending = 0;
                for (int64_t i = 0; i < src->ntasks; i++)
                    pending += src->tasks[i].status != CB_COMPLETE;
                if (src->meta.seed < 0)
                    cb_fail(&local, CB_EUSAGE,
                            "%s was not written by chunkbench (it has no seed attribute): --verify has nothing to check against",
                            cfg->target);
                else if (pending)
                    cb_fail(&local, CB_EUSAGE,
                            "--verify needs a fully written dataset, and %lld of %lld tasks of %s are not written; write them, or use chunkbench verify (complete tasks only)",
                            (long long)pending, (long long)src->ntasks, cfg->target);
            }
        } else if (!be->describe) {
            cb_fail(&local, CB_EUSAGE, "the %s backend reads dset only; name no datasets", be->name);
        } else {
            be->describe(cfg, cfg->dataset, src, &local);
        }
    }
    if (cb_agree(comm, &local) < 0) {
        cb_table_free(src);
        *err = local;
        return -1;
    }
    MPI_Bcast(&src->layout, sizeof src->layout, MPI_BYTE, 0, comm);
    MPI_Bcast(&src->meta, sizeof src->meta, MPI_BYTE, 0, comm);
    return 0;
}

static int read_one(const cb_config *cfg0, const cb_backend *be, int k, int n, const cb_provenance *prov, MPI_Comm comm,
                    cb_err *err)
{
    int rank;
    MPI_Comm_rank(comm, &rank);
    int hsds = !strcmp(be->name, "hsds");
    cb_config cfg = *cfg0;
    cb_table src;
    if (learn(&cfg, be, comm, &src, err) < 0)
        return -1;
    cb_err local = {0};
    /* The open reads pages of the file's own size (the page buffer's unit). */
    cfg.page_size = src.meta.page_size;
    resolve_tuning(&cfg, &src.meta, hsds, &local);

    /* The tasks: the file's own grid, or --iter's; named datasets by row blocks. */
    cb_layout tl = src.layout;
    if (cfg.iter_given)
        tl.iter = cfg.iter;
    if (cfg.dataset && tl.iter == CB_ITER_BLOCK)
        tl.chunk[1] = tl.shape[1];
    int64_t ntasks = local.code ? 0 : cb_task_count(&tl);
    if (ntasks < 0)
        cb_fail(&local, CB_EUSAGE, "too many tasks for this layout; use --iter block");
    cb_task *tasks = malloc((ntasks > 0 ? (size_t)ntasks : 1) * sizeof *tasks);
    int64_t *index = malloc((ntasks > 0 ? (size_t)ntasks : 1) * sizeof *index);
    if (!tasks || !index)
        cb_fail(&local, CB_EIO, "out of memory for %lld tasks", (long long)ntasks);
    else if (!local.code) {
        cb_tasks_make(&tl, tasks);
        for (int64_t i = 0; i < ntasks; i++)
            index[i] = i;
    }
    if (cb_agree(comm, &local) < 0)
        goto out;

    char pod[CB_POD_LEN + 1];
    cb_pod_name(rank, 0, pod);
    double offset = cb_clock_offset(comm);
    cb_phase_opts po = {.writing = 0, .verify = cfg.verify, .seed = (uint64_t)src.meta.seed, .sched = cfg.sched,
                        .max_tasks = cfg.max_tasks, .pod = pod, .clock_offset = offset,
                        .progress = cb_progress_wanted(&cfg), .progress_interval = cb_progress_interval()};
    cb_phase_out o;
    if (cb_phase_run(&cfg, be, tasks, index, ntasks, &po, comm, &o, &local) < 0)
        goto out;
    /* The driver stamped requests with this rank's clock: put them on rank 0's. */
    for (int64_t i = 0; o.iolog && i < o.iolog->n; i++) {
        o.iolog->v[i].start -= offset;
        o.iolog->v[i].end -= offset;
    }
    read_result r;
    MPI_Reduce(&o.open_start, &r.open_start, 1, MPI_DOUBLE, MPI_MIN, 0, comm);
    MPI_Reduce(&o.close_end, &r.close_end, 1, MPI_DOUBLE, MPI_MAX, 0, comm);
    MPI_Reduce(&o.gen_s, &r.check_s, 1, MPI_DOUBLE, MPI_SUM, 0, comm);
    MPI_Reduce(&o.io_s, &r.io_s, 1, MPI_DOUBLE, MPI_SUM, 0, comm);
    MPI_Reduce(&o.bytes, &r.bytes, 1, MPI_INT64_T, MPI_SUM, 0, comm);
    cb_rec *recs = NULL;
    char *pods = NULL;
    int *owner = NULL;
    int64_t nrecs = 0, nbad = 0, nreqs = 0, lost = 0;
    cb_mismatch *bad = NULL;
    cb_ioreq *reqs = NULL;
    int logged = 0;
    cb_net_summary net;
    cb_gather_recs(&o, pod, comm, &recs, &nrecs, &pods, &owner, &local);
    cb_gather_bad(&o, comm, &bad, &nbad, &local);
    cb_gather_iolog(&o, comm, &reqs, &nreqs, &lost, &logged, &local);
    cb_gather_net(&o, comm, &net);
    cb_phase_out_free(&o);
    if (rank == 0 && !local.code && logged && !hsds && cfg.driver == CB_DRIVER_MPIO)
        classify(&cfg, be, reqs, nreqs, &local);
    if (rank == 0 && !local.code) {
        if (emit(&cfg, be, &src, tasks, ntasks, &tl, &r, recs, nrecs, pods, owner, bad, nbad, &net, reqs, nreqs, lost,
                 logged, k, n, prov, &local) == 0 &&
            nbad)
            cb_fail(&local, CB_EVERIFY, "%lld of %lld tasks differ from the generated values", (long long)nbad,
                    (long long)nrecs);
    }
    free(recs);
    free(pods);
    free(owner);
    free(bad);
    free(reqs);
    cb_agree(comm, &local);
out:
    free(tasks);
    free(index);
    cb_table_free(&src);
    if (local.code) {
        *err = local;
        return -1;
    }
    return 0;
}

int cmd_read(const cb_config *cfg, MPI_Comm comm, cb_err *err)
{
    const cb_backend *be = cb_backend_for(cfg->target);
    cb_config c = *cfg;
    int n = cfg->ndatasets ? cfg->ndatasets : 1;
    cb_provenance prov;
    if (cb_provenance_gather(comm, cfg->target, &prov, err) < 0)
        return -1;
    for (int k = 0; k < n; k++) {
        const char *name = cfg->ndatasets ? cfg->datasets[k] : NULL;
        /* Naming chunkbench's own dataset reads it as a chunkbench file (its
         * tasks, seed and --verify), when the file is one. */
        c.dataset = name && strcmp(name, "dset") && strcmp(name, "/dset") ? name : NULL;
        if (read_one(&c, be, k, n, &prov, comm, err) < 0)
            return -1;
    }
    return 0;
}
