/* verify: read back every complete task in parallel and compare it with the
 * generator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/agree.h"
#include "core/clock.h"
#include "engine/share.h"
#include "cli/commands.h"

int cmd_verify(const cb_config *cfg, MPI_Comm comm, cb_err *err)
{
    int rank;
    MPI_Comm_rank(comm, &rank);
    const cb_backend *be = cb_backend_for(cfg->target);
    cb_table tab;
    cb_task *tasks = NULL;
    int64_t *index = NULL, ntasks = 0;
    cb_err local = {0};
    if (cb_share_tasks(cfg, be, CB_COMPLETE, comm, &tab, &tasks, &index, &ntasks, err) < 0)
        return -1;
    if (tab.meta.seed < 0)
        cb_fail(&local, CB_EUSAGE,
                "%s was not written by chunkbench (it has no seed attribute): there is nothing to verify against",
                cfg->target);
    if (cb_agree(comm, &local) < 0)
        goto out;

    char pod[CB_POD_LEN + 1];
    cb_pod_name(rank, 0, pod);
    cb_phase_opts po = {.writing = 0, .verify = 1, .seed = (uint64_t)tab.meta.seed, .sched = cfg->sched,
                        .pod = pod, .clock_offset = cb_clock_offset(comm),
                        .progress = cb_progress_wanted(cfg), .progress_interval = cb_progress_interval()};
    cb_phase_out o;
    if (cb_phase_run(cfg, be, tasks, index, ntasks, &po, comm, &o, &local) < 0)
        goto out;
    double span_lo, span_hi, check_s;
    int64_t bytes;
    MPI_Reduce(&o.open_start, &span_lo, 1, MPI_DOUBLE, MPI_MIN, 0, comm);
    MPI_Reduce(&o.close_end, &span_hi, 1, MPI_DOUBLE, MPI_MAX, 0, comm);
    MPI_Reduce(&o.gen_s, &check_s, 1, MPI_DOUBLE, MPI_SUM, 0, comm);
    MPI_Reduce(&o.bytes, &bytes, 1, MPI_INT64_T, MPI_SUM, 0, comm);
    cb_mismatch *bad = NULL;
    int64_t nbad = 0;
    cb_gather_bad(&o, comm, &bad, &nbad, &local);
    cb_net_summary net;
    cb_gather_net(&o, comm, &net);
    const char *counter = o.counter;
    cb_phase_out_free(&o);
    if (rank == 0 && !local.code) {
        double span = span_hi - span_lo, mbps = span > 0 ? (double)bytes / span / 1e6 : 0;
        if (!cfg->quiet && !(cfg->json_path && !strcmp(cfg->json_path, "-"))) {
            printf("verified %lld complete tasks of %lld (%.1f MB) in %.3f s, %.1f MB/s read\n", (long long)ntasks,
                   (long long)tab.ntasks, (double)bytes / 1e6, span, mbps);
            if (counter)
                printf("counter:      %s (the dynamic schedule's claims)\n", counter);
            cb_mismatches_text(stdout, tab.tasks, bad, nbad);
            printf("%s: %lld tasks with mismatches\n", nbad ? "FAILED" : "OK", (long long)nbad);
            fflush(stdout);
        }
        if (cfg->json_path) {
            cJSON *doc = cJSON_CreateObject();
            cJSON_AddStringToObject(doc, "target", cfg->target);
            cJSON_AddStringToObject(doc, "backend", be->name);
            cJSON_AddNumberToObject(doc, "tasks_verified", (double)ntasks);
            cJSON_AddNumberToObject(doc, "bytes", (double)bytes);
            cJSON_AddNumberToObject(doc, "elapsed_s", span);
            cJSON_AddNumberToObject(doc, "read_MBps", mbps);
            cJSON_AddNumberToObject(doc, "check_s", check_s);
            if (counter)
                cJSON_AddStringToObject(doc, "counter", counter);
            cJSON_AddItemToObject(doc, "mismatches", cb_mismatches_json(bad, nbad));
            if (!strcmp(be->name, "hsds"))
                cJSON_AddItemToObject(doc, "http", cb_net_json(&net));
            cb_json_save(cfg->json_path, doc, &local);
            cJSON_Delete(doc);
        }
        if (nbad && !local.code)
            cb_fail(&local, CB_EVERIFY, "%lld of %lld tasks differ from the generated values", (long long)nbad,
                    (long long)ntasks);
    }
    free(bad);
    cb_agree(comm, &local);
out:
    free(tasks);
    free(index);
    cb_table_free(&tab);
    if (local.code) {
        *err = local;
        return -1;
    }
    return 0;
}
