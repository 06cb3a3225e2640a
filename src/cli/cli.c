#include "cli/config.h"
#include "cli/store_opts.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *usage_all =
    "usage: chunkbench COMMAND [options]\n"
    "\n"
    "Write (and read back) a 2-D chunked dataset chunk by chunk from many MPI ranks,\n"
    "through parallel HDF5 (a file path) or HSDS (an hdf5:// domain), and report timings.\n"
    "\n"
    "commands:\n"
    "  create TARGET NROWS NCOLS [row|col|block]   make the dataset and its task table\n"
    "  write  TARGET                               write every pending task (under mpirun)\n"
    "  status [-v] TARGET                          progress, bandwidth, latency, writers\n"
    "  verify TARGET                               read back complete tasks and check them\n"
    "  read   TARGET [DATASET...]                  timed read: drivers, caches, request log\n"
    "  run    TARGET NROWS NCOLS [row|col|block]   create + write + status in one go\n"
    "  report TARGET|RUN.json ... -o FILE.html      an HTML report with pictures\n"
    "  compare RUN.json RUN.json ... [--csv]        runs side by side, ratios to the first\n"
    "\n"
    "`chunkbench COMMAND --help` shows a command's options; --version prints the version.\n";

static const char *usage_create =
    "usage: chunkbench create TARGET NROWS NCOLS [row|col|block] [options]\n"
    "  Creates TARGET with the 2-D dataset `dset` and the task table `task_list`.\n"
    "  TARGET is a file path, or hdf5://DOMAIN for HSDS. Tasks: block = one chunk\n"
    "  (default), row = one dataset row, col = one dataset column.\n"
    "options:\n"
    "  --dtype f4|f8        element type (default f8)\n"
    "  --chunk R,C          chunk shape (default 500,1000, clipped to the shape)\n"
    "  --chunk-mb M         a near-square chunk of about M MB instead\n"
    "  --align BYTES        align chunks to BYTES (H5Pset_alignment; K/M/G suffixes)\n"
    "  --page-size BYTES    paged file-space strategy with this page size\n"
    "  --seed S             seed of the values that write will generate (default 1)\n"
    "  --force              replace an existing TARGET\n"
    "  --endpoint URL, --bucket NAME   HSDS server and bucket (else HS_ENDPOINT, .hscfg)\n"
    "  -q, --quiet          print errors only\n";

static const char *usage_write =
    "usage: [mpirun -n N] chunkbench write TARGET [options]\n"
    "  Writes every task that is not complete exactly once, then records the task\n"
    "  table and prints the status report.\n"
    "options:\n"
    "  --schedule block|cyclic|dynamic|server   who takes which task (default block;\n"
    "                       server = claim tasks from the HSDS task table, no MPI needed)\n"
    "  --io independent|collective|direct       HDF5 transfer (default independent;\n"
    "                       direct = H5Dwrite_chunk, independent, unfiltered, block tasks)\n"
    "  --seed S             values seed (default: the one stored at create)\n"
    "  --max-tasks K        each writer stops after K tasks (resume later with write)\n"
    "  --iterations N       write every task N times over and report each pass\n"
    "  --rewrite            write complete tasks too (implied by --iterations > 1)\n"
    "  --fsync              flush the data to storage before the timed close ends\n"
    "                       (MPI_File_sync / fsync, like IOR -e; HSDS: always flushed)\n"
    "  --lease SECONDS      server schedule: retake tasks in progress for longer\n"
    "  --claim-batch N      server schedule: tasks taken per claim request (1-16,\n"
    "                       default 4; 1 claims one by one, as the seed's writers)\n"
    "  --json FILE|-        the report as JSON;  --csv FILE  one row per task\n"
    "  --report FILE        an HTML report with pictures (as chunkbench report)\n"
    "  --endpoint URL, --bucket NAME   HSDS server and bucket\n"
    "  -q, --quiet          print errors only (and no progress line)\n"
    "  Progress: CHUNKBENCH_PROGRESS_INTERVAL=SECONDS sets how often the progress\n"
    "  line is printed (default 0.25 s on a terminal, 5 s otherwise).\n"
    "  Exit status 6: a server restart lost tasks this run wrote; they are pending\n"
    "  again and write finishes them.\n";

static const char *usage_report =
    "usage: chunkbench report TARGET|RUN.json ... [-o FILE.html]\n"
    "  One self-contained HTML file (no network, no scripts): summary, timeline per\n"
    "  writer, throughput over time, latency histogram, writers, chunk grid heat map;\n"
    "  several runs are compared side by side. A TARGET is read as status reads it;\n"
    "  RUN.json is the output of write/run/status --json. Default output: report.html.\n"
    "  --endpoint URL, --bucket NAME   HSDS server and bucket\n";

static const char *usage_compare =
    "usage: chunkbench compare RUN.json RUN.json ... [--csv]\n"
    "  The runs side by side (backend, schedule, io, writers, bytes, bandwidths,\n"
    "  latency percentiles, per-writer spread) with ratios against the first.\n"
    "  --csv prints CSV for spreadsheets instead of the table.\n";

static const char *usage_status =
    "usage: chunkbench status [-v] TARGET [--json FILE|-] [--csv FILE]\n"
    "  Task counts, elapsed time, bytes, bandwidths, latency percentiles and writers.\n"
    "  -v adds one tab-separated line per task.\n"
    "  --endpoint URL, --bucket NAME   HSDS server and bucket\n";

static const char *usage_verify =
    "usage: [mpirun -n N] chunkbench verify TARGET [options]\n"
    "  Reads back every complete task and compares it with the generator.\n"
    "  Exit status 4 when any value differs.\n"
    "options:\n"
    "  --schedule block|cyclic|dynamic   --io independent|collective|direct\n"
    "  --json FILE|-        the result as JSON\n"
    "  --endpoint URL, --bucket NAME   HSDS server and bucket\n"
    "  -q, --quiet          print errors only\n";

static const char *usage_read =
    "usage: [mpirun -n N] chunkbench read TARGET [DATASET...] [options]\n"
    "  Reads the dataset task by task (or the named 1-D/2-D datasets by row blocks),\n"
    "  times every task and every storage request, and prints the report. Never\n"
    "  writes to TARGET. TARGET: a file, an http(s):// or s3:// URL, or hdf5://.\n"
    "options:\n"
    "  --driver mpio|sec2|ros3   mpio: one parallel open (default for files); sec2:\n"
    "                       every rank opens the file read-only on its own; ros3:\n"
    "                       HTTP range requests (default for URLs)\n"
    "  --iter block|row|col tasks (default: the file's own)\n"
    "  --schedule block|cyclic|dynamic   --io independent|collective|direct (mpio)\n"
    "  --verify             compare every value with the generator (chunkbench files)\n"
    "  --chunk-cache BYTES  chunk cache size (rdcc_nbytes); --chunk-cache-slots N\n"
    "  --page-buffer BYTES  HDF5 page buffer (paged files; sec2/ros3 only)\n"
    "  --preset default|tuned   HDF5 defaults, or the seed's optimised settings\n"
    "                       (page buffer 16 MiB when the file is paged, chunk cache 4 MiB)\n"
    "  --log FILE           every storage request as CSV\n"
    "  --s3-region R, --s3-key-id ID, --s3-secret KEY   ros3 credentials (else anonymous)\n"
    "  --json FILE|-, --csv FILE, --report FILE   as for write\n"
    "  --endpoint URL, --bucket NAME   HSDS server and bucket\n"
    "  -q, --quiet          print errors only\n";

static const char *usage_run =
    "usage: [mpirun -n N] chunkbench run TARGET NROWS NCOLS [row|col|block] [options]\n"
    "  create + write + status in one command. Takes the options of create and write.\n";

const char *cb_usage(cb_cmd cmd)
{
    switch (cmd) {
    case CB_CMD_CREATE: return usage_create;
    case CB_CMD_WRITE: return usage_write;
    case CB_CMD_STATUS: return usage_status;
    case CB_CMD_VERIFY: return usage_verify;
    case CB_CMD_RUN: return usage_run;
    case CB_CMD_REPORT: return usage_report;
    case CB_CMD_COMPARE: return usage_compare;
    case CB_CMD_READ: return usage_read;
    default: return usage_all;
    }
}

enum {
    O_DTYPE = 256, O_CHUNK, O_CHUNK_MB, O_ALIGN, O_PAGE, O_FORCE, O_SEED, O_SCHED, O_IO, O_MAXT, O_ITER,
    O_LEASE, O_JSON, O_CSV, O_ENDPOINT, O_BUCKET, O_REWRITE, O_FSYNC, O_REPORT, O_DRIVER, O_ITERT, O_VERIFY, O_CCACHE,
    O_CSLOTS, O_PBUF, O_PRESET, O_LOG, O_S3REGION, O_S3ID, O_S3SECRET, O_CLAIMB,
};

static const struct option long_opts[] = {
    {"dtype", required_argument, 0, O_DTYPE},       {"chunk", required_argument, 0, O_CHUNK},
    {"chunk-mb", required_argument, 0, O_CHUNK_MB}, {"align", required_argument, 0, O_ALIGN},
    {"page-size", required_argument, 0, O_PAGE},    {"force", no_argument, 0, O_FORCE},
    {"seed", required_argument, 0, O_SEED},         {"schedule", required_argument, 0, O_SCHED},
    {"io", required_argument, 0, O_IO},             {"max-tasks", required_argument, 0, O_MAXT},
    {"iterations", required_argument, 0, O_ITER},   {"lease", required_argument, 0, O_LEASE},
    {"json", required_argument, 0, O_JSON},         {"csv", required_argument, 0, O_CSV},
    {"endpoint", required_argument, 0, O_ENDPOINT}, {"bucket", required_argument, 0, O_BUCKET},
    {"rewrite", no_argument, 0, O_REWRITE},         {"fsync", no_argument, 0, O_FSYNC},         {"report", required_argument, 0, O_REPORT},
    {"driver", required_argument, 0, O_DRIVER},     {"iter", required_argument, 0, O_ITERT},
    {"verify", no_argument, 0, O_VERIFY},           {"chunk-cache", required_argument, 0, O_CCACHE},
    {"chunk-cache-slots", required_argument, 0, O_CSLOTS}, {"page-buffer", required_argument, 0, O_PBUF},
    {"preset", required_argument, 0, O_PRESET},     {"log", required_argument, 0, O_LOG},
    {"s3-region", required_argument, 0, O_S3REGION}, {"s3-key-id", required_argument, 0, O_S3ID},
    {"s3-secret", required_argument, 0, O_S3SECRET}, {"claim-batch", required_argument, 0, O_CLAIMB},
    {"output", required_argument, 0, 'o'},         {"quiet", no_argument, 0, 'q'},                 {"verbose", no_argument, 0, 'v'},
    {"help", no_argument, 0, 'h'},                  {"version", no_argument, 0, 'V'},
    {0, 0, 0, 0},
};

/* Which options each command takes (a letter per option code). */
static int allowed(cb_cmd cmd, int opt)
{
    int create = opt == O_DTYPE || opt == O_CHUNK || opt == O_CHUNK_MB || opt == O_ALIGN || opt == O_PAGE ||
                 opt == O_FORCE || opt == O_SEED;
    int write = opt == O_SEED || opt == O_SCHED || opt == O_IO || opt == O_MAXT || opt == O_ITER || opt == O_LEASE ||
                opt == O_CLAIMB || opt == O_REWRITE || opt == O_FSYNC || opt == O_JSON || opt == O_CSV || opt == O_REPORT;
    int common = opt == 'q' || opt == 'h' || opt == 'V' || opt == O_ENDPOINT || opt == O_BUCKET;
    switch (cmd) {
    case CB_CMD_CREATE: return common || create;
    case CB_CMD_WRITE: return common || write;
    case CB_CMD_RUN: return common || create || write;
    case CB_CMD_STATUS: return common || opt == 'v' || opt == O_JSON || opt == O_CSV;
    case CB_CMD_VERIFY: return common || opt == O_SCHED || opt == O_IO || opt == O_JSON;
    case CB_CMD_REPORT: return common || opt == 'o';
    case CB_CMD_READ:
        return common || opt == O_SCHED || opt == O_IO || opt == O_JSON || opt == O_CSV || opt == O_REPORT ||
               opt == O_DRIVER || opt == O_ITERT || opt == O_VERIFY || opt == O_CCACHE || opt == O_CSLOTS ||
               opt == O_PBUF || opt == O_PRESET || opt == O_LOG || opt == O_S3REGION || opt == O_S3ID ||
               opt == O_S3SECRET || opt == O_MAXT;
    case CB_CMD_COMPARE: return opt == 'q' || opt == 'h' || opt == 'V';
    default: return common;
    }
}

/* "--name" of an option that takes its value from the next argument. */
static int takes_value(const char *a)
{
    if (a[0] != '-' || a[1] != '-')
        return 0;
    for (const struct option *o = long_opts; o->name; o++)
        if (o->has_arg == required_argument && !strcmp(a + 2, o->name))
            return 1;
    return 0;
}

static const char *opt_name(int opt)
{
    for (const struct option *o = long_opts; o->name; o++)
        if (o->val == opt)
            return o->name;
    return "?";
}

/* Strict integer: all of the text, in [lo, hi]; K/M/G (binary) when sized. */
static int parse_int(const char *what, const char *s, int64_t lo, int64_t hi, int sized, int64_t *out, cb_err *err)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || errno == ERANGE)
        return cb_fail(err, CB_EUSAGE, "%s must be a whole number, got '%s'", what, s);
    if (sized && *end) {
        int shift = 0;
        switch (*end) {
        case 'k': case 'K': shift = 10; break;
        case 'm': case 'M': shift = 20; break;
        case 'g': case 'G': shift = 30; break;
        default: break;
        }
        if (shift && v <= (INT64_MAX >> shift)) {
            v <<= shift;
            end++;
            if (*end == 'i' || *end == 'I') end++;
            if (*end == 'b' || *end == 'B') end++;
        }
    }
    if (*end)
        return cb_fail(err, CB_EUSAGE, "%s must be a whole number%s, got '%s'", what, sized ? " (K, M, G allowed)" : "", s);
    if (v < lo || v > hi)
        return cb_fail(err, CB_EUSAGE, "%s must be between %lld and %lld, got %s", what, (long long)lo, (long long)hi, s);
    *out = v;
    return 0;
}

static int parse_real(const char *what, const char *s, double lo, double hi, double *out, cb_err *err)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno == ERANGE || !isfinite(v))
        return cb_fail(err, CB_EUSAGE, "%s must be a number, got '%s'", what, s);
    if (v < lo || v > hi)
        return cb_fail(err, CB_EUSAGE, "%s must be between %g and %g, got %s", what, lo, hi, s);
    *out = v;
    return 0;
}

static int parse_chunk(const char *s, int64_t chunk[2], cb_err *err)
{
    const char *comma = strchr(s, ',');
    if (!comma)
        return cb_fail(err, CB_EUSAGE, "--chunk takes ROWS,COLS (e.g. --chunk 500,1000), got '%s'", s);
    char first[64];
    size_t n = (size_t)(comma - s);
    if (n >= sizeof first)
        return cb_fail(err, CB_EUSAGE, "--chunk takes ROWS,COLS, got '%s'", s);
    memcpy(first, s, n);
    first[n] = 0;
    if (parse_int("--chunk rows", first, 1, INT32_MAX, 0, &chunk[0], err) < 0 ||
        parse_int("--chunk cols", comma + 1, 1, INT32_MAX, 0, &chunk[1], err) < 0)
        return -1;
    return 0;
}

/* The read options that only make sense together, checked before any I/O
 * (the backend checks its own: cb_store_check). */
static int check_read(cb_config *cfg, const cb_backend *be, cb_err *err)
{
    if (!(be->caps & CB_CAP_FILE_DRIVERS))
        return 0; /* its check refuses --driver and the caches */
    if (cfg->driver == CB_DRIVER_DEFAULT)
        cfg->driver = cb_target_kind_of(cfg->target) == CB_TARGET_URL ? CB_DRIVER_ROS3 : CB_DRIVER_MPIO;
    if (cfg->verify && cfg->ndatasets > 0)
        for (int i = 0; i < cfg->ndatasets; i++)
            if (strcmp(cfg->datasets[i], "dset") && strcmp(cfg->datasets[i], "/dset"))
                return cb_fail(err, CB_EUSAGE, "--verify checks chunkbench's dataset dset; '%s' has no generator to check against", cfg->datasets[i]);
    return 0;
}

static cb_cmd cmd_of(const char *s)
{
    if (!strcmp(s, "create")) return CB_CMD_CREATE;
    if (!strcmp(s, "write")) return CB_CMD_WRITE;
    if (!strcmp(s, "status")) return CB_CMD_STATUS;
    if (!strcmp(s, "verify")) return CB_CMD_VERIFY;
    if (!strcmp(s, "run")) return CB_CMD_RUN;
    if (!strcmp(s, "report")) return CB_CMD_REPORT;
    if (!strcmp(s, "compare")) return CB_CMD_COMPARE;
    if (!strcmp(s, "read")) return CB_CMD_READ;
    return CB_CMD_NONE;
}

int cb_parse_args(int argc, char **argv, cb_config *cfg, cb_err *err)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->layout.elem_size = 8;
    cfg->layout.chunk[0] = 500;
    cfg->layout.chunk[1] = 1000;
    cfg->seed = 1;
    cfg->iterations = 1;
    cfg->claim_batch = CB_CLAIM_BATCH_DEFAULT;
    cfg->chunk_cache = cfg->chunk_cache_slots = cfg->page_buffer = -1;
    if (argc < 2)
        return cb_fail(err, CB_EUSAGE, "no command given; try chunkbench --help");
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        cfg->show_help = 1;
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        cfg->show_version = 1;
        return 0;
    }
    cfg->cmd = cmd_of(argv[1]);
    if (cfg->cmd == CB_CMD_NONE)
        return cb_fail(err, CB_EUSAGE, "unknown command '%s'; commands: create, write, status, verify, read, run, report, compare", argv[1]);

    int64_t v;
    double d;
    int claim_batch_given = 0;
    int sub_argc = argc - 1;
    char **sub_argv = argv + 1;
    /* getopt would take a negative number ("-5" as NROWS) for an option: hide
     * those from it, and let the positional pass below report them. */
    char *opt_argv[sub_argc + 1];
    int opt_argc = 0;
    for (int i = 0; i < sub_argc; i++) {
        const char *a = sub_argv[i];
        int is_value = i > 0 && takes_value(sub_argv[i - 1]);
        if (cfg->cmd == CB_CMD_COMPARE && !strcmp(a, "--csv")) {
            cfg->csv_flag = 1; /* a flag here, not --csv FILE */
            continue;
        }
        if (!is_value && a[0] == '-' && ((a[1] >= '0' && a[1] <= '9') || a[1] == '.'))
            continue;
        opt_argv[opt_argc++] = sub_argv[i];
    }
    opt_argv[opt_argc] = NULL;
    optind = 1;
    opterr = 0;
    for (;;) {
        int c = getopt_long(opt_argc, opt_argv, "+:qvhVo:", long_opts, NULL);
        if (c == -1) {
            /* Positional argument: keep going so options may follow it. */
            if (optind >= opt_argc)
                break;
            optind++;
            continue;
        }
        if (c == '?')
            return cb_fail(err, CB_EUSAGE, "unknown option '%s'; see chunkbench %s --help", opt_argv[optind - 1], argv[1]);
        if (c == ':')
            return cb_fail(err, CB_EUSAGE, "option '%s' needs a value; see chunkbench %s --help", opt_argv[optind - 1], argv[1]);
        if (!allowed(cfg->cmd, c))
            return cb_fail(err, CB_EUSAGE, "option --%s does not apply to %s; see chunkbench %s --help", opt_name(c), argv[1], argv[1]);
        switch (c) {
        case 'q': cfg->quiet = 1; break;
        case 'v': cfg->verbose = 1; break;
        case 'h': cfg->show_help = 1; return 0;
        case 'V': cfg->show_version = 1; return 0;
        case O_DTYPE:
            if (!strcmp(optarg, "f4") || !strcmp(optarg, "float32")) cfg->layout.elem_size = 4;
            else if (!strcmp(optarg, "f8") || !strcmp(optarg, "float64")) cfg->layout.elem_size = 8;
            else return cb_fail(err, CB_EUSAGE, "--dtype must be f4 or f8, got '%s'", optarg);
            break;
        case O_CHUNK:
            if (parse_chunk(optarg, cfg->layout.chunk, err) < 0) return -1;
            cfg->chunk_given = 1;
            break;
        case O_CHUNK_MB:
            if (parse_real("--chunk-mb", optarg, 0.001, 4000, &cfg->chunk_mb, err) < 0) return -1;
            break;
        case O_ALIGN:
            if (parse_int("--align", optarg, 1, (int64_t)1 << 40, 1, &cfg->align, err) < 0) return -1;
            break;
        case O_PAGE:
            /* HDF5 wants a page of at least 512 bytes. */
            if (parse_int("--page-size", optarg, 512, (int64_t)1 << 32, 1, &cfg->page_size, err) < 0) return -1;
            break;
        case O_FORCE: cfg->force = 1; break;
        case O_SEED:
            if (parse_int("--seed", optarg, 0, INT64_MAX, 0, &v, err) < 0) return -1;
            cfg->seed = (uint64_t)v;
            cfg->seed_given = 1;
            break;
        case O_SCHED:
            if (!strcmp(optarg, "block")) cfg->sched = CB_SCHED_BLOCK;
            else if (!strcmp(optarg, "cyclic")) cfg->sched = CB_SCHED_CYCLIC;
            else if (!strcmp(optarg, "dynamic")) cfg->sched = CB_SCHED_DYNAMIC;
            else if (!strcmp(optarg, "server") && cfg->cmd != CB_CMD_VERIFY && cfg->cmd != CB_CMD_READ)
                cfg->sched = CB_SCHED_SERVER;
            else return cb_fail(err, CB_EUSAGE, "--schedule must be block, cyclic, dynamic%s, got '%s'",
                                cfg->cmd != CB_CMD_VERIFY && cfg->cmd != CB_CMD_READ ? " or server" : "", optarg);
            break;
        case O_IO:
            if (!strcmp(optarg, "independent")) cfg->io = CB_IO_INDEPENDENT;
            else if (!strcmp(optarg, "collective")) cfg->io = CB_IO_COLLECTIVE;
            else if (!strcmp(optarg, "direct")) cfg->io = CB_IO_DIRECT;
            else return cb_fail(err, CB_EUSAGE, "--io must be independent, collective or direct, got '%s'", optarg);
            break;
        case O_MAXT:
            if (parse_int("--max-tasks", optarg, 1, INT64_MAX, 0, &cfg->max_tasks, err) < 0) return -1;
            break;
        case O_ITER:
            if (parse_int("--iterations", optarg, 1, 1000000, 0, &v, err) < 0) return -1;
            cfg->iterations = (int)v;
            break;
        case O_LEASE:
            if (parse_real("--lease", optarg, 0.001, 1e9, &d, err) < 0) return -1;
            cfg->lease_s = d;
            break;
        case O_CLAIMB:
            if (parse_int("--claim-batch", optarg, 1, CB_CLAIM_BATCH_MAX, 0, &v, err) < 0) return -1;
            cfg->claim_batch = (int)v;
            claim_batch_given = 1;
            break;
        case O_REWRITE: cfg->rewrite = 1; break;
        case O_FSYNC: cfg->fsync = 1; break;
        case O_REPORT: cfg->report_path = optarg; break;
        case 'o': cfg->report_path = optarg; break;
        case O_JSON: cfg->json_path = optarg; break;
        case O_CSV: cfg->csv_path = optarg; break;
        case O_ENDPOINT: cfg->endpoint = optarg; break;
        case O_DRIVER:
            if (!strcmp(optarg, "mpio")) cfg->driver = CB_DRIVER_MPIO;
            else if (!strcmp(optarg, "sec2")) cfg->driver = CB_DRIVER_SEC2;
            else if (!strcmp(optarg, "ros3")) cfg->driver = CB_DRIVER_ROS3;
            else return cb_fail(err, CB_EUSAGE, "--driver must be mpio, sec2 or ros3, got '%s'", optarg);
            break;
        case O_ITERT:
            if (cb_iter_parse(optarg, &cfg->iter) < 0)
                return cb_fail(err, CB_EUSAGE, "--iter must be block, row or col, got '%s'", optarg);
            cfg->iter_given = 1;
            break;
        case O_VERIFY: cfg->verify = 1; break;
        case O_CCACHE:
            if (parse_int("--chunk-cache", optarg, 0, (int64_t)1 << 40, 1, &cfg->chunk_cache, err) < 0) return -1;
            break;
        case O_CSLOTS:
            if (parse_int("--chunk-cache-slots", optarg, 1, INT32_MAX, 0, &cfg->chunk_cache_slots, err) < 0) return -1;
            break;
        case O_PBUF:
            if (parse_int("--page-buffer", optarg, 0, (int64_t)1 << 40, 1, &cfg->page_buffer, err) < 0) return -1;
            break;
        case O_PRESET:
            if (!strcmp(optarg, "default")) cfg->preset = CB_PRESET_DEFAULT;
            else if (!strcmp(optarg, "tuned")) cfg->preset = CB_PRESET_TUNED;
            else return cb_fail(err, CB_EUSAGE, "--preset must be default or tuned, got '%s'", optarg);
            break;
        case O_LOG: cfg->log_path = optarg; break;
        case O_S3REGION: cfg->s3_region = optarg; break;
        case O_S3ID: cfg->s3_key_id = optarg; break;
        case O_S3SECRET: cfg->s3_secret = optarg; break;
        case O_BUCKET: cfg->bucket = optarg; break;
        default: return cb_fail(err, CB_EUSAGE, "unexpected option; see chunkbench --help");
        }
    }

    /* Positional arguments, in order, after the option pass. */
    char **pos = calloc((size_t)sub_argc + 1, sizeof *pos);
    if (!pos)
        return cb_fail(err, CB_EIO, "out of memory");
    cfg->inputs = pos; /* freed at exit */
    int npos = 0;
    for (int i = 1; i < sub_argc; i++) {
        const char *a = sub_argv[i];
        if (cfg->cmd == CB_CMD_COMPARE && !strcmp(a, "--csv"))
            continue;
        if (a[0] == '-' && a[1] == 'o' && a[2] == 0) {
            i++; /* -o FILE */
            continue;
        }
        if (a[0] == '-' && a[1] && !(a[1] >= '0' && a[1] <= '9') && a[1] != '.') {
            if (takes_value(a))
                i++; /* skip the option's value */
            continue;
        }
        pos[npos++] = sub_argv[i];
    }
    cfg->ninputs = npos;
    if (cfg->cmd == CB_CMD_REPORT || cfg->cmd == CB_CMD_COMPARE) {
        int need_n = cfg->cmd == CB_CMD_COMPARE ? 2 : 1;
        if (npos < need_n)
            return cb_fail(err, CB_EUSAGE, "%s needs at least %d input%s; see chunkbench %s --help", argv[1], need_n,
                           need_n > 1 ? "s" : "", argv[1]);
        if (cfg->cmd == CB_CMD_REPORT && !cfg->report_path)
            cfg->report_path = "report.html";
        cfg->target = pos[0];
        return 0;
    }
    int takes_shape = cfg->cmd == CB_CMD_CREATE || cfg->cmd == CB_CMD_RUN;
    int need = takes_shape ? 3 : 1, most = takes_shape ? 4 : cfg->cmd == CB_CMD_READ ? npos : 1;
    if (npos < need)
        return cb_fail(err, CB_EUSAGE, "missing argument%s: %s; see chunkbench %s --help", need - npos > 1 ? "s" : "",
                       takes_shape ? "TARGET NROWS NCOLS" : "TARGET", argv[1]);
    if (npos > most)
        return cb_fail(err, CB_EUSAGE, "unexpected argument '%s'; see chunkbench %s --help", pos[most], argv[1]);
    cfg->target = pos[0];
    if (!*cfg->target)
        return cb_fail(err, CB_EUSAGE, "TARGET is empty: give a file path or an hdf5:// domain");
    if (takes_shape) {
        if (parse_int("NROWS", pos[1], 1, INT32_MAX, 0, &cfg->layout.shape[0], err) < 0 ||
            parse_int("NCOLS", pos[2], 1, INT32_MAX, 0, &cfg->layout.shape[1], err) < 0)
            return -1;
        if (npos == 4 && cb_iter_parse(pos[3], &cfg->layout.iter) < 0)
            return cb_fail(err, CB_EUSAGE, "iteration type must be row, col or block, got '%s'", pos[3]);
        if (cfg->chunk_given && cfg->chunk_mb > 0)
            return cb_fail(err, CB_EUSAGE, "give --chunk or --chunk-mb, not both");
        if (cfg->chunk_mb > 0) {
            cb_chunk_for_mb(&cfg->layout, cfg->chunk_mb, cfg->layout.chunk);
        } else if (!cfg->chunk_given) {
            for (int dd = 0; dd < 2; dd++)
                if (cfg->layout.chunk[dd] > cfg->layout.shape[dd])
                    cfg->layout.chunk[dd] = cfg->layout.shape[dd]; /* the default is clipped, as in the seed */
        }
        if (cb_layout_check(&cfg->layout, err) < 0)
            return -1;
    }
    const cb_backend *be = cb_backend_for(cfg->target);
    if (cfg->cmd == CB_CMD_READ) {
        cfg->datasets = pos + 1;
        cfg->ndatasets = npos - 1;
        if (check_read(cfg, be, err) < 0)
            return -1;
    }
    if (cb_store_check(cfg, err) < 0)
        return -1;
    if (cfg->sched == CB_SCHED_SERVER && !(be->caps & CB_CAP_CLAIMS))
        return cb_fail(err, CB_EUSAGE, "--schedule server claims tasks from an HSDS task table: it needs an hdf5:// target; use dynamic for files");
    if (cfg->lease_s > 0 && cfg->sched != CB_SCHED_SERVER)
        return cb_fail(err, CB_EUSAGE, "--lease applies to --schedule server only");
    if (claim_batch_given && cfg->sched != CB_SCHED_SERVER)
        return cb_fail(err, CB_EUSAGE, "--claim-batch applies to --schedule server only");
    if (cfg->iterations > 1)
        cfg->rewrite = 1;
    if (cfg->rewrite && cfg->sched == CB_SCHED_SERVER)
        return cb_fail(err, CB_EUSAGE, "--iterations and --rewrite need an MPI schedule; the server hands out pending tasks only");
    return 0;
}
