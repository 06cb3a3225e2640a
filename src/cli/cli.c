#include "cli/config.h"

#include <stdlib.h>
#include <string.h>

#include "cli/options.h"
#include "cli/store_opts.h"

/* The commands: what --help says about each besides its options (those come
 * from the option table, src/cli/options.c). */
static const struct command {
    const char *name;
    cb_cmd cmd;
    int mpi;             /* runs under mpirun */
    const char *args;    /* the positional arguments */
    const char *summary; /* its line in the overview */
    const char *about;   /* --help, after the usage line */
    const char *notes;   /* --help, after the options (NULL: none) */
} commands[] = {
    {"create", CB_CMD_CREATE, 0, "TARGET NROWS NCOLS [row|col|block]", "make the dataset and its task table",
     "  Creates TARGET with the 2-D dataset `dset` and the task table `task_list`.\n"
     "  TARGET is a file path, or hdf5://DOMAIN for HSDS. Tasks: block = one chunk\n"
     "  (default), row = one dataset row, col = one dataset column.\n",
     NULL},
    {"write", CB_CMD_WRITE, 1, "TARGET", "write every pending task (under mpirun)",
     "  Writes every task that is not complete exactly once, then records the task\n"
     "  table and prints the status report.\n",
     "  Progress: CHUNKBENCH_PROGRESS_INTERVAL=SECONDS sets how often the progress\n"
     "  line is printed (default 0.25 s on a terminal, 5 s otherwise).\n"
     "  Exit status 6: a server restart lost tasks this run wrote; they are pending\n"
     "  again and write finishes them.\n"},
    {"status", CB_CMD_STATUS, 0, "[-v] TARGET", "progress, bandwidth, latency, writers",
     "  Task counts, elapsed time, bytes, bandwidths, latency percentiles and writers.\n", NULL},
    {"verify", CB_CMD_VERIFY, 1, "TARGET", "read back complete tasks and check them",
     "  Reads back every complete task and compares it with the generator.\n"
     "  Exit status 4 when any value differs.\n",
     NULL},
    {"read", CB_CMD_READ, 1, "TARGET [DATASET|PATTERN...]", "timed read: drivers, caches, request log",
     "  Reads the dataset task by task (or the named 1-D/2-D datasets by row blocks),\n"
     "  times every task and every storage request, and prints the report. Never\n"
     "  writes to TARGET. TARGET: a file, an http(s):// or s3:// URL, or hdf5://.\n"
     "  A PATTERN ('/gt*/land_ice_segments/h_li', quoted) reads every dataset it matches.\n",
     NULL},
    {"run", CB_CMD_RUN, 1, "TARGET NROWS NCOLS [row|col|block]", "create + write + status in one go",
     "  create + write + status in one command. Takes the options of create and write.\n", NULL},
    {"report", CB_CMD_REPORT, 0, "TARGET|RUN.json ... [-o FILE.html]", "an HTML report with pictures",
     "  One self-contained HTML file (no network, no scripts): summary, timeline per\n"
     "  writer, throughput over time, latency histogram, writers, chunk grid heat map;\n"
     "  several runs are compared side by side. A TARGET is read as status reads it;\n"
     "  RUN.json is the output of write/run/status --json. Default output: report.html.\n",
     NULL},
    {"compare", CB_CMD_COMPARE, 0, "RUN.json RUN.json ... [--csv]", "runs side by side, ratios to the first",
     "  The runs side by side (backend, schedule, io, writers, bytes, bandwidths,\n"
     "  latency percentiles, per-writer spread) with ratios against the first.\n",
     NULL},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const struct command *command_of(cb_cmd cmd)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (commands[i].cmd == cmd)
            return &commands[i];
    return NULL;
}

const char *cb_cmd_name(cb_cmd cmd)
{
    const struct command *c = command_of(cmd);
    return c ? c->name : "?";
}

static void print_overview(FILE *out)
{
    fputs("usage: chunkbench COMMAND [options]\n"
          "\n"
          "Write (and read back) a 2-D chunked dataset chunk by chunk from many MPI ranks,\n"
          "through parallel HDF5 (a file path) or HSDS (an hdf5:// domain), and report timings.\n"
          "\n"
          "commands:\n",
          out);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-7s %-36s %s\n", commands[i].name, commands[i].args, commands[i].summary);
    fputs("\n`chunkbench COMMAND --help` shows a command's options; --version prints the version.\n", out);
}

void cb_print_help(FILE *out, const cb_config *cfg)
{
    const struct command *c = command_of(cfg->cmd);
    if (cfg->show_options == CB_SHOW_OPTIONS_TSV) {
        cb_options_tsv(out);
    } else if (cfg->show_options == CB_SHOW_OPTIONS_MARKDOWN) {
        cb_options_markdown(out);
    } else if (!c) {
        print_overview(out);
    } else {
        fprintf(out, "usage: %schunkbench %s %s [options]\n%s", c->mpi ? "[mpirun -n N] " : "", c->name, c->args,
                c->about);
        cb_options_help(out, c->cmd);
        if (c->notes)
            fputs(c->notes, out);
    }
}

/* The read options that only make sense together, checked before any I/O
 * (the backend checks its own: cb_store_check). */
/* read --pattern and its companions: the syntax here, before anything is
 * opened; the shape against the dataset's in cmd_read. */
static int check_pattern(cb_config *cfg, const cb_opt_seen *seen, const cb_backend *be, cb_err *err)
{
    if (!cfg->pattern_arg) {
        if (cb_option_given(seen, "count") || cb_option_given(seen, "group"))
            return cb_fail(err, CB_EUSAGE, "--count and --group shape a --pattern read: give --pattern SPEC too");
        if (cb_option_given(seen, "seed"))
            return cb_fail(err, CB_EUSAGE, "read --seed places the random selections of --pattern: give --pattern random:... or points:N too");
        return 0;
    }
    if (!(be->caps & CB_CAP_SELECTIONS))
        return cb_fail(err, CB_EUSAGE, "--pattern: the %s backend does not read selections yet (only whole tasks); read an HDF5 file (a path or URL) or an HSDS domain instead",
                       be->name);
    if (cb_pattern_parse(cfg->pattern_arg, &cfg->pattern, err) < 0)
        return -1;
    if (cb_option_given(seen, "count") && cfg->pattern.kind != CB_PAT_RANDOM)
        return cb_fail(err, CB_EUSAGE, "--count is the number of random:ROWSxCOLS boxes; %s takes --group instead", cfg->pattern_arg);
    if (cb_option_given(seen, "group") && cfg->pattern.kind == CB_PAT_RANDOM)
        return cb_fail(err, CB_EUSAGE, "--group applies to stride and points patterns; each random box is one task (use --count)");
    if (cb_option_given(seen, "seed") && (cfg->pattern.kind == CB_PAT_STRIDE || cfg->pattern.file))
        return cb_fail(err, CB_EUSAGE, "--seed places random selections; %s has none: leave --seed out", cfg->pattern_arg);
    if (cfg->iter_given || cfg->shift_hosts)
        return cb_fail(err, CB_EUSAGE, "--pattern makes its own tasks, one a selection: leave --%s out",
                       cfg->iter_given ? "iter" : "shift-hosts");
    return 0;
}

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
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(s, commands[i].name))
            return commands[i].cmd;
    return CB_CMD_NONE;
}

/* A first argument that is no command but answered by itself: the overview,
 * the version, or the option table for maintainers (README, tests). */
static int answered_alone(const char *a, cb_config *cfg)
{
    if (!strcmp(a, "--help") || !strcmp(a, "-h"))
        cfg->show_help = 1;
    else if (!strcmp(a, "--version"))
        cfg->show_version = 1;
    else if (!strcmp(a, "--options-tsv"))
        cfg->show_help = 1, cfg->show_options = CB_SHOW_OPTIONS_TSV;
    else if (!strcmp(a, "--options-markdown"))
        cfg->show_help = 1, cfg->show_options = CB_SHOW_OPTIONS_MARKDOWN;
    return cfg->show_help || cfg->show_version;
}

/* report and compare: their runs. */
static int check_inputs(cb_config *cfg, cb_err *err)
{
    const char *name = cb_cmd_name(cfg->cmd);
    int need = cfg->cmd == CB_CMD_COMPARE ? 2 : 1;
    if (cfg->ninputs < need)
        return cb_fail(err, CB_EUSAGE, "%s needs at least %d input%s; see chunkbench %s --help", name, need,
                       need > 1 ? "s" : "", name);
    if (cfg->cmd == CB_CMD_REPORT && !cfg->report_path)
        cfg->report_path = "report.html";
    cfg->target = cfg->inputs[0];
    return 0;
}

/* create and run: NROWS NCOLS [row|col|block], and the chunk that follows from them. */
static int parse_shape(cb_config *cfg, char **pos, int npos, cb_err *err)
{
    if (cb_parse_int("NROWS", pos[1], 1, INT32_MAX, 0, &cfg->layout.shape[0], err) < 0 ||
        cb_parse_int("NCOLS", pos[2], 1, INT32_MAX, 0, &cfg->layout.shape[1], err) < 0)
        return -1;
    if (npos == 4 && cb_iter_parse(pos[3], &cfg->layout.iter) < 0)
        return cb_fail(err, CB_EUSAGE, "iteration type must be row, col or block, got '%s'", pos[3]);
    if (cfg->chunk_given && cfg->chunk_mb > 0)
        return cb_fail(err, CB_EUSAGE, "give --chunk or --chunk-mb, not both");
    if (cfg->chunk_mb > 0) {
        cb_chunk_for_mb(&cfg->layout, cfg->chunk_mb, cfg->layout.chunk);
    } else if (!cfg->chunk_given) {
        for (int d = 0; d < 2; d++)
            if (cfg->layout.chunk[d] > cfg->layout.shape[d])
                cfg->layout.chunk[d] = cfg->layout.shape[d]; /* the default is clipped, as in the seed */
    }
    return cb_layout_check(&cfg->layout, err);
}

/* The MPI-IO hints asked for: the file's, then --hint's in order (a later key
 * wins), then, for the open that creates the file, the striping ones. Read
 * here, before anything is opened, so a bad line stops the run first. */
static int gather_hints(cb_config *cfg, cb_err *err)
{
    if (cfg->hints_file && cb_hints_parse_file(&cfg->mpi_hints, cfg->hints_file, err) < 0)
        return -1;
    for (int i = 0; i < cfg->hint_args.n; i++)
        if (cb_hints_parse_arg(&cfg->mpi_hints, cfg->hint_args.v[i], err) < 0)
            return -1;
    if (cb_hints_copy(&cfg->create_hints, &cfg->mpi_hints, err) < 0)
        return -1;
    char num[32];
    snprintf(num, sizeof num, "%lld", (long long)cfg->stripe_count);
    if (cfg->stripe_count > 0 && cb_hints_set(&cfg->create_hints, "striping_factor", num, "--stripe-count", err) < 0)
        return -1;
    snprintf(num, sizeof num, "%lld", (long long)cfg->stripe_size);
    if (cfg->stripe_size > 0 && cb_hints_set(&cfg->create_hints, "striping_unit", num, "--stripe-size", err) < 0)
        return -1;
    return 0;
}

/* --filter: every SPEC's form, before the backend checks what its library has. */
static int gather_filters(cb_config *cfg, cb_err *err)
{
    for (int i = 0; i < cfg->filter_args.n; i++)
        if (cb_filters_add(&cfg->filters, cfg->filter_args.v[i], err) < 0)
            return -1;
    cfg->filters.no_edge = cfg->no_edge_filter;
    if (cfg->no_edge_filter && !cfg->filters.n)
        return cb_fail(err, CB_EUSAGE, "--no-edge-filter leaves edge chunks out of the filter pipeline: give --filter too");
    return 0;
}

void cb_config_free(cb_config *cfg)
{
    free(cfg->inputs);
    free(cfg->hint_args.v);
    free(cfg->filter_args.v);
    cb_hints_free(&cfg->mpi_hints);
    cb_hints_free(&cfg->create_hints);
}

/* The rules between options and the kind of target, for every command with one. */
static int check_rules(cb_config *cfg, const cb_opt_seen *seen, cb_err *err)
{
    const cb_backend *be = cb_backend_for(cfg->target);
    if (cfg->cmd == CB_CMD_READ && (check_pattern(cfg, seen, be, err) < 0 || check_read(cfg, be, err) < 0))
        return -1;
    if (gather_hints(cfg, err) < 0 || gather_filters(cfg, err) < 0)
        return -1;
    if (cb_store_check(cfg, err) < 0)
        return -1;
    if (cfg->sched == CB_SCHED_SERVER && !(be->caps & CB_CAP_CLAIMS))
        return cb_fail(err, CB_EUSAGE, "--schedule server claims tasks from an HSDS task table: it needs an hdf5:// target; use dynamic for files");
    if (cfg->lease_s > 0 && cfg->sched != CB_SCHED_SERVER)
        return cb_fail(err, CB_EUSAGE, "--lease applies to --schedule server only");
    if (cfg->shift_hosts && cfg->sched != CB_SCHED_BLOCK)
        return cb_fail(err, CB_EUSAGE, "--shift-hosts hands each rank the tasks of another host in blocks: leave --schedule %s out",
                       cb_sched_name(cfg->sched));
    if (cfg->tasks_per_call > 1 && !(be->caps & CB_CAP_BATCH))
        return cb_fail(err, CB_EUSAGE, "--tasks-per-call: the %s backend writes one task a request; leave it out", be->name);
    if (cfg->shift_hosts && cfg->ndatasets > 0)
        return cb_fail(err, CB_EUSAGE, "--shift-hosts reads dset's tasks by the writers its task table records: name no datasets");
    if (cb_option_given(seen, "claim-batch") && cfg->sched != CB_SCHED_SERVER)
        return cb_fail(err, CB_EUSAGE, "--claim-batch applies to --schedule server only");
    if (cfg->deadline_wearout && cfg->deadline_s <= 0)
        return cb_fail(err, CB_EUSAGE, "--deadline-wearout evens out the ranks after a deadline: give --deadline SECONDS too");
    if (cfg->deadline_s > 0 && cfg->iterations > 1)
        return cb_fail(err, CB_EUSAGE, "--deadline stops one pass and leaves the rest pending: leave --iterations out (or run write again for another timed pass)");
    if (cfg->iterations > 1)
        cfg->rewrite = 1;
    if (cfg->rewrite && cfg->sched == CB_SCHED_SERVER)
        return cb_fail(err, CB_EUSAGE, "--iterations and --rewrite need an MPI schedule; the server hands out pending tasks only");
    return 0;
}

/* Every command but report and compare: TARGET and what follows it. */
static int check_target(cb_config *cfg, const cb_opt_seen *seen, cb_err *err)
{
    const char *name = cb_cmd_name(cfg->cmd);
    char **pos = cfg->inputs;
    int npos = cfg->ninputs;
    int takes_shape = cfg->cmd == CB_CMD_CREATE || cfg->cmd == CB_CMD_RUN;
    int need = takes_shape ? 3 : 1, most = takes_shape ? 4 : cfg->cmd == CB_CMD_READ ? npos : 1;
    if (npos < need)
        return cb_fail(err, CB_EUSAGE, "missing argument%s: %s; see chunkbench %s --help", need - npos > 1 ? "s" : "",
                       takes_shape ? "TARGET NROWS NCOLS" : "TARGET", name);
    if (npos > most)
        return cb_fail(err, CB_EUSAGE, "unexpected argument '%s'; see chunkbench %s --help", pos[most], name);
    cfg->target = pos[0];
    if (!*cfg->target)
        return cb_fail(err, CB_EUSAGE, "TARGET is empty: give a file path or an hdf5:// domain");
    if (takes_shape && parse_shape(cfg, pos, npos, err) < 0)
        return -1;
    /* "" would read as uniform (it means an older file); as an argument it is a slip. */
    if (takes_shape && cfg->values_arg && (!*cfg->values_arg || cb_values_parse(cfg->values_arg, &cfg->values) < 0))
        return cb_fail(err, CB_EUSAGE, "--values must be uniform, smooth, repeat:F (F a decimal in [0, 1]) or zeros, got '%s'",
                       cfg->values_arg);
    if (cfg->cmd == CB_CMD_READ) {
        cfg->datasets = pos + 1;
        cfg->ndatasets = npos - 1;
    }
    return check_rules(cfg, seen, err);
}

int cb_parse_args(int argc, char **argv, cb_config *cfg, cb_err *err)
{
    memset(cfg, 0, sizeof *cfg);
    cb_options_defaults(cfg);
    if (argc < 2)
        return cb_fail(err, CB_EUSAGE, "no command given; try chunkbench --help");
    if (answered_alone(argv[1], cfg))
        return 0;
    cfg->cmd = cmd_of(argv[1]);
    if (cfg->cmd == CB_CMD_NONE)
        return cb_fail(err, CB_EUSAGE, "unknown command '%s'; commands: create, write, status, verify, read, run, report, compare", argv[1]);
    /* Positional arguments, in order; freed at exit. */
    cfg->inputs = calloc((size_t)argc, sizeof *cfg->inputs);
    if (!cfg->inputs)
        return cb_fail(err, CB_EIO, "out of memory");
    cb_opt_seen seen;
    if (cb_options_parse(argc, argv, 2, cfg, cfg->inputs, &cfg->ninputs, &seen, err) < 0)
        return -1;
    if (cfg->show_help || cfg->show_version)
        return 0;
    if (cfg->cmd == CB_CMD_REPORT || cfg->cmd == CB_CMD_COMPARE)
        return check_inputs(cfg, err);
    return check_target(cfg, &seen, err);
}
