/* chunkbench: entry point. Parses the command line on every rank, runs the
 * subcommand collectively, and reports an error once, on rank 0. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/config.h"
#include "cli/commands.h"
#include "engine/hosts.h"

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    /* MPI failures come back as codes so every rank can stop together. */
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);

    cb_config cfg = {0};
    cb_err err = {0};
    int rc = cb_parse_args(argc, argv, &cfg, &err);
    if (rc == 0 && cfg.show_help) {
        if (rank == 0)
            fputs(cb_usage(cfg.cmd), stdout);
    } else if (rc == 0 && cfg.show_version) {
        if (rank == 0) {
            cb_provenance p;
            cb_provenance_local(&p, NULL);
            cb_provenance_mpi_version(&p);
            cb_provenance_version(stdout, &p);
        }
    } else if (rc == 0) {
        switch (cfg.cmd) {
        case CB_CMD_CREATE: rc = cmd_create(&cfg, MPI_COMM_WORLD, &err); break;
        case CB_CMD_WRITE: rc = cmd_write(&cfg, MPI_COMM_WORLD, &err); break;
        case CB_CMD_STATUS: rc = cmd_status(&cfg, MPI_COMM_WORLD, &err); break;
        case CB_CMD_VERIFY: rc = cmd_verify(&cfg, MPI_COMM_WORLD, &err); break;
        case CB_CMD_READ: rc = cmd_read(&cfg, MPI_COMM_WORLD, &err); break;
        case CB_CMD_REPORT:
        case CB_CMD_COMPARE: rc = cmd_report(&cfg, MPI_COMM_WORLD, &err); break;
        case CB_CMD_RUN:
            rc = cmd_create(&cfg, MPI_COMM_WORLD, &err);
            if (rc == 0)
                rc = cmd_write(&cfg, MPI_COMM_WORLD, &err);
            break;
        default: break;
        }
    }
    if (rc != 0 && rank == 0)
        fprintf(stderr, "chunkbench: error: %s\n", err.msg);
    free(cfg.inputs);
    MPI_Finalize();
    return rc == 0 ? 0 : (err.code ? err.code : 1);
}
