/* write: every pending task exactly once (or every task, N passes over), then
 * the task table and the report. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/agree.h"
#include "engine/hosts.h"
#include "core/clock.h"
#include "engine/gather.h"
#include "core/mpi_err.h"
#include "engine/journal.h"
#include "engine/share.h"
#include "engine/target_lock.h"
#include "cli/commands.h"
#include "core/units.h"

/* Rank 0, the table just loaded: records of ended runs count as written. */
typedef struct merged {
    const char *target;
    cb_journal_found found;
} merged;

static int merge_journals(cb_table *tab, void *ctx, cb_err *err)
{
    merged *m = ctx;
    return cb_journal_merge(m->target, tab, 0, 1, &m->found, err);
}

/* The save failed: the journals keep the records; say how they get in. */
static void keep_journal_hint(const char *target, cb_err *err)
{
    char dir[4096], msg[sizeof err->msg + 2 * sizeof dir + 128];
    cb_journal_dir_of(target, dir, sizeof dir);
    snprintf(msg, sizeof msg, "%s; task records kept in %s: run chunkbench write %s %s", err->msg, dir, target,
             strstr(err->msg, "unable to lock file") ? "when the reader has closed the file" : "again to merge them");
    size_t n = strlen(msg) < sizeof err->msg ? strlen(msg) : sizeof err->msg - 1;
    memcpy(err->msg, msg, n);
    err->msg[n] = 0;
}

static int64_t in_progress(const cb_table *tab)
{
    int64_t n = 0;
    for (int64_t i = 0; i < tab->ntasks; i++)
        n += tab->tasks[i].status == CB_IN_PROGRESS;
    return n;
}

/* A live writer's finished tasks stay in progress on the server until its
 * flush lands (1-2 s on a stock HSDS), so the writer that ends first would
 * see them and warn (suggesting a --lease that would redo them). While that
 * count keeps falling, look again; a count that has not fallen for
 * CB_SETTLE_S is warned about (dead writers' claims cost that much more). */
#define CB_SETTLE_S 5.0
static void settle_in_progress(const cb_backend *be, const cb_store_opts *o, cb_table *tab)
{
    int64_t was = in_progress(tab);
    double fell = cb_now(), until = fell + 30;
    while (was > 0 && cb_now() - fell < CB_SETTLE_S && cb_now() < until) {
        nanosleep(&(struct timespec){.tv_nsec = 250000000}, NULL);
        cb_table t = {0};
        cb_err e = {0};
        if (be->load_table(o, &t, &e) < 0) { /* keep what we had: the warning is a hint */
            cb_table_free(&t);
            return;
        }
        cb_table_free(tab);
        *tab = t;
        int64_t now = in_progress(tab);
        if (now < was)
            fell = cb_now();
        was = now;
    }
}

static int write_locked(const cb_config *cfg, const cb_target_lock *lk, MPI_Comm comm, cb_err *err)
{
    int rank, size;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0 ||
        cb_mpi(err, MPI_Comm_size(comm, &size), "MPI_Comm_size") < 0)
        return -1;
    cb_store_args sa;
    const cb_backend *be = cb_store_args_for(cfg, NULL, &sa);
    cb_table tab;
    cb_task *tasks = NULL;
    int64_t *index = NULL, ntasks = 0;
    cb_err local = {0};
    /* A server's table records each task as it goes: no journal there; nor
     * where an acknowledged write can still be lost (CB_CAP_JOURNAL). */
    int journaled = cfg->sched != CB_SCHED_SERVER && (be->caps & CB_CAP_JOURNAL);
    merged jm = {.target = cfg->target};
    cb_journal *jr = NULL;
    if (cb_share_tasks_hooked(&sa.o, be, cfg->rewrite ? CB_SHARE_ALL : CB_PENDING, journaled ? merge_journals : NULL,
                              &jm, comm, &tab, &tasks, &index, &ntasks, err) < 0) {
        cb_journal_found_free(&jm.found);
        return -1;
    }

    /* The values must stay verifiable: one seed per dataset. */
    uint64_t seed = cfg->seed_given ? cfg->seed : tab.meta.seed >= 0 ? (uint64_t)tab.meta.seed : 1;
    int64_t done_before = 0;
    if (rank == 0)
        for (int64_t i = 0; i < tab.ntasks; i++)
            done_before += tab.tasks[i].status == CB_COMPLETE;
    cb_mpi(&local, MPI_Bcast(&done_before, 1, MPI_INT64_T, 0, comm), "MPI_Bcast of the count of complete tasks");
    if (cfg->seed_given && tab.meta.seed >= 0 && (uint64_t)tab.meta.seed != cfg->seed && done_before > 0 &&
        !(cfg->rewrite && !cfg->max_tasks))
        cb_fail(&local, CB_EUSAGE,
                "%s holds %lld tasks written with seed %lld; write the rest with --seed %lld, or rewrite all with --rewrite",
                cfg->target, (long long)done_before, (long long)tab.meta.seed, (long long)tab.meta.seed);
    /* ... and one generator, the one create stored (write takes no --values). */
    cb_values gen;
    if (!local.code)
        cb_meta_values(&tab.meta, cfg->target, &gen, &local);
    /* A filtered dataset: the backend checks this run's transfers against
     * its recorded pipeline before anything is opened for writing (its open
     * refuses them too, for a file filtered by another tool). */
    if (rank == 0 && !local.code && tab.meta.filters[0] && be->check) {
        cb_filters fs;
        if (cb_filters_from_text(&fs, tab.meta.filters, &local) == 0) {
            cb_store_opts co = sa.o;
            co.filters = &fs;
            be->check(&co, &local);
        }
    }
    double offset = 0;
    cb_clock_offset(comm, &offset, &local);
    if (cb_agree(comm, &local) < 0)
        goto fail;
    cb_provenance prov;
    if (cb_provenance_gather(comm, cfg->target, &prov, &local) < 0)
        goto fail;

    char pod[CB_POD_LEN + 1];
    cb_pod_name(rank, cfg->sched == CB_SCHED_SERVER, pod);
    double skew = 0, abs_off = offset < 0 ? -offset : offset;
    /* A failure here is agreed on at the end, with the passes' outcome. */
    cb_mpi(&local, MPI_Reduce(&abs_off, &skew, 1, MPI_DOUBLE, MPI_MAX, 0, comm), "MPI_Reduce of clock offsets");
    if (journaled && cb_journal_enabled() && !local.code &&
        cb_journal_start(cfg->target, &tab.layout, tab.ntasks, seed, pod, comm, &jr, &local) < 0)
        goto fail;
    cb_phase_opts po = {.journal = jr, .writing = 1, .seed = seed, .values = gen, .sched = cfg->sched, .max_tasks = cfg->max_tasks,
                        .lease_s = cfg->lease_s, .pod = pod, .clock_offset = offset, .tasks_per_call = cfg->tasks_per_call,
                        .deadline_s = cfg->deadline_s, .wearout = cfg->deadline_wearout,
                        .progress = cb_progress_wanted(cfg), .progress_interval = cb_progress_interval()};
    cb_result res = {.passes = calloc((size_t)cfg->iterations, sizeof *res.passes),
                     .http = (be->caps & CB_CAP_NET_STATS) != 0, .clock_skew_s = skew, .stack = &prov,
                     .tasks_per_call = cfg->tasks_per_call, .coll_metadata = cfg->coll_metadata};
    cb_output_opts oo = cb_output_of(cfg);
    cb_phase_out out = {0};
    sa.o.layout = &tab.layout;
    for (int p = 0; p < cfg->iterations; p++) {
        cb_phase_out_free(&out);
        if (cb_phase_run(&sa.o, be, tasks, index, ntasks, &po, comm, &out, &local) < 0)
            break;
        cb_gather_pass(&out, comm, &res.passes[res.npasses], &local);
        res.passes[res.npasses].deadline_s = cfg->deadline_s;
        res.passes[res.npasses++].deadline_wearout = cfg->deadline_wearout;
        if (rank == 0)
            cb_output_pass(&oo, &res.passes[p], p, cfg->iterations);
        if (out.stopped)
            break;
    }
    /* Written and synced: from here a kill loses no record. */
    uint64_t run = cb_journal_run(jr);
    cb_journal_close(jr, &local);
    jr = NULL;
    /* A failed pass still leaves the tasks that were written: record those
     * (and keep the figures of the passes that finished). */
    cb_err gerr = {0};
    res.counter = out.counter;
    res.hints_asked = sa.o.mpi_hints;
    res.hints_effective = out.mpi_hints;
    cb_gather_result(&out, pod, comm, &res, &gerr);

    if (rank == 0 && !gerr.code) {
        int64_t *changed = malloc((res.nrecs ? (size_t)res.nrecs : 1) * sizeof *changed);
        for (int64_t k = 0; k < res.nrecs; k++)
            changed[k] = res.recs[k].index;
        int64_t *more = realloc(changed, (size_t)(res.nrecs + jm.found.nrows + 1) * sizeof *changed);
        if (more) { /* rows the journals of ended runs changed are saved too */
            changed = more;
            if (jm.found.nrows > 0) /* rows is NULL when none were found */
                memcpy(changed + res.nrecs, jm.found.rows, (size_t)jm.found.nrows * sizeof *changed);
        }
        if (cfg->sched != CB_SCHED_SERVER) /* the server's table already holds these rows */
            cb_result_apply(&res, tab.tasks);
        tab.meta.seed = (int64_t)seed;
        cb_result_meta(&res, &tab.meta);
        tab.meta.clock_skew_s = skew;
        snprintf(tab.meta.schedule, sizeof tab.meta.schedule, "%s", cb_sched_name(cfg->sched));
        snprintf(tab.meta.io, sizeof tab.meta.io, "%s", cb_io_name(cfg->io));
        if (!tab.meta.version[0])
            snprintf(tab.meta.version, sizeof tab.meta.version, "%s", CB_VERSION_STRING);
        int64_t nchanged = cfg->sched == CB_SCHED_SERVER ? 0 : more ? res.nrecs + jm.found.nrows : res.nrecs;
        cb_err lerr = {0};
        sa.o.server_id = out.net.server_id; /* the server as the last pass opened it */
        if (cb_target_lock_same_file(lk, &gerr) == 0) /* not into a file made anew meanwhile */
            be->save_table(&sa.o, &tab, changed, nchanged, &gerr);
        res.recorded_at = cb_now() - offset;
        res.durable = (be->caps & CB_CAP_DURABLE) || cfg->fsync;
        /* What the filters made of it: once a run, from the file as closed. */
        if (!gerr.code && tab.meta.filters[0] && (be->caps & CB_CAP_STORED_BYTES))
            be->stored_bytes(&sa.o, &tab, &gerr);
        /* The journals go only once the table holds their records; also when
         * the server lost some (CB_EPENDING): the save set those pending, and a
         * kept record would call them complete again. */
        if (journaled && (!gerr.code || gerr.code == CB_EPENDING))
            cb_journal_remove(cfg->target, &jm.found, run, &gerr);
        else if (run || jm.found.nfiles)
            keep_journal_hint(cfg->target, &gerr);
        /* Report the server's table as it is now: other writers add to it,
         * and a restart may have sent tasks back to pending (the run still
         * gets its report, then the error). */
        if (!gerr.code ? cfg->sched == CB_SCHED_SERVER : gerr.code == CB_EPENDING) {
            cb_table_free(&tab);
            be->load_table(&sa.o, &tab, &lerr);
        }
        if (!gerr.code)
            gerr = lerr;
        /* Tasks other writers (or dead ones) hold: not this run's failure,
         * so no error code (README, "Exit status"), but said. */
        if (cfg->sched == CB_SCHED_SERVER && !lerr.code && (!gerr.code || gerr.code == CB_EPENDING)) {
            settle_in_progress(be, &sa.o, &tab);
            res.left_in_progress = cb_warn_in_progress(cfg, &tab);
        }
        free(changed);
        if (!gerr.code && res.net.given_back > 0)
            cb_fail(&gerr, CB_EPENDING,
                    "the server restarted during the run and may have lost the data of %lld tasks written by this run: "
                    "they were given back as pending; run chunkbench write %s again to finish them",
                    (long long)res.net.given_back, cfg->target);
        if ((!gerr.code || gerr.code == CB_EPENDING) && !lerr.code && !local.code) {
            cb_err rerr = {0};
            if (cb_output_write(&oo, be->name, &tab, &res, cfg->sched == CB_SCHED_SERVER, &rerr) < 0)
                gerr = rerr;
        }
        if (out.stopped && !gerr.code && !local.code) {
            int64_t pending = 0;
            for (int64_t i = 0; i < tab.ntasks; i++)
                pending += tab.tasks[i].status != CB_COMPLETE;
            cb_fail(&gerr, CB_ESTOPPED,
                    "stopped by %s: %lld tasks of this run written and recorded, %lld pending; run chunkbench write %s to write the rest",
                    out.stopped == SIGINT ? "SIGINT" : out.stopped == SIGTERM ? "SIGTERM" : "a signal",
                    (long long)res.nrecs, (long long)pending, cfg->target);
        }
    }
    cb_result_free(&res);
    cb_phase_out_free(&out);
    cb_journal_found_free(&jm.found);
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
    cb_journal_found_free(&jm.found);
    free(tasks);
    free(index);
    cb_table_free(&tab);
    return -1;
}

int cmd_write(const cb_config *cfg, MPI_Comm comm, cb_err *err)
{
    cb_lock_req rq = {.target = cfg->target, .kind = CB_LOCK_WRITE, .command = cb_cmd_name(cfg->cmd),
                      .break_lock = cfg->break_lock, .quiet = cfg->quiet};
    cb_target_lock lk;
    if (cb_target_lock_take(&rq, comm, &lk, err) < 0)
        return -1;
    int rc = write_locked(cfg, &lk, comm, err);
    cb_target_lock_release(&lk);
    return rc;
}
