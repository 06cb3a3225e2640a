/* chunkbench: entry point. Parses the command line on every rank, runs the
 * subcommand collectively, and reports an error once, on rank 0. */
#include <malloc.h>
#include <mpi.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/config.h"
#include "cli/commands.h"
#include "core/mpi_err.h"
#include "core/outfile.h"
#include "engine/hosts.h"
#include "engine/phase.h"

/* SIGTERM/SIGINT (Slurm's walltime signal, mpirun's, Ctrl-C): a write stops
 * at the next task boundary and records what it did. Anywhere else, or on a
 * second signal, the signal ends the process as it would without us. */
static void on_stop_signal(int sig)
{
    if (cb_phase_request_stop(sig) == 0)
        return;
    signal(sig, SIG_DFL);
    raise(sig);
}

static void catch_stop_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART; /* MPI and HDF5 calls go on; the phase looks at the flag */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
}

/* True when a launcher started this process as a rank of a job (mpirun,
 * mpiexec, srun, prterun set one of these); false for a singleton. */
static int started_by_launcher(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        if (getenv(vars[i]))
            return 1;
    return 0;
}

#if defined(OMPI_MAJOR_VERSION) && OMPI_MAJOR_VERSION < 5
/* Every isolated Open MPI 4 singleton names the same session directory
 * (<tmpdir>/ompi.<host>.<uid>/jf.0/1/0) and removes it at MPI_Finalize, so
 * singletons started together (server-schedule writers) meet one another's
 * mkdir and rmdir: 55 of 1800 starts, six at a time, died in orte_init
 * (mkdir: File exists, or No such file or directory; exit 1). Each gets a
 * directory of its own under the one Open MPI would use; Open MPI empties
 * it, and it goes at exit. */
static char session_base[4096];

static void remove_session_base(void)
{
    rmdir(session_base); /* fails, harmlessly, if Open MPI left something */
}

static void private_session_dir(void)
{
    const char *base = getenv("OMPI_MCA_orte_tmpdir_base");
    if (!base || !*base)
        base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    int n = snprintf(session_base, sizeof session_base, "%s/chunkbench-mpi.XXXXXX", base);
    if (n < 0 || (size_t)n >= sizeof session_base || !mkdtemp(session_base))
        return; /* Open MPI's own directory then, as without this */
    setenv("OMPI_MCA_orte_tmpdir_base", session_base, 1);
    atexit(remove_session_base);
}
#endif

/* Open MPI settings made before MPI_Init. A user's own setting (environment
 * or mpirun --mca) always wins; other MPIs never read these variables. */
static void set_mpi_defaults(void)
{
    /* OMPIO opens a shared-file-pointer component with every file:
     * sharedfp/lockedfile overflows a buffer on paths of 245+ characters
     * (abort, exit 134) and sharedfp/sm fails MPI_File_open on a bare name
     * ("F", not "./F"). chunkbench and HDF5 never use shared file pointers, so
     * keep both out; "individual" remains. */
    setenv("OMPI_MCA_sharedfp", "^lockedfile,sm", 0);
    if (started_by_launcher())
        return;
    /* A singleton (a server-schedule writer, a one-process command) talks to
     * no other rank, so the messaging layer is ob1 with its self transport.
     * Left to choose, Open MPI 4.1 first tries cm, whose psm2 transport loads
     * libpsm2, and that library's constructor probes for Omni-Path hardware
     * in 125 us sleeps: 0.2 s of every start on Debian's build. Under a
     * launcher the choice is left alone: there cm may be the fast path. */
    setenv("OMPI_MCA_pml", "ob1", 0);
#if defined(OMPI_MAJOR_VERSION) && OMPI_MAJOR_VERSION < 5
    /* And Open MPI 4 forks a daemon for a singleton, kept only for
     * MPI_Comm_spawn and friends, which chunkbench never calls: without it
     * start-up is ~0.1 s shorter, and many writers started at once do not
     * run a daemon each. */
    setenv("OMPI_MCA_ess_singleton_isolated", "1", 0);
    const char *isolated = getenv("OMPI_MCA_ess_singleton_isolated");
    if (isolated && strcmp(isolated, "0") != 0)
        private_session_dir();
#endif
}

int main(int argc, char **argv)
{
    set_mpi_defaults();
    /* One write(2) a line on stderr. Unbuffered, glibc 2.37+ writes a long
     * fprintf in 128-byte pieces, and Open MPI 5's output forwarding has been
     * seen to put the first piece of a rank's warning into stdout. Lines
     * end in '\n', so nothing waits; the progress line flushes its own. */
    static char err_line[8192];
    setvbuf(stderr, err_line, _IOLBF, sizeof err_line);
    /* Keep freed buffers in the heap. HDF5's parallel filtered path mallocs
     * every chunk's buffer anew (and the deflate filter its output): above
     * glibc's 128 KiB mmap threshold each is a fresh mapping whose pages fault
     * in on the first copy, about 5 % of a deflate:1 write. 32 MiB is glibc's
     * highest threshold on 64-bit; trimming waits for 256 MiB free at the top. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    /* Until the handler below is set, a failed MPI call aborts the job. */
    if (MPI_Init(&argc, &argv) != MPI_SUCCESS) {
        fputs("chunkbench: error: MPI_Init failed\n", stderr);
        return CB_EIO;
    }
    catch_stop_signals();
    int rank = 0;
    cb_config cfg = {0};
    cb_err err = {0};
    /* MPI failures come back as codes so every rank can stop together. Files
     * (HDF5's MPI-IO) return codes by default; said here so it stays so.
     * Windows get theirs where they are made (engine/rma_counters.c). */
    int rc = cb_mpi(&err, MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN), "MPI_Comm_set_errhandler");
    if (rc == 0)
        rc = cb_mpi(&err, MPI_File_set_errhandler(MPI_FILE_NULL, MPI_ERRORS_RETURN), "MPI_File_set_errhandler");
    if (rc == 0)
        rc = cb_mpi(&err, MPI_Comm_rank(MPI_COMM_WORLD, &rank), "MPI_Comm_rank");
    if (rc == 0)
        rc = cb_parse_args(argc, argv, &cfg, &err);
    if (rc == 0 && cfg.show_help) {
        if (rank == 0)
            cb_print_help(stdout, &cfg);
    } else if (rc == 0 && cfg.show_version) {
        if (rank == 0) {
            cb_provenance p;
            cb_provenance_local(&p, NULL);
            cb_provenance_mpi_version(&p);
            cb_provenance_version(stdout, &p);
        }
    } else if (rc == 0 && (rc = cb_check_outputs(&cfg, MPI_COMM_WORLD, &err)) == 0) {
        if (rank == 0)
            cb_store_notes(&cfg, stderr);
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
    /* Output lost on a full disk or a closed pipe is a failure (rank 0 prints). */
    if (rc == 0 && rank == 0)
        rc = cb_stdout_check(&err);
    if (rc != 0 && rank == 0)
        fprintf(stderr, "chunkbench: error: %s\n", err.msg);
    cb_config_free(&cfg);
    if (cb_mpi(&err, MPI_Finalize(), "MPI_Finalize") < 0 && rc == 0) {
        rc = -1;
        if (rank == 0)
            fprintf(stderr, "chunkbench: error: %s\n", err.msg);
    }
    return rc == 0 ? 0 : (err.code ? err.code : 1);
}
