#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/agree.h"
#include "engine/target_lock.h"
#include "backends/backend.h"
#include "cli/commands.h"
#include "core/mpi_err.h"
#include "engine/journal.h"

static int create_locked(const cb_config *cfg, MPI_Comm comm, cb_err *err)
{
    int rank;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return -1;
    cb_store_args sa;
    const cb_backend *be = cb_store_args_for(cfg, NULL, &sa);
    cb_table tab = {0};
    tab.layout = cfg->layout;
    cb_meta_init(&tab.meta);
    snprintf(tab.meta.version, sizeof tab.meta.version, "%s", CB_VERSION_STRING);
    tab.meta.seed = (int64_t)cfg->seed;
    cb_values_name(&cfg->values, tab.meta.values, sizeof tab.meta.values);
    cb_err local = {0};
    /* Recorded with the dataset: status and reports name the pipeline. */
    if (cb_filters_text(&cfg->filters, tab.meta.filters, sizeof tab.meta.filters) < 0)
        cb_fail(&local, CB_EUSAGE, "--filter: the pipeline's record is longer than %zu characters; give fewer client values",
                sizeof tab.meta.filters - 1);
    tab.ntasks = cb_task_count(&tab.layout);
    /* Only rank 0 writes the rows; the others need no copy of the table. */
    if (rank == 0 && !(tab.tasks = calloc((size_t)tab.ntasks, sizeof *tab.tasks)))
        cb_fail(&local, CB_EIO, "out of memory for %lld tasks", (long long)tab.ntasks);
    if (cb_agree(comm, &local) < 0) {
        *err = local;
        return -1;
    }
    if (rank == 0)
        cb_tasks_make(&tab.layout, tab.tasks);
    /* Every rank asks for them (the backend agrees on reading them). */
    cb_hints created = {0};
    if (be->caps & CB_CAP_FILE_DRIVERS)
        sa.o.created_hints = &created;
    int rc = be->create(&sa.o, &tab, comm, err);
    cb_table_free(&tab);
    if (rc < 0) {
        cb_hints_free(&created);
        return -1;
    }
    /* Records of the file this one replaced must never reach it. */
    if (rank == 0)
        cb_journal_discard(cfg->target, &local);

    /* HSDS may pick another chunk shape: tell the user what was made. */
    cb_table made = {0};
    if (rank == 0 && be->load_table(&sa.o, &made, &local) == 0 && !cfg->quiet) {
        const cb_layout *l = &made.layout;
        if (l->chunk[0] != cfg->layout.chunk[0] || l->chunk[1] != cfg->layout.chunk[1])
            printf("note: the server changed the chunk shape from %lld x %lld to %lld x %lld; tasks follow it\n",
                   (long long)cfg->layout.chunk[0], (long long)cfg->layout.chunk[1], (long long)l->chunk[0],
                   (long long)l->chunk[1]);
        printf("created %s: dset %lld x %lld %s, chunk %lld x %lld, task_list %lld %s tasks (%s)\n", cfg->target,
               (long long)l->shape[0], (long long)l->shape[1], l->elem_size == 4 ? "float32" : "float64",
               (long long)l->chunk[0], (long long)l->chunk[1], (long long)made.ntasks, cb_iter_name(l->iter),
               be->name);
        if (sa.o.created_hints && (created.n || sa.o.create_hints->n))
            cb_hints_text(stdout, sa.o.create_hints, &created);
        fflush(stdout);
    }
    cb_table_free(&made);
    cb_hints_free(&created);
    if (cb_agree(comm, &local) < 0) {
        *err = local;
        return -1;
    }
    return 0;
}

int cmd_create(const cb_config *cfg, MPI_Comm comm, cb_err *err)
{
    cb_lock_req rq = {.target = cfg->target, .kind = CB_LOCK_WRITE, .break_lock = cfg->break_lock, .quiet = cfg->quiet,
                      .command = cfg->cmd == CB_CMD_RUN ? "run" : cfg->force ? "create --force" : "create"};
    cb_target_lock lk;
    if (cb_target_lock_take(&rq, comm, &lk, err) < 0)
        return -1;
    int rc = create_locked(cfg, comm, err);
    if (rc < 0 || cfg->cmd != CB_CMD_RUN) /* run: write goes on under this lock (it names this process) */
        cb_target_lock_release(&lk);
    return rc;
}
