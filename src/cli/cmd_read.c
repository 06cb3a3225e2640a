/* read: a timed read of the dataset (or of named datasets), task by task,
 * with a chosen driver and cache settings, reporting tasks as write does and
 * every storage request the driver made. It never writes to the target. */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/agree.h"
#include "engine/host_shift.h"
#include "engine/hosts.h"
#include "core/clock.h"
#include "engine/gather.h"
#include "engine/share.h"
#include "engine/target_lock.h"
#include "cli/commands.h"
#include "core/h5features.h"
#include "core/mpi_err.h"

/* The seed's optimised h5py settings (page_buf_size, rdcc_nbytes). */
#define TUNED_PAGE_BUFFER ((int64_t)16 << 20)
#define TUNED_CHUNK_CACHE ((int64_t)4 << 20)

/* The caches a run uses: explicit options first, then the preset. */
static int resolve_tuning(cb_config *cfg, const cb_meta *meta, const cb_backend *be, cb_err *err)
{
    if (!(be->caps & CB_CAP_FILE_DRIVERS))
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
        if (cfg->page_buffer_by == CB_PB_AUTO)
            cfg->page_buffer_by = cb_h5_at_least(CB_H5_PAGE_BUFFER_SOLO) ? CB_PB_HDF5 : CB_PB_CHUNKBENCH;
    }
    return 0;
}

static const char *io_label(const cb_config *cfg, const cb_backend *be, char *buf, size_t cap)
{
    if (be->transport)
        return be->transport;
    if (cfg->driver == CB_DRIVER_CURL) {
        /* The cache type decides the requests as much as the driver: curl-blockcache, ... */
        snprintf(buf, cap, "curl-%s", cb_http_cache_name(cfg->http_cache));
        return buf;
    }
    if (cfg->driver != CB_DRIVER_MPIO)
        return cb_driver_name(cfg->driver);
    static const char *short_io[] = {"indep", "coll", "direct"};
    snprintf(buf, cap, "mpio-%s", short_io[cfg->io]);
    return buf;
}

/* Rank 0: the table a read reports, the tasks of this read (complete
 * meaning read, by whom and when), with the run's figures in its metadata. */
static int read_table(const cb_config *cfg, const cb_backend *be, const cb_table *src, const cb_task *tasks, int64_t ntasks,
                      const cb_layout *tl, const cb_result *res, cb_table *tab, cb_err *err)
{
    memset(tab, 0, sizeof *tab);
    tab->layout = src->layout;
    tab->layout.iter = tl->iter;
    tab->meta = src->meta;
    tab->ntasks = ntasks;
    if (!(tab->tasks = malloc((ntasks ? (size_t)ntasks : 1) * sizeof *tab->tasks)))
        return cb_fail(err, CB_EIO, "out of memory");
    for (int64_t i = 0; i < ntasks; i++) {
        tab->tasks[i] = tasks[i];
        tab->tasks[i].status = CB_PENDING; /* not read in this run, until a record says so */
        tab->tasks[i].start = tab->tasks[i].done = 0;
        tab->tasks[i].pod[0] = 0;
    }
    cb_result_apply(res, tab->tasks);
    cb_result_meta(res, &tab->meta);
    char iob[24];
    snprintf(tab->meta.schedule, sizeof tab->meta.schedule, "%s", cb_sched_name(cfg->sched));
    snprintf(tab->meta.io, sizeof tab->meta.io, "%.15s", io_label(cfg, be, iob, sizeof iob));
    snprintf(tab->meta.phase, sizeof tab->meta.phase, "read");
    return 0;
}

/* Rank 0, a filtered dset: the bytes in storage of the chunks the read's
 * complete tasks cover (each chunk once, as HDF5 reads a chunk whole to
 * unfilter it), from each chunk's size as the file has it. */
static int stored_read(const cb_store_opts *so, const cb_backend *be, cb_table *tab, cb_err *err)
{
    const unsigned need = CB_CAP_STORED_BYTES | CB_CAP_CHUNK_STORED;
    if (!tab->meta.filters[0] || (be->caps & need) != need || be->stored_bytes(so, tab, err) < 0)
        return tab->meta.filters[0] && (be->caps & need) == need ? -1 : 0;
    if (!tab->chunk_stored)
        return 0;
    const cb_layout *l = &tab->layout;
    int64_t gc = tab->chunk_grid[1], n = tab->chunk_grid[0] * gc;
    unsigned char *seen = calloc((size_t)(n > 0 ? n : 1), 1);
    if (!seen)
        return cb_fail(err, CB_EIO, "out of memory");
    int64_t sum = 0;
    for (int64_t i = 0; i < tab->ntasks; i++) {
        const cb_task *t = &tab->tasks[i];
        if (t->status != CB_COMPLETE || t->nrow < 1 || t->ncol < 1)
            continue;
        for (int64_t r = t->x / l->chunk[0]; r <= (t->x + t->nrow - 1) / l->chunk[0]; r++)
            for (int64_t c = t->y / l->chunk[1]; c <= (t->y + t->ncol - 1) / l->chunk[1]; c++)
                if (r < tab->chunk_grid[0] && c < gc && !seen[r * gc + c]) {
                    seen[r * gc + c] = 1;
                    sum += tab->chunk_stored[r * gc + c];
                }
    }
    free(seen);
    tab->meta.stored_read = sum;
    /* The report's per-chunk map is of a write's result; a read draws none. */
    free(tab->chunk_stored);
    tab->chunk_stored = NULL;
    return 0;
}

/* What the report says of the read's settings (dataset k of n). */
static cb_read_info read_info(const cb_config *cfg, const cb_backend *be, char *iob, size_t cap, int k, int n)
{
    int files = (be->caps & CB_CAP_FILE_DRIVERS) != 0;
    return (cb_read_info){.dataset = cfg->dataset ? cfg->dataset : "dset",
                          .driver = files ? cb_driver_name(cfg->driver) : be->name,
                          .http_cache = files && cfg->driver == CB_DRIVER_CURL ? cb_http_cache_name(cfg->http_cache) : NULL,
                          .http_block = cfg->http_block,
                          .label = files ? io_label(cfg, be, iob, cap) : be->name,
                          .schedule = cb_sched_name(cfg->sched), .tuned = cfg->preset == CB_PRESET_TUNED,
                          .chunk_cache = cfg->chunk_cache, .chunk_cache_slots = cfg->chunk_cache_slots,
                          .page_buffer = cfg->page_buffer,
                          .page_buffer_by = cfg->page_buffer > 0 ? cb_page_buffer_by_name(cfg->page_buffer_by) : "none",
                          .verify = cfg->verify, .k = k, .n = n, .caches = files,
                          .one_open = n > 1 && !cfg->open_each && (be->caps & CB_CAP_DATASETS)};
}

/* Rank 0: the report of one dataset's read (dataset k of n). */
static int report_read(const cb_config *cfg, const cb_backend *be, const cb_table *tab, const cb_result *res,
                       const cb_read_pattern *pat, int k, int n, cb_err *err)
{
    char iob[24];
    cb_read_info ri = read_info(cfg, be, iob, sizeof iob, k, n);
    ri.pattern = pat;
    cb_output_opts oo = cb_output_of(cfg);
    return cb_output_read(&oo, be->name, tab, res, &ri, err);
}

/* MPI-IO requests do not say what HDF5 read them for (mpiio_log.h): those
 * inside the dataset's stored chunks, or its contiguous storage, by HDF5's
 * own index, are raw data; the rest metadata. Rank 0, after the phase. */
static int classify(const cb_store_opts *so, const cb_backend *be, cb_ioreq *reqs, int64_t n, cb_err *err)
{
    if (!(be->caps & CB_CAP_RAW_EXTENTS))
        return 0;
    cb_extent *ext = NULL;
    int64_t next = 0;
    if (be->raw_extents(so, &ext, &next, err) < 0)
        return cb_wrap(err, "classifying the MPI-IO requests");
    cb_iolog_classify(reqs, n, ext, &next);
    free(ext);
    return 0;
}

/* Rank 0 learns what to read; every rank gets it. */
/* Collective: what the read's dataset is, on every rank. pre: rank 0's
 * description of cfg->dataset made already (taken over), or NULL. */
static int learn(const cb_config *cfg, const cb_store_opts *so, const cb_backend *be, MPI_Comm comm, cb_table *pre,
                 cb_table *src, cb_err *err)
{
    int rank;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return -1;
    cb_err local = {0};
    memset(src, 0, sizeof *src);
    if (rank == 0) {
        if (!cfg->dataset) {
            if (be->load_table(so, src, &local) == 0 && cfg->verify) {
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
                cb_values gen;
                if (!local.code)
                    cb_meta_values(&src->meta, cfg->target, &gen, &local);
            }
        } else if (!(be->caps & CB_CAP_DATASETS)) {
            cb_fail(&local, CB_EUSAGE, "the %s backend reads dset only; name no datasets", be->name);
        } else if (pre) {
            *src = *pre;
            memset(pre, 0, sizeof *pre);
        } else {
            be->describe(so, &cfg->dataset, 1, src, &local);
        }
    }
    if (cb_agree(comm, &local) == 0 && cb_share_head(src, comm, &local) == 0)
        return 0;
    cb_table_free(src);
    *err = local;
    return -1;
}

/* One dataset of a read: what it reads and how, and its tasks. Filled in
 * place (sa.o points into sa, and at src.layout). */
typedef struct read_ds {
    cb_config cfg;
    cb_table src;
    cb_store_args sa;
    cb_layout tl;
    cb_task *tasks;
    int64_t *index, *bounds, ntasks;
    cb_pattern pat; /* --pattern: the selections the tasks stand for */
    char pod[CB_POD_LEN + 1];
    cb_phase_opts po;
} read_ds;

static void ds_free(read_ds *d)
{
    free(d->tasks);
    free(d->index);
    free(d->bounds);
    cb_pattern_free(&d->pat);
    cb_table_free(&d->src);
    d->tasks = NULL;
    d->index = d->bounds = NULL;
}

/* Collective: what dataset cfg0->dataset is, its caches as tuned, its tasks
 * and the phase's options, into *d. Fails on every rank or none (then *d
 * holds nothing). */
static int prepare(read_ds *d, const cb_config *cfg0, const cb_backend *be, MPI_Comm comm, cb_table *pre,
                   cb_err *err)
{
    int rank;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return -1;
    memset(d, 0, sizeof *d);
    d->cfg = *cfg0;
    cb_config *cfg = &d->cfg;
    cb_store_args_for(cfg, NULL, &d->sa);
    if (learn(cfg, &d->sa.o, be, comm, pre, &d->src, err) < 0)
        return -1;
    cb_err local = {0};
    resolve_tuning(cfg, &d->src.meta, be, &local);
    /* The open takes the caches as tuned, and reads pages of the file's own
     * size (the page buffer's unit). */
    d->sa.o.chunk_cache = cfg->chunk_cache;
    d->sa.o.page_buffer = cfg->page_buffer;
    d->sa.o.page_buffer_by = cfg->page_buffer_by;
    d->sa.o.file_page_size = d->src.meta.page_size;
    d->sa.o.layout = &d->src.layout;

    /* The tasks: the file's own grid, or --iter's; named datasets by row blocks. */
    d->tl = d->src.layout;
    if (cfg->iter_given)
        d->tl.iter = cfg->iter;
    if (cfg->dataset && d->tl.iter == CB_ITER_BLOCK)
        d->tl.chunk[1] = d->tl.shape[1];
    if (cfg->shift_hosts) {
        /* The file's own tasks, with their writers: every complete one, read
         * on the host K hosts before the one that wrote it. */
        if (!local.code && cb_share_loaded(&d->src, CB_COMPLETE, comm, &d->tasks, &d->index, &d->ntasks, &local) == 0) {
            if (cb_host_shift(d->tasks, d->index, d->ntasks, cfg->shift_hosts, comm, &d->bounds, &local) == 0)
                for (int64_t i = 0; i < d->ntasks; i++)
                    d->index[i] = i; /* records name positions in this list, as below */
        }
    } else if (cfg->pattern_arg) {
        /* One task a selection, standing for it in the table and reports. */
        if (!local.code && cb_share_pattern(&cfg->pattern, &d->src.layout, cfg->pattern_count, cfg->pattern_group,
                                            cfg->seed, comm, &d->pat, &local) == 0) {
            int64_t ntasks = d->ntasks = d->pat.nsels;
            d->tasks = malloc((ntasks > 0 ? (size_t)ntasks : 1) * sizeof *d->tasks);
            d->index = malloc((ntasks > 0 ? (size_t)ntasks : 1) * sizeof *d->index);
            if (!d->tasks || !d->index)
                cb_fail(&local, CB_EIO, "out of memory for %lld selections", (long long)ntasks);
            for (int64_t i = 0; d->tasks && d->index && i < ntasks; i++) {
                cb_sel_task(&d->pat.sels[i], &d->tasks[i]);
                d->index[i] = i;
            }
        }
    } else {
        int64_t ntasks = d->ntasks = local.code ? 0 : cb_task_count(&d->tl);
        if (ntasks < 0)
            cb_fail(&local, CB_EUSAGE, "too many tasks for this layout; use --iter block");
        d->tasks = malloc((ntasks > 0 ? (size_t)ntasks : 1) * sizeof *d->tasks);
        d->index = malloc((ntasks > 0 ? (size_t)ntasks : 1) * sizeof *d->index);
        if (!d->tasks || !d->index)
            cb_fail(&local, CB_EIO, "out of memory for %lld tasks", (long long)ntasks);
        else if (!local.code) {
            cb_tasks_make(&d->tl, d->tasks);
            for (int64_t i = 0; i < ntasks; i++)
                d->index[i] = i;
        }
    }
    double offset = 0;
    cb_clock_offset(comm, &offset, &local);
    if (cb_agree(comm, &local) < 0) {
        ds_free(d);
        *err = local;
        return -1;
    }
    cb_pod_name(rank, 0, d->pod);
    cb_values gen; /* a name it does not know stopped --verify above; otherwise unused */
    if (cb_values_parse(d->src.meta.values, &gen) < 0)
        gen = (cb_values){.kind = CB_VALUES_UNIFORM};
    d->po = (cb_phase_opts){.writing = 0, .verify = cfg->verify, .seed = (uint64_t)d->src.meta.seed, .values = gen,
                            .sched = cfg->sched, .bounds = d->bounds, .max_tasks = cfg->max_tasks, .pod = d->pod,
                            .clock_offset = offset, .progress = cb_progress_wanted(cfg),
                            .progress_interval = cb_progress_interval(),
                            .sels = cfg->pattern_arg ? d->pat.sels : NULL,
                            .sum_values = cfg->pattern_arg && !cfg->dataset,
                            .checksum = cfg->json_path != NULL}; /* only the JSON reports it */
    return 0;
}

/* Collective, after dataset k's phase (o, freed here): its figures
 * gathered, its report (rank 0) and its part of the whole read. */
static int finish(read_ds *d, const cb_backend *be, int k, int n, const cb_provenance *prov, MPI_Comm comm,
                  cb_phase_out *o, cb_read_part *part, cb_err *err)
{
    int rank;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0) {
        cb_phase_out_free(o);
        return -1;
    }
    const cb_config *cfg = &d->cfg;
    cb_err local = {0};
    /* The driver stamped requests with this rank's clock: put them on rank 0's. */
    for (int64_t i = 0; o->iolog && i < o->iolog->n; i++) {
        o->iolog->v[i].start -= d->po.clock_offset;
        o->iolog->v[i].end -= d->po.clock_offset;
    }
    cb_pass pass;
    cb_result res = {.passes = &pass, .npasses = 1, .http = (be->caps & CB_CAP_NET_STATS) != 0, .stack = prov,
                     .coll_metadata = cfg->coll_metadata};
    cb_read_pattern rp = {.spec = cfg->pattern_arg, .kind = cb_pattern_kind_name(cfg->pattern.kind),
                          .selections = d->ntasks, .has_sum = d->po.sum_values};
    if (cfg->pattern_arg)
        cb_mpi(&local, MPI_Reduce(&o->value_sum, &rp.value_sum, 1, MPI_DOUBLE, MPI_SUM, 0, comm),
               "MPI_Reduce of the values' sum");
    cb_gather_pass(o, comm, &pass, &local);
    cb_gather_result(o, d->pod, comm, &res, &local);
    /* Kept past the phase's other figures: the report prints them. */
    cb_hints *effective = o->mpi_hints;
    o->mpi_hints = NULL;
    res.hints_asked = d->sa.o.mpi_hints;
    res.hints_effective = effective;
    cb_phase_out_free(o);
    if (rank == 0 && !local.code && res.logged && cfg->driver == CB_DRIVER_MPIO)
        classify(&d->sa.o, be, res.reqs, res.nreqs, &local);
    if (rank == 0) {
        *part = (cb_read_part){.dataset = cfg->dataset ? cfg->dataset : "dset", .bytes = pass.bytes,
                               .checksum = pass.checksum, .requests = res.logged ? res.nreqs : -1,
                               .open_start = pass.open_start, .close_end = pass.close_end};
        for (int64_t i = 0; res.logged && i < res.nreqs; i++)
            part->request_bytes += res.reqs[i].size;
    }
    cb_table tab;
    if (rank == 0 && !local.code && read_table(cfg, be, &d->src, d->tasks, d->ntasks, &d->tl, &res, &tab, &local) == 0) {
        /* A pattern's tasks are no rectangles of chunks: no stored bytes for them. */
        if ((cfg->dataset || cfg->pattern_arg || stored_read(&d->sa.o, be, &tab, &local) == 0) &&
            report_read(cfg, be, &tab, &res, cfg->pattern_arg ? &rp : NULL, k, n, &local) == 0 && res.nbad)
            cb_fail(&local, CB_EVERIFY, "%lld of %lld tasks differ from the generated values", (long long)res.nbad,
                    (long long)res.nrecs);
        cb_table_free(&tab);
    }
    res.passes = NULL; /* on the stack */
    cb_result_free(&res);
    if (effective) {
        cb_hints_free(effective);
        free(effective);
    }
    if (cb_agree(comm, &local) < 0) {
        *err = local;
        return -1;
    }
    return 0;
}

/* Naming chunkbench's own dataset reads it as a chunkbench file (its tasks,
 * seed and --verify), when the file is one. */
static const char *dataset_of(const cb_config *c, int k)
{
    const char *name = c->ndatasets ? c->datasets[k] : NULL;
    return name && strcmp(name, "dset") && strcmp(name, "/dset") ? name : NULL;
}

/* Dataset k in an open and close of its own. */
static int read_one(const cb_config *cfg0, const cb_backend *be, int k, int n, const cb_provenance *prov, MPI_Comm comm,
                    cb_read_part *part, cb_err *err)
{
    read_ds d;
    cb_config c = *cfg0;
    c.dataset = dataset_of(cfg0, k);
    if (prepare(&d, &c, be, comm, NULL, err) < 0)
        return -1;
    cb_phase_out o;
    int rc = cb_phase_run(&d.sa.o, be, d.tasks, d.index, d.ntasks, &d.po, comm, &o, err);
    if (rc == 0)
        rc = finish(&d, be, k, n, prov, comm, &o, part, err);
    ds_free(&d);
    return rc;
}

/* Collective: rank 0 describes every named dataset of the read (not dset)
 * in one lookup open, into (*pre)[k] (rank 0 only; elsewhere NULL); all
 * ranks fail together. */
static int describe_named(const cb_config *cfg, const cb_backend *be, int n, MPI_Comm comm, cb_table **pre,
                          cb_err *err)
{
    int rank;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return -1;
    *pre = NULL;
    cb_err local = {0};
    if (rank == 0) {
        cb_table *t = calloc((size_t)n, sizeof *t), *got = calloc((size_t)n, sizeof *got);
        const char **names = calloc((size_t)n, sizeof *names);
        int *at = calloc((size_t)n, sizeof *at), m = 0;
        if (!t || !got || !names || !at)
            cb_fail(&local, CB_EIO, "out of memory for %d datasets", n);
        for (int k = 0; !local.code && k < n; k++)
            if ((names[m] = dataset_of(cfg, k)) != NULL)
                at[m++] = k;
        cb_store_args sa;
        cb_store_args_for(cfg, NULL, &sa);
        if (!local.code && m > 0 && be->describe(&sa.o, names, m, got, &local) == 0)
            for (int i = 0; i < m; i++)
                t[at[i]] = got[i];
        free(got);
        free(names);
        free(at);
        if (local.code) {
            free(t);
            t = NULL;
        }
        *pre = t;
    }
    if (cb_agree(comm, &local) == 0)
        return 0;
    free(*pre);
    *pre = NULL;
    *err = local;
    return -1;
}

/* All n datasets in one open of the file, in order, closed once at the end
 * (the seed's read of a granule): the page buffer, the driver's caches and
 * the request log span them all. Dataset k's time runs from the barrier
 * before it (the first's: from the open) to its last task (the last's: to
 * the close's end), so the spans tile the open-to-close time; its requests
 * are those made in that time (the open's in the first, the close's in
 * the last). All are described before the open (rank 0, in one lookup
 * open outside it) and reported after the close. */
static int read_shared(const cb_config *cfg0, const cb_backend *be, int n, const cb_provenance *prov, MPI_Comm comm,
                       cb_read_part *parts, cb_err *err)
{
    cb_err local = {0};
    read_ds *ds = calloc((size_t)n, sizeof *ds);
    cb_phase_out *outs = calloc((size_t)n, sizeof *outs);
    if (!ds || !outs)
        cb_fail(&local, CB_EIO, "out of memory for %d datasets", n);
    if (cb_agree(comm, &local) < 0) {
        free(ds);
        free(outs);
        *err = local;
        return -1;
    }
    cb_table *pre = NULL;
    int rc = describe_named(cfg0, be, n, comm, &pre, err);
    int ready = 0;
    for (; ready < n && rc == 0; ready++) {
        cb_config c = *cfg0;
        c.dataset = dataset_of(cfg0, ready);
        if ((rc = prepare(&ds[ready], &c, be, comm, pre ? &pre[ready] : NULL, err)) < 0)
            break;
    }
    for (int k = 0; pre && k < n; k++)
        cb_table_free(&pre[k]); /* those prepare did not take (after a failure) */
    free(pre);
    cb_store *st = NULL;
    double open_start = 0;
    if (rc == 0)
        rc = cb_phase_open(&ds[0].sa.o, be, &ds[0].po, comm, &st, &open_start, err);
    if (rc == 0) {
        int done = 0;
        while (done < n && cb_phase_step(st, done ? &ds[done].sa.o : NULL, ds[done].tasks, ds[done].index,
                                         ds[done].ntasks, &ds[done].po, comm, &outs[done], err) == 0)
            done++;
        outs[0].open_start = open_start;
        cb_err cerr = {0};
        /* Closed on every rank whatever failed; the first failure is the one told. */
        rc = cb_phase_close(st, &ds[n - 1].po, comm, done == n ? &outs[n - 1] : NULL, &cerr);
        if (done < n) {
            cb_wrap(err, "dataset %s (%d of %d)", ds[done].cfg.dataset ? ds[done].cfg.dataset : "dset", done + 1, n);
            rc = -1;
        }
        else if (rc < 0)
            *err = cerr;
    }
    for (int k = 0; k < n && rc == 0; k++)
        rc = finish(&ds[k], be, k, n, prov, comm, &outs[k], &parts[k], err);
    for (int k = 0; k < n; k++) {
        cb_phase_out_free(&outs[k]);
        if (k < ready)
            ds_free(&ds[k]);
    }
    free(ds);
    free(outs);
    return rc;
}

static int has_glob(const char *s)
{
    return strpbrk(s, "*?[") != NULL;
}

/* Append name and its NUL to the growing pool. */
static int pool_add(char **pool, size_t *len, size_t *cap, const char *name)
{
    size_t l = strlen(name) + 1;
    if (*len + l > *cap) {
        size_t c = *cap ? *cap : 4096;
        while (c < *len + l)
            c *= 2;
        char *p = realloc(*pool, c);
        if (!p)
            return -1;
        *pool = p;
        *cap = c;
    }
    memcpy(*pool + *len, name, l);
    *len += l;
    return 0;
}

/* Rank 0: the names to read, DATASET arguments in order, a pattern (glob
 * characters) replaced by the file's datasets it matches (fnmatch, '/' only
 * matched by '/'), sorted; into pool, each name ended by its NUL. */
static int match_all(const cb_config *cfg, const cb_backend *be, char **pool, size_t *len, cb_err *err)
{
    if (!be->list_datasets)
        return cb_fail(err, CB_EUSAGE, "the %s backend reads dset only; name no datasets", be->name);
    cb_store_args sa;
    cb_store_args_for(cfg, NULL, &sa);
    char **all = NULL;
    int nall = 0, rc = 0;
    size_t cap = 0;
    if (be->list_datasets(&sa.o, &all, &nall, err) < 0)
        return -1;
    int oom = 0;
    for (int i = 0; i < cfg->ndatasets && !oom && rc == 0; i++) {
        const char *pat = cfg->datasets[i];
        if (!has_glob(pat)) {
            oom = pool_add(pool, len, &cap, pat) < 0;
            continue;
        }
        int hits = 0;
        for (int j = 0; j < nall && !oom; j++)
            if (fnmatch(pat, pat[0] == '/' ? all[j] : all[j] + 1, FNM_PATHNAME) == 0) {
                oom = pool_add(pool, len, &cap, all[j]) < 0;
                hits++;
            }
        if (!oom && !hits)
            rc = cb_fail(err, CB_EUSAGE, "no dataset of %s matches '%s'; list its datasets with h5ls -r %s",
                         cfg->target, pat, cfg->target);
    }
    if (oom)
        rc = cb_fail(err, CB_EIO, "out of memory for the dataset names");
    for (int j = 0; j < nall; j++)
        free(all[j]);
    free(all);
    return rc;
}

/* Patterns among the DATASET arguments: rank 0 matches them, every rank
 * gets the names (*names into *pool, both malloc'd; NULL when no pattern). */
static int expand(const cb_config *cfg, const cb_backend *be, MPI_Comm comm, char ***names, int *n, char **pool,
                  cb_err *err)
{
    *names = NULL;
    *pool = NULL;
    int any = 0, rank;
    for (int i = 0; i < cfg->ndatasets; i++)
        any |= has_glob(cfg->datasets[i]);
    if (!any) /* the same arguments on every rank: all return here or none */
        return 0;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return -1;
    cb_err local = {0};
    size_t len = 0;
    if (rank == 0)
        match_all(cfg, be, pool, &len, &local);
    if (cb_agree(comm, &local) < 0) {
        free(*pool);
        *pool = NULL;
        *err = local;
        return -1;
    }
    int64_t l64 = (int64_t)len;
    void *blob = *pool;
    if (cb_share_blob(&blob, &l64, 0, "the dataset names", comm, &local) < 0) {
        free(*pool); /* rank 0's; the others have none */
        *pool = NULL;
        *err = local;
        return -1;
    }
    *pool = blob;
    int count = 0;
    for (int64_t i = 0; i < l64; i++)
        count += (*pool)[i] == 0;
    if (!(*names = malloc((size_t)(count ? count : 1) * sizeof **names)))
        cb_fail(&local, CB_EIO, "out of memory for the dataset names");
    if (cb_agree(comm, &local) < 0) {
        free(*names);
        free(*pool);
        *names = NULL;
        *pool = NULL;
        *err = local;
        return -1;
    }
    for (int64_t i = 0, k = 0; i < l64; i += (int64_t)strlen(*pool + i) + 1)
        (*names)[k++] = *pool + i;
    *n = count;
    return 0;
}

int cmd_read(const cb_config *cfg, MPI_Comm comm, cb_err *err)
{
    const cb_backend *be = cb_backend_for(cfg->target);
    cb_config c = *cfg;
    int rank;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return -1;
    cb_provenance prov;
    if (cb_provenance_gather(comm, cfg->target, &prov, err) < 0)
        return -1;
    cb_lock_req rq = {.target = cfg->target, .kind = CB_LOCK_READ, .command = "read",
                      .ignore_lock = cfg->ignore_lock, .quiet = cfg->quiet};
    cb_target_lock lk;
    if (cb_target_lock_take(&rq, comm, &lk, err) < 0)
        return -1;
    char **names = NULL, *pool = NULL;
    cb_read_part *parts = NULL;
    int rc = expand(cfg, be, comm, &names, &c.ndatasets, &pool, err);
    if (rc == 0 && names) {
        c.datasets = names;
        rc = cb_check_outputs(&c, comm, err); /* numbered as the names now are */
    }
    int n = c.ndatasets ? c.ndatasets : 1;
    if (rc == 0 && !(parts = calloc((size_t)n, sizeof *parts)))
        rc = cb_fail(err, CB_EIO, "out of memory");
    /* One open needs a store that switches datasets; others (dset named
     * twice, HSDS) open for each. */
    if (rc == 0 && n > 1 && !c.open_each && (be->caps & CB_CAP_DATASETS))
        rc = read_shared(&c, be, n, &prov, comm, parts, err);
    else
        for (int k = 0; k < n && rc == 0; k++)
            rc = read_one(&c, be, k, n, &prov, comm, &parts[k], err);
    if (rc == 0 && n > 1) {
        /* The whole read: the seed times a file from open to close. */
        cb_err local = {0};
        if (rank == 0) {
            char iob[24];
            cb_read_info ri = read_info(&c, be, iob, sizeof iob, 0, n);
            cb_output_opts oo = cb_output_of(&c);
            cb_output_read_total(&oo, &ri, parts, n, &local);
        }
        if (cb_agree(comm, &local) < 0) {
            *err = local;
            rc = -1;
        }
    }
    free(parts);
    free(names);
    free(pool);
    cb_target_lock_release(&lk);
    return rc;
}
