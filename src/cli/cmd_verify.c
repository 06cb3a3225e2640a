/* verify: read back every complete task in parallel and compare it with the
 * generator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/agree.h"
#include "core/clock.h"
#include "engine/gather.h"
#include "engine/host_shift.h"
#include "engine/hosts.h"
#include "core/mpi_err.h"
#include "engine/journal.h"
#include "engine/share.h"
#include "engine/target_lock.h"
#include "cli/commands.h"
#include "core/units.h"

/* Tasks recorded in journals (a killed run's, not merged yet) are checked too. */
static int with_journals(cb_table *tab, void *ctx, cb_err *err)
{
    cb_journal_found f;
    int rc = cb_journal_merge(ctx, tab, 1, 0, &f, err);
    cb_journal_found_free(&f);
    return rc;
}

static int verify_locked(const cb_config *cfg, MPI_Comm comm, cb_err *err)
{
    int rank;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return -1;
    cb_store_args sa;
    const cb_backend *be = cb_store_args_for(cfg, NULL, &sa);
    cb_table tab;
    cb_task *tasks = NULL;
    int64_t *index = NULL, ntasks = 0;
    cb_err local = {0};
    int64_t *bounds = NULL;
    if (cb_share_tasks_hooked(&sa.o, be, CB_COMPLETE, with_journals, (void *)cfg->target, comm, &tab, &tasks, &index,
                              &ntasks, err) < 0)
        return -1;
    if (tab.meta.seed < 0)
        cb_fail(&local, CB_EUSAGE,
                "%s was not written by chunkbench (it has no seed attribute): there is nothing to verify against",
                cfg->target);
    cb_values gen;
    if (!local.code)
        cb_meta_values(&tab.meta, cfg->target, &gen, &local);
    double offset = 0;
    cb_clock_offset(comm, &offset, &local);
    if (cb_agree(comm, &local) < 0)
        goto out;
    if (cfg->shift_hosts && cb_host_shift(tasks, index, ntasks, cfg->shift_hosts, comm, &bounds, &local) < 0)
        goto out;
    cb_provenance prov;
    if (cb_provenance_gather(comm, cfg->target, &prov, &local) < 0)
        goto out;

    char pod[CB_POD_LEN + 1];
    cb_pod_name(rank, 0, pod);
    cb_phase_opts po = {.writing = 0, .verify = 1, .seed = (uint64_t)tab.meta.seed, .values = gen, .sched = cfg->sched, .bounds = bounds,
                        .pod = pod, .clock_offset = offset,
                        .progress = cb_progress_wanted(cfg), .progress_interval = cb_progress_interval()};
    cb_phase_out o;
    sa.o.layout = &tab.layout;
    if (cb_phase_run(&sa.o, be, tasks, index, ntasks, &po, comm, &o, &local) < 0)
        goto out;
    cb_pass pass;
    cb_result res = {.passes = &pass, .npasses = 1, .http = (be->caps & CB_CAP_NET_STATS) != 0, .stack = &prov,
                     .coll_metadata = cfg->coll_metadata};
    cb_gather_pass(&o, comm, &pass, &local);
    res.counter = o.counter;
    cb_gather_result(&o, pod, comm, &res, &local);
    /* Kept past the phase's other figures: the report prints them. */
    cb_hints *effective = o.mpi_hints;
    o.mpi_hints = NULL;
    res.hints_asked = sa.o.mpi_hints;
    res.hints_effective = effective;
    cb_phase_out_free(&o);
    if (rank == 0 && !local.code) {
        cb_output_opts oo = cb_output_of(cfg);
        cb_output_verify(&oo, be->name, &tab, ntasks, &res, &local);
        if (res.nbad && !local.code)
            cb_fail(&local, CB_EVERIFY, "%lld of %lld tasks differ from the generated values", (long long)res.nbad,
                    (long long)ntasks);
    }
    res.passes = NULL; /* on the stack */
    cb_result_free(&res);
    if (effective) {
        cb_hints_free(effective);
        free(effective);
    }
    cb_agree(comm, &local);
out:
    free(bounds);
    free(tasks);
    free(index);
    cb_table_free(&tab);
    if (local.code) {
        *err = local;
        return -1;
    }
    return 0;
}

int cmd_verify(const cb_config *cfg, MPI_Comm comm, cb_err *err)
{
    cb_lock_req rq = {.target = cfg->target, .kind = CB_LOCK_READ, .command = "verify",
                      .ignore_lock = cfg->ignore_lock, .quiet = cfg->quiet};
    cb_target_lock lk;
    if (cb_target_lock_take(&rq, comm, &lk, err) < 0)
        return -1;
    int rc = verify_locked(cfg, comm, err);
    cb_target_lock_release(&lk);
    return rc;
}
