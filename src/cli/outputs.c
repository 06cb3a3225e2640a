/* The files a command will write at its end, checked before it starts: a
 * run must not end with "cannot write ro/x.json" after an hour of work. */
#include <string.h>
#include <sys/stat.h>

#include "cli/commands.h"
#include "core/mpi_err.h"
#include "core/outfile.h"

/* One output: writable (core/outfile.h), and not the target itself. */
static int check_one(const cb_config *cfg, const char *what, const char *path, cb_err *err)
{
    if (!path)
        return 0;
    struct stat out, tgt;
    if (strcmp(path, "-") && cfg->target && stat(path, &out) == 0 && stat(cfg->target, &tgt) == 0 &&
        out.st_dev == tgt.st_dev && out.st_ino == tgt.st_ino)
        return cb_fail(err, CB_EUSAGE, "%s %s is the target itself; choose another path", what, path);
    return cb_outfile_check(what, path, err);
}

static int check_all(const cb_config *cfg, cb_err *err)
{
    if (cfg->cmd == CB_CMD_REPORT)
        return check_one(cfg, "-o", cfg->report_path, err);
    if (cfg->cmd == CB_CMD_CREATE || cfg->cmd == CB_CMD_COMPARE)
        return 0; /* standard output only */
    /* read of several datasets writes one file of each per dataset */
    int n = cfg->cmd == CB_CMD_READ && cfg->ndatasets > 1 ? cfg->ndatasets : 1;
    for (int k = 0; k < n; k++) {
        char b[4][4096];
        if (check_one(cfg, "--json", cb_output_numbered(cfg->json_path, k, n, b[0], sizeof b[0]), err) < 0 ||
            check_one(cfg, "--csv", cb_output_numbered(cfg->csv_path, k, n, b[1], sizeof b[1]), err) < 0 ||
            check_one(cfg, "--report", cb_output_numbered(cfg->report_path, k, n, b[2], sizeof b[2]), err) < 0 ||
            check_one(cfg, "--log", cb_output_numbered(cfg->log_path, k, n, b[3], sizeof b[3]), err) < 0)
            return -1;
    }
    /* and, of several, the whole read's JSON under the name given */
    return n > 1 ? check_one(cfg, "--json", cfg->json_path, err) : 0;
}

int cb_check_outputs(const cb_config *cfg, MPI_Comm comm, cb_err *err)
{
    int rank;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return -1;
    /* Rank 0 writes every output, so it alone looks; all ranks take its verdict. */
    cb_err local = {0};
    if (rank == 0)
        check_all(cfg, &local);
    if (cb_bcast_verdict(comm, &local) < 0) {
        *err = local;
        return -1;
    }
    return 0;
}
