#include "cli/options.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CB_STR_(x) #x
#define CB_STR(x) CB_STR_(x)

/* Commands that write, and every command that takes a target. */
#define CB_IN_WRITERS (CB_IN_WRITE | CB_IN_RUN)
#define CB_IN_MAKERS (CB_IN_CREATE | CB_IN_RUN)
#define CB_IN_TARGETS (CB_IN_ALL & ~CB_IN_COMPARE)

static const cb_choice dtypes[] = {
    {"f4", 4, 0, 0}, {"f8", 8, 0, 0}, {"float32", 4, 0, 1}, {"float64", 8, 0, 1}, {0, 0, 0, 0},
};
static const cb_choice schedules[] = {
    {"block", CB_SCHED_BLOCK, 0, 0},     {"cyclic", CB_SCHED_CYCLIC, 0, 0},
    {"dynamic", CB_SCHED_DYNAMIC, 0, 0}, {"server", CB_SCHED_SERVER, CB_IN_WRITERS, 0},
    {0, 0, 0, 0},
};
static const cb_choice io_modes[] = {
    {"independent", CB_IO_INDEPENDENT, 0, 0}, {"collective", CB_IO_COLLECTIVE, 0, 0},
    {"direct", CB_IO_DIRECT, 0, 0},           {0, 0, 0, 0},
};
static const cb_choice chunk_opts[] = {
    {"auto", CB_CHUNK_OPT_AUTO, 0, 0}, {"one", CB_CHUNK_OPT_ONE, 0, 0}, {"multi", CB_CHUNK_OPT_MULTI, 0, 0}, {0, 0, 0, 0},
};
static const cb_choice drivers[] = {
    {"mpio", CB_DRIVER_MPIO, 0, 0}, {"sec2", CB_DRIVER_SEC2, 0, 0}, {"ros3", CB_DRIVER_ROS3, 0, 0},
    {"curl", CB_DRIVER_CURL, 0, 0}, {0, 0, 0, 0},
};
static const cb_choice iters[] = {
    {"block", CB_ITER_BLOCK, 0, 0}, {"row", CB_ITER_ROW, 0, 0}, {"col", CB_ITER_COL, 0, 0}, {0, 0, 0, 0},
};
static const cb_choice page_buffer_bys[] = {
    {"hdf5", CB_PB_HDF5, 0, 0}, {"chunkbench", CB_PB_CHUNKBENCH, 0, 0}, {0, 0, 0, 0},
};
static const cb_choice http_caches[] = {
    {"none", CB_HTTP_CACHE_NONE, 0, 0},   {"readahead", CB_HTTP_CACHE_READAHEAD, 0, 0},
    {"blockcache", CB_HTTP_CACHE_BLOCK, 0, 0}, {"first", CB_HTTP_CACHE_FIRST, 0, 0},
    {"all", CB_HTTP_CACHE_ALL, 0, 0},     {0, 0, 0, 0},
};
static const cb_choice presets[] = {
    {"default", CB_PRESET_DEFAULT, 0, 0}, {"tuned", CB_PRESET_TUNED, 0, 0}, {0, 0, 0, 0},
};

#define KIB ((int64_t)1 << 10)
#define TIB ((int64_t)1 << 40)

/* Every option of every command, in the order --help lists them. */
static const cb_option table[] = {
    /* create */
    {.name = "dtype", .kind = CB_ARG_CHOICE, .cmds = CB_IN_MAKERS, CB_FIELD(layout.elem_size), .choices = dtypes,
     .help = "element type (default f8)"},
    {.name = "chunk", .kind = CB_ARG_LIST, .cmds = CB_IN_MAKERS, CB_FIELD(layout.chunk),
     .given_at = offsetof(cb_config, chunk_given), .arg = "ROWS,COLS", .lo = 1, .hi = INT32_MAX,
     .help = "chunk shape (default 500,1000, clipped to the shape)"},
    {.name = "chunk-mb", .kind = CB_ARG_REAL, .cmds = CB_IN_MAKERS, CB_FIELD(chunk_mb), .arg = "M", .rlo = 0.001,
     .rhi = 4000, .help = "a near-square chunk of about M MB instead"},
    {.name = "align", .kind = CB_ARG_SIZE, .cmds = CB_IN_MAKERS, CB_FIELD(align), .arg = "BYTES", .lo = 1, .hi = TIB,
     .help = "align chunks to BYTES (H5Pset_alignment; K/M/G suffixes); HDF5 files"},
    /* HDF5 wants a page of at least 512 bytes. */
    {.name = "page-size", .kind = CB_ARG_SIZE, .cmds = CB_IN_MAKERS, CB_FIELD(page_size), .arg = "BYTES", .lo = 512,
     .hi = (int64_t)1 << 32, .help = "paged file-space strategy with this page size; HDF5 files"},
    /* the filter pipeline of dset (core/filters.h; applied by the HDF5 and HSDS backends) */
    {.name = "filter", .kind = CB_ARG_TEXTS, .cmds = CB_IN_MAKERS, CB_FIELD(filter_args), .arg = "SPEC",
     .help = "a filter for dset, repeatable, applied in the order given: shuffle, deflate[:LEVEL] (1-9, "
             "default 6), fletcher32, szip (where HDF5 has its encoder) or a filter number ID[:v1,v2,...] with "
             "its client values (built in or a plugin on HDF5_PLUGIN_PATH) for HDF5 files, whose writes need "
             "--io collective; on HSDS domains shuffle (before a compressor), deflate[:LEVEL] and the server's "
             "blosc codecs blosc-lz4[:LEVEL] (default 5), blosc-lz4hc, blosc-zstd, blosc-blosclz, one compressor"},
    {.name = "no-edge-filter", .kind = CB_ARG_FLAG, .cmds = CB_IN_MAKERS, CB_FIELD(no_edge_filter),
     .help = "with --filter: store the partial chunks at the dataset's edges unfiltered "
             "(H5D_CHUNK_DONT_FILTER_PARTIAL_CHUNKS); HDF5 1.14+ (1.10 writes them filtered in parallel)"},
    {.name = "seed", .kind = CB_ARG_INT, .cmds = CB_IN_MAKERS | CB_IN_WRITE | CB_IN_READ, CB_FIELD(seed),
     .given_at = offsetof(cb_config, seed_given), .arg = "S", .lo = 0, .hi = INT64_MAX,
     .help = "seed of the values (create: default 1; write: default the one stored at create); read --pattern: "
             "of the random positions (default 1)"},
    {.name = "values", .kind = CB_ARG_TEXT, .cmds = CB_IN_MAKERS, CB_FIELD(values_arg), .arg = "GEN",
     .help = "generator of the values: uniform (default; incompressible), smooth (a smooth field that deflates "
             "well), repeat:F (a fraction F of the elements 0.0, the others uniform) or zeros; stored with the "
             "dataset like the seed"},
    {.name = "force", .kind = CB_ARG_FLAG, .cmds = CB_IN_MAKERS, CB_FIELD(force), .help = "replace an existing TARGET"},
    /* the lock beside a file target (engine/target_lock.h) */
    {.name = "break-lock", .kind = CB_ARG_FLAG, .cmds = CB_IN_MAKERS | CB_IN_WRITE, CB_FIELD(break_lock),
     .help = "take over the lock of a file target (or pass a reader's mark) held on another host by a run that "
             "has ended; a holder on this host is checked without it"},
    {.name = "ignore-lock", .kind = CB_ARG_FLAG, .cmds = CB_IN_VERIFY | CB_IN_READ, CB_FIELD(ignore_lock),
     .help = "read a file target even while a writer holds its lock (the lock stays)"},
    /* write, verify, read */
    {.name = "schedule", .kind = CB_ARG_CHOICE, .cmds = CB_IN_WRITERS | CB_IN_VERIFY | CB_IN_READ, CB_FIELD(sched),
     .choices = schedules,
     .help = "who takes which task (default block; server, for write and run: claim tasks from the HSDS task "
             "table, no MPI needed)"},
    {.name = "io", .kind = CB_ARG_CHOICE, .cmds = CB_IN_WRITERS | CB_IN_VERIFY | CB_IN_READ, CB_FIELD(io),
     .choices = io_modes,
     .help = "HDF5 transfer (default independent); direct: H5Dwrite_chunk, independent, unfiltered, block "
             "tasks; read: --driver mpio only"},
    {.name = "chunk-opt", .kind = CB_ARG_CHOICE, .cmds = CB_IN_WRITERS | CB_IN_VERIFY | CB_IN_READ, CB_FIELD(chunk_opt),
     .choices = chunk_opts,
     .help = "--io collective: how chunks are moved (H5Pset_dxpl_mpio_chunk_opt): auto (HDF5 picks), one (one "
             "linked I/O for all chunks) or multi (one I/O per chunk)"},
    {.name = "coll-metadata", .kind = CB_ARG_FLAG, .cmds = CB_IN_MAKERS | CB_IN_WRITE | CB_IN_VERIFY | CB_IN_READ,
     CB_FIELD(coll_metadata),
     .help = "collective metadata reads and writes (H5Pset_all_coll_metadata_ops, H5Pset_coll_metadata_write); "
             "HDF5 files opened with MPI-IO"},
    {.name = "max-tasks", .kind = CB_ARG_INT, .cmds = CB_IN_WRITERS | CB_IN_READ, CB_FIELD(max_tasks), .arg = "K",
     .lo = 1, .hi = INT64_MAX, .help = "each rank stops after K tasks (resume later with write)"},
    {.name = "iterations", .kind = CB_ARG_INT, .cmds = CB_IN_WRITERS, CB_FIELD(iterations), .arg = "N", .lo = 1,
     .hi = 1000000, .help = "write every task N times over and report each pass"},
    {.name = "deadline", .kind = CB_ARG_REAL, .cmds = CB_IN_WRITERS, CB_FIELD(deadline_s), .arg = "SECONDS",
     .rlo = 0.001, .rhi = 1e7,
     .help = "stonewalling: begin no task SECONDS after the pass began; the rest stays pending (IOR -D)"},
    {.name = "deadline-wearout", .kind = CB_ARG_FLAG, .cmds = CB_IN_WRITERS, CB_FIELD(deadline_wearout),
     .help = "after the deadline every rank goes on to as many tasks as the busiest one had done by it"},
    {.name = "rewrite", .kind = CB_ARG_FLAG, .cmds = CB_IN_WRITERS, CB_FIELD(rewrite),
     .help = "write complete tasks too (implied by --iterations > 1)"},
    {.name = "tasks-per-call", .kind = CB_ARG_INT, .cmds = CB_IN_WRITERS, CB_FIELD(tasks_per_call), .arg = "K",
     .lo = 1, .hi = 4096,
     .help = "take K tasks at a time and write them joined into rectangles, one H5Dwrite each (selection I/O "
             "on HDF5 1.14.1+)"},
    {.name = "fsync", .kind = CB_ARG_FLAG, .cmds = CB_IN_WRITERS, CB_FIELD(fsync),
     .help = "flush the data to storage before the timed close ends (MPI_File_sync / fsync, like IOR -e; "
             "HSDS: always flushed)"},
    {.name = "lease", .kind = CB_ARG_REAL, .cmds = CB_IN_WRITERS, CB_FIELD(lease_s), .arg = "SECONDS", .rlo = 0.001,
     .rhi = 1e9, .help = "server schedule: retake tasks in progress for longer"},
    {.name = "claim-batch", .kind = CB_ARG_INT, .cmds = CB_IN_WRITERS, CB_FIELD(claim_batch), .arg = "N", .lo = 1,
     .hi = CB_CLAIM_BATCH_MAX,
     .help = "server schedule: tasks taken per claim request (1-" CB_STR(CB_CLAIM_BATCH_MAX) ", default " CB_STR(
         CB_CLAIM_BATCH_DEFAULT) "; 1 claims one by one, as the seed's writers)"},
    /* read */
    {.name = "driver", .kind = CB_ARG_CHOICE, .cmds = CB_IN_READ, CB_FIELD(driver), .choices = drivers,
     .help = "mpio: one parallel open (default for files); sec2: every rank opens the file read-only on its "
             "own; ros3: HTTP range requests (default for URLs); curl: chunkbench's libcurl driver for URLs, with "
             "fsspec's cache types (--cache-type)"},
    {.name = "cache-type", .kind = CB_ARG_CHOICE, .cmds = CB_IN_READ, CB_FIELD(http_cache),
     .given_at = offsetof(cb_config, http_cache_given), .choices = http_caches,
     .help = "--driver curl: fsspec's cache between HDF5 and the HTTP requests: none (default; every read one "
             "request, but the file's first 4 KiB in one at open), readahead (one buffer: the read and a block "
             "after it), blockcache (whole aligned blocks, the 32 most recently used kept), first (the first block "
             "kept), all (the whole file in one GET)"},
    {.name = "block-size", .kind = CB_ARG_SIZE, .cmds = CB_IN_READ, CB_FIELD(http_block),
     .given_at = offsetof(cb_config, http_cache_given), .arg = "BYTES", .lo = 1, .hi = TIB,
     .help = "--driver curl: the cache's block size (default 8M, K/M/G suffixes)"},
    {.name = "iter", .kind = CB_ARG_CHOICE, .cmds = CB_IN_READ, CB_FIELD(iter),
     .given_at = offsetof(cb_config, iter_given), .choices = iters, .help = "tasks (default: the file's own)"},
    {.name = "verify", .kind = CB_ARG_FLAG, .cmds = CB_IN_READ, CB_FIELD(verify),
     .help = "compare every value with the generator (chunkbench files)"},
    {.name = "preset", .kind = CB_ARG_CHOICE, .cmds = CB_IN_READ, CB_FIELD(preset), .choices = presets,
     .help = "HDF5 defaults, or the seed's optimised settings (page buffer 16 MiB when the file is paged, "
             "chunk cache 4 MiB)"},
    {.name = "open-each", .kind = CB_ARG_FLAG, .cmds = CB_IN_READ, CB_FIELD(open_each),
     .help = "with several datasets, open and close the file for each one (default: one open for all, as the seed "
             "reads a granule, caches warm across them)"},
    {.name = "chunk-cache", .kind = CB_ARG_SIZE, .cmds = CB_IN_READ, CB_FIELD(chunk_cache), .arg = "BYTES", .lo = 0,
     .hi = TIB, .help = "chunk cache size (rdcc_nbytes)"},
    {.name = "chunk-cache-slots", .kind = CB_ARG_INT, .cmds = CB_IN_READ, CB_FIELD(chunk_cache_slots), .arg = "N",
     .lo = 1, .hi = INT32_MAX, .help = "chunk cache hash slots (rdcc_nslots)"},
    {.name = "page-buffer", .kind = CB_ARG_SIZE, .cmds = CB_IN_READ, CB_FIELD(page_buffer), .arg = "BYTES", .lo = 0,
     .hi = TIB, .help = "HDF5 page buffer (paged files; sec2/ros3/curl only)"},
    {.name = "shift-hosts", .kind = CB_ARG_INT, .cmds = CB_IN_READ | CB_IN_VERIFY, CB_FIELD(shift_hosts), .arg = "K",
     .lo = 1, .hi = 1 << 20, .help = "each rank reads the tasks written K hosts away (defeats the writer's page cache)"},
    {.name = "pattern", .kind = CB_ARG_TEXT, .cmds = CB_IN_READ, CB_FIELD(pattern_arg), .arg = "SPEC",
     .help = "read selections instead of the task grid, each one task: random:ROWSxCOLS (--count boxes), "
             "stride:R0:R1:SR,C0:C1:SC (numpy slices) or points:N|FILE (random points, or \"row col\" lines)"},
    {.name = "count", .kind = CB_ARG_INT, .cmds = CB_IN_READ, CB_FIELD(pattern_count), .arg = "N", .lo = 1,
     .hi = 1 << 24, .help = "--pattern random: how many boxes (default 100)"},
    {.name = "group", .kind = CB_ARG_INT, .cmds = CB_IN_READ, CB_FIELD(pattern_group), .arg = "N", .lo = 1,
     .hi = 1 << 24, .help = "--pattern stride: selected rows per task (default: one chunk's height); points: "
                            "points per task (default 64)"},
    {.name = "page-buffer-by", .kind = CB_ARG_CHOICE, .cmds = CB_IN_READ, CB_FIELD(page_buffer_by),
     .choices = page_buffer_bys, .help = "whose page buffer: hdf5 (HDF5 1.14.5+) or chunkbench (default: hdf5 where it can)"},
    {.name = "log", .kind = CB_ARG_TEXT, .cmds = CB_IN_READ, CB_FIELD(log_path), .arg = "FILE",
     .help = "every storage request as CSV"},
    {.name = "s3-region", .kind = CB_ARG_TEXT, .cmds = CB_IN_READ, CB_FIELD(s3_region), .arg = "R",
     .help = "ros3, curl: the S3 region (else AWS_REGION, AWS_DEFAULT_REGION, the profile's)"},
    {.name = "s3-profile", .kind = CB_ARG_TEXT, .cmds = CB_IN_READ, CB_FIELD(s3_profile), .arg = "NAME",
     .help = "ros3, curl: sign with this profile of ~/.aws/credentials (else AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
             "AWS_PROFILE, default)"},
    {.name = "s3-endpoint", .kind = CB_ARG_TEXT, .cmds = CB_IN_READ, CB_FIELD(s3_endpoint), .arg = "URL",
     .help = "ros3, curl: send s3://BUCKET/KEY path-style to this S3-compatible server, URL/BUCKET/KEY (else "
             "AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL; none: AWS's https://BUCKET.s3.REGION.amazonaws.com/KEY)"},
    /* Kept so that they are refused with the fix, not as unknown options. */
    {.name = "s3-key-id", .kind = CB_ARG_TEXT, .cmds = CB_IN_READ, CB_FIELD(s3_key_id), .arg = "ID",
     .help = "refused: set AWS_ACCESS_KEY_ID or use --s3-profile"},
    {.name = "s3-secret", .kind = CB_ARG_TEXT, .cmds = CB_IN_READ, CB_FIELD(s3_secret), .arg = "KEY",
     .help = "refused (every user sees it in ps): set AWS_SECRET_ACCESS_KEY or use --s3-profile"},
    /* MPI-IO hints: every MPI-IO open HDF5 makes (core/hints.h) */
    {.name = "hint", .kind = CB_ARG_PAIR, .cmds = CB_IN_MAKERS | CB_IN_WRITE | CB_IN_VERIFY | CB_IN_READ,
     CB_FIELD(hint_args), .arg = "KEY=VALUE",
     .help = "an MPI-IO hint for every MPI-IO open (repeatable; after --hints-file's, a key given again wins); "
             "the hints MPI reports back are recorded; files with the mpio driver"},
    {.name = "hints-file", .kind = CB_ARG_TEXT, .cmds = CB_IN_MAKERS | CB_IN_WRITE | CB_IN_VERIFY | CB_IN_READ,
     CB_FIELD(hints_file), .arg = "FILE",
     .help = "MPI-IO hints, one a line: IOR_HINT__MPI__key=value (IOR) or key value (ROMIO_HINTS); # comments"},
    {.name = "stripe-count", .kind = CB_ARG_INT, .cmds = CB_IN_MAKERS, CB_FIELD(stripe_count), .arg = "N", .lo = 1,
     .hi = 1 << 20, .help = "create the file striped over N storage targets (the striping_factor hint: Lustre, GPFS)"},
    {.name = "stripe-size", .kind = CB_ARG_SIZE, .cmds = CB_IN_MAKERS, CB_FIELD(stripe_size), .arg = "BYTES",
     .lo = 1, .hi = TIB, .help = "stripe size of the new file (the striping_unit hint; K/M/G suffixes)"},
    /* output */
    {.name = "json", .kind = CB_ARG_TEXT, .cmds = CB_IN_WRITERS | CB_IN_STATUS | CB_IN_VERIFY | CB_IN_READ,
     CB_FIELD(json_path), .arg = "FILE|-", .help = "the report as JSON (- for stdout)"},
    {.name = "csv", .kind = CB_ARG_TEXT, .cmds = CB_IN_WRITERS | CB_IN_STATUS | CB_IN_READ, CB_FIELD(csv_path),
     .arg = "FILE", .help = "one CSV row per task"},
    {.name = "csv", .kind = CB_ARG_FLAG, .cmds = CB_IN_COMPARE, CB_FIELD(csv_flag),
     .help = "print CSV for spreadsheets instead of the table"},
    {.name = "report", .kind = CB_ARG_TEXT, .cmds = CB_IN_WRITERS | CB_IN_READ, CB_FIELD(report_path), .arg = "FILE",
     .help = "an HTML report with pictures (as chunkbench report)"},
    {.name = "output", .short_name = 'o', .kind = CB_ARG_TEXT, .cmds = CB_IN_REPORT, CB_FIELD(report_path),
     .arg = "FILE.html", .help = "where the HTML report goes (default report.html)"},
    {.name = "verbose", .short_name = 'v', .kind = CB_ARG_FLAG, .cmds = CB_IN_STATUS, CB_FIELD(verbose),
     .help = "add one tab-separated line per task"},
    /* HSDS */
    {.name = "endpoint", .kind = CB_ARG_TEXT, .cmds = CB_IN_TARGETS, CB_FIELD(endpoint), .arg = "URL",
     .help = "HSDS server (else HS_ENDPOINT, .hscfg)"},
    {.name = "bucket", .kind = CB_ARG_TEXT, .cmds = CB_IN_TARGETS, CB_FIELD(bucket), .arg = "NAME",
     .help = "HSDS bucket (else HS_BUCKET, .hscfg)"},
    {.name = "ca-file", .kind = CB_ARG_TEXT, .cmds = CB_IN_TARGETS, CB_FIELD(ca_file), .arg = "PATH",
     .help = "HSDS, ros3 and curl over https: trust this CA bundle (else REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE, "
             "SSL_CERT_FILE, the system's)"},
    /* every command */
    {.name = "quiet", .short_name = 'q', .kind = CB_ARG_FLAG, .cmds = CB_IN_ALL, CB_FIELD(quiet),
     .help = "print errors only (and no progress line)"},
    {.name = "help", .short_name = 'h', .kind = CB_ARG_FLAG, .cmds = CB_IN_ALL, CB_FIELD(show_help), .ends = 1,
     .help = "show this help"},
    {.name = "version", .short_name = 'V', .kind = CB_ARG_FLAG, .cmds = CB_IN_ALL, CB_FIELD(show_version), .ends = 1,
     .help = "print the version"},
};
#define NROWS (sizeof table / sizeof table[0])
_Static_assert(NROWS <= sizeof(((cb_opt_seen *)0)->value) / sizeof(const char *), "cb_opt_seen holds every row");
_Static_assert(offsetof(cb_config, cmd) == 0, "given_at 0 means none");

void cb_options_defaults(cb_config *cfg)
{
    cfg->layout.elem_size = 8;
    cfg->layout.chunk[0] = 500;
    cfg->layout.chunk[1] = 1000;
    cfg->seed = 1;
    cfg->pattern_count = 100;
    cfg->iterations = 1;
    cfg->claim_batch = CB_CLAIM_BATCH_DEFAULT;
    cfg->chunk_cache = cfg->chunk_cache_slots = cfg->page_buffer = -1;
    cfg->http_block = (int64_t)8 << 20; /* the seed's fsspec blocks */
}

/* ---- values ---- */

int cb_parse_int(const char *what, const char *s, int64_t lo, int64_t hi, int sized, int64_t *out, cb_err *err)
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

/* Store a whole number in the row's field, an int or an int64_t (enums are int-sized). */
static void store_int(cb_config *cfg, const cb_option *o, int64_t v)
{
    char *at = (char *)cfg + o->at;
    if (o->size == sizeof(int)) {
        int i = (int)v;
        memcpy(at, &i, sizeof i);
    } else {
        memcpy(at, &v, sizeof v);
    }
}

static int choice_for(const cb_choice *c, cb_cmd cmd)
{
    return !c->cmds || (c->cmds & CB_IN(cmd));
}

/* "must be a, b or c": the separator before a choice this command does not
 * take goes with it, so read's --schedule says "block, cyclic, dynamic". */
static int bad_choice(const cb_option *o, cb_cmd cmd, const char *value, cb_err *err)
{
    char list[256] = "";
    int last = 0;
    for (int k = 0; o->choices[k].name; k++)
        if (!o->choices[k].alias)
            last = k;
    for (int k = 0, first = 1; o->choices[k].name; k++) {
        const cb_choice *c = &o->choices[k];
        if (c->alias)
            continue;
        if (choice_for(c, cmd)) {
            const char *sep = first ? "" : k == last ? " or " : ", ";
            size_t n = strlen(list);
            snprintf(list + n, sizeof list - n, "%s%s", sep, c->name);
        }
        first = 0;
    }
    return cb_fail(err, CB_EUSAGE, "--%s must be %s, got '%s'", o->name, list, value);
}

static int set_choice(const cb_option *o, const char *value, cb_config *cfg, cb_err *err)
{
    for (const cb_choice *c = o->choices; c->name; c++)
        if (!strcmp(c->name, value) && choice_for(c, cfg->cmd)) {
            store_int(cfg, o, c->value);
            return 0;
        }
    return bad_choice(o, cfg->cmd, value, err);
}

/* "ROWS,COLS": one whole number per int64_t of the field, each named in
 * messages by its part of o->arg ("--chunk rows must be ..."). */
static int set_list(const cb_option *o, const char *value, cb_config *cfg, cb_err *err)
{
    enum { MOST = 4 };
    size_t n = o->size / sizeof(int64_t);
    int64_t v[MOST];
    const char *p = value, *part = o->arg;
    for (size_t k = 0; k < n && n <= MOST; k++) {
        size_t len = strcspn(p, ","), plen = strcspn(part, ",");
        char num[32], what[64];
        if ((k + 1 == n) != !p[len] || len >= sizeof num)
            return cb_fail(err, CB_EUSAGE, "--%s takes %s (%zu whole numbers, comma-separated), got '%s'", o->name,
                           o->arg, n, value);
        snprintf(num, sizeof num, "%.*s", (int)len, p);
        int w = snprintf(what, sizeof what, "--%s ", o->name);
        for (size_t c = 0; c < plen && w + 1 < (int)sizeof what; c++)
            what[w++] = (char)tolower((unsigned char)part[c]);
        what[w] = 0;
        if (cb_parse_int(what, num, o->lo, o->hi, 0, &v[k], err) < 0)
            return -1;
        p += len + 1;
        part += plen + (part[plen] == ',');
    }
    memcpy((char *)cfg + o->at, v, n * sizeof v[0]);
    return 0;
}

/* KEY=VALUE (PAIR) or any string (TEXTS), appended to the row's cb_texts
 * (freed by cb_config_free); what a TEXTS value means is checked later. */
static int add_text(const cb_option *o, const char *value, cb_config *cfg, cb_err *err)
{
    const char *eq = strchr(value, '=');
    if (o->kind == CB_ARG_PAIR && (!eq || eq == value))
        return cb_fail(err, CB_EUSAGE, "--%s takes %s, got '%s'; write it as %s (give --%s again for another)",
                       o->name, o->arg, value, o->arg, o->name);
    cb_texts *t = (cb_texts *)(void *)((char *)cfg + o->at);
    const char **more = realloc(t->v, (size_t)(t->n + 1) * sizeof *more);
    if (!more)
        return cb_fail(err, CB_EIO, "out of memory");
    t->v = more;
    t->v[t->n++] = value;
    return 0;
}

static int set_value(const cb_option *o, const char *value, cb_config *cfg, cb_err *err)
{
    char what[64];
    snprintf(what, sizeof what, "--%s", o->name);
    int64_t i = 0;
    double d = 0;
    switch (o->kind) {
    case CB_ARG_FLAG: store_int(cfg, o, 1); return 0;
    case CB_ARG_INT:
    case CB_ARG_SIZE:
        if (cb_parse_int(what, value, o->lo, o->hi, o->kind == CB_ARG_SIZE, &i, err) < 0)
            return -1;
        store_int(cfg, o, i);
        return 0;
    case CB_ARG_REAL:
        if (parse_real(what, value, o->rlo, o->rhi, &d, err) < 0)
            return -1;
        memcpy((char *)cfg + o->at, &d, sizeof d);
        return 0;
    case CB_ARG_TEXT: memcpy((char *)cfg + o->at, &value, sizeof value); return 0;
    case CB_ARG_CHOICE: return set_choice(o, value, cfg, err);
    case CB_ARG_LIST: return set_list(o, value, cfg, err);
    case CB_ARG_PAIR:
    case CB_ARG_TEXTS: return add_text(o, value, cfg, err);
    }
    return cb_fail(err, CB_EUSAGE, "--%s: unknown kind of option", o->name);
}

/* ---- the walker ---- */

/* The row of `name` (long, len bytes) or `letter` (short) for cmd; *any is
 * a row of that name for whichever command (NULL: no such option). */
static const cb_option *find_row(const char *name, size_t len, char letter, cb_cmd cmd, const cb_option **any)
{
    *any = NULL;
    for (size_t r = 0; r < NROWS; r++) {
        const cb_option *o = &table[r];
        int same = name ? strlen(o->name) == len && !strncmp(o->name, name, len) : o->short_name == letter;
        if (!same)
            continue;
        *any = o;
        if (o->cmds & CB_IN(cmd))
            return o;
    }
    return NULL;
}

static int not_for(const cb_option *o, cb_cmd cmd, cb_err *err)
{
    const char *c = cb_cmd_name(cmd);
    return cb_fail(err, CB_EUSAGE, "option --%s does not apply to %s; see chunkbench %s --help", o->name, c, c);
}

/* An unknown --name: the one option of this command it begins, if any, is
 * what was probably meant (getopt used to take such abbreviations). */
static int unknown_long(const char *name, size_t len, cb_cmd cmd, cb_err *err)
{
    const char *meant = NULL;
    int n = 0;
    for (size_t r = 0; r < NROWS; r++)
        if ((table[r].cmds & CB_IN(cmd)) && !strncmp(table[r].name, name, len) && (!meant || strcmp(meant, table[r].name)))
            meant = table[r].name, n++;
    const char *c = cb_cmd_name(cmd);
    if (n == 1)
        return cb_fail(err, CB_EUSAGE, "unknown option '--%.*s' (did you mean --%s?); see chunkbench %s --help", (int)len,
                       name, meant, c);
    return cb_fail(err, CB_EUSAGE, "unknown option '--%.*s'; see chunkbench %s --help", (int)len, name, c);
}

/* Record and apply one option's value; a single-valued option comes once.
 * 1: the option ends the parse (--help). */
static int apply(const cb_option *o, const char *value, cb_config *cfg, cb_opt_seen *seen, cb_err *err)
{
    const char **was = &seen->value[o - table];
    if (o->kind != CB_ARG_FLAG && o->kind != CB_ARG_PAIR && o->kind != CB_ARG_TEXTS && *was)
        return cb_fail(err, CB_EUSAGE, "--%s given twice ('%s' and '%s'); give it once", o->name, *was, value);
    *was = value ? value : o->name;
    if (o->given_at)
        memcpy((char *)cfg + o->given_at, &(int){1}, sizeof(int));
    if (set_value(o, value, cfg, err) < 0)
        return -1;
    return o->ends;
}

/* argv[*i] is "--name" or "--name=value"; a value may be the next argument. As apply(). */
static int parse_long(int argc, char **argv, int *i, cb_config *cfg, cb_opt_seen *seen, cb_err *err)
{
    const char *name = argv[*i] + 2, *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    const cb_option *any, *o = find_row(name, len, 0, cfg->cmd, &any);
    if (!o)
        return any ? not_for(any, cfg->cmd, err) : unknown_long(name, len, cfg->cmd, err);
    const char *value = NULL;
    if (o->kind == CB_ARG_FLAG && eq)
        return cb_fail(err, CB_EUSAGE, "option --%s takes no value, got '%s'; see chunkbench %s --help", o->name,
                       argv[*i], cb_cmd_name(cfg->cmd));
    if (o->kind != CB_ARG_FLAG) {
        if (eq)
            value = eq + 1;
        else if (*i + 1 < argc)
            value = argv[++*i];
        else
            return cb_fail(err, CB_EUSAGE, "option '--%s' needs a value; see chunkbench %s --help", o->name,
                           cb_cmd_name(cfg->cmd));
    }
    return apply(o, value, cfg, seen, err);
}

/* argv[*i] is "-q", "-qv" or "-oFILE" / "-o FILE". As apply(). */
static int parse_short(int argc, char **argv, int *i, cb_config *cfg, cb_opt_seen *seen, cb_err *err)
{
    const char *arg = argv[*i];
    const char *cmd = cb_cmd_name(cfg->cmd);
    for (const char *p = arg + 1; *p; p++) {
        const cb_option *any, *o = find_row(NULL, 0, *p, cfg->cmd, &any);
        if (!o && any)
            return not_for(any, cfg->cmd, err);
        if (!o && strlen(arg) > 2)
            return cb_fail(err, CB_EUSAGE,
                           "unknown option '-%c' in '%s' (a TARGET that starts with - goes after --); "
                           "see chunkbench %s --help",
                           *p, arg, cmd);
        if (!o)
            return cb_fail(err, CB_EUSAGE, "unknown option '-%c'; see chunkbench %s --help", *p, cmd);
        if (o->kind == CB_ARG_FLAG) {
            int rc = apply(o, NULL, cfg, seen, err);
            if (rc != 0)
                return rc;
            continue;
        }
        const char *value = p[1] ? p + 1 : *i + 1 < argc ? argv[++*i] : NULL;
        if (!value)
            return cb_fail(err, CB_EUSAGE, "option '-%c' needs a value; see chunkbench %s --help", *p, cmd);
        return apply(o, value, cfg, seen, err);
    }
    return 0;
}

/* An option, as opposed to "-", a negative number ("-5" as NROWS: the
 * positional checks report it) or a positional argument. */
static int is_option(const char *a)
{
    return a[0] == '-' && a[1] && !(a[1] >= '0' && a[1] <= '9') && a[1] != '.';
}

int cb_options_parse(int argc, char **argv, int first, cb_config *cfg, char **pos, int *npos, cb_opt_seen *seen,
                     cb_err *err)
{
    memset(seen, 0, sizeof *seen);
    *npos = 0;
    int options = 1;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (options && !strcmp(a, "--")) {
            options = 0;
            continue;
        }
        if (!options || !is_option(a)) {
            pos[(*npos)++] = argv[i];
            continue;
        }
        int rc = a[1] == '-' ? parse_long(argc, argv, &i, cfg, seen, err) : parse_short(argc, argv, &i, cfg, seen, err);
        if (rc < 0)
            return -1;
        if (rc > 0)
            return 0; /* --help, --version: what follows is not read */
    }
    return 0;
}

int cb_option_given(const cb_opt_seen *seen, const char *name)
{
    for (size_t r = 0; r < NROWS; r++)
        if (seen->value[r] && !strcmp(table[r].name, name))
            return 1;
    return 0;
}

/* ---- printed forms ---- */

/* "-o, --output FILE.html", "--dtype f4|f8": with the choices cmd takes (CB_CMD_NONE: all). */
static void spell(const cb_option *o, cb_cmd cmd, char *buf, size_t size)
{
    int n = 0;
    if (o->short_name)
        n = snprintf(buf, size, "-%c, ", o->short_name);
    n += snprintf(buf + n, size - (size_t)n, "--%s", o->name);
    if (o->kind == CB_ARG_CHOICE) {
        const char *s = " ";
        for (const cb_choice *c = o->choices; c->name && (size_t)n < size; c++)
            if (!c->alias && (cmd == CB_CMD_NONE || choice_for(c, cmd))) {
                n += snprintf(buf + n, size - (size_t)n, "%s%s", s, c->name);
                s = "|";
            }
    } else if (o->arg && (size_t)n < size) {
        snprintf(buf + n, size - (size_t)n, " %s", o->arg);
    }
}

/* The help paragraph wrapped to 79 columns, from column `indent`. */
static void print_wrapped(FILE *out, const char *text, int indent, int col)
{
    const int width = 79;
    while (*text) {
        size_t word = strcspn(text, " ");
        if (col > indent && col + 1 + (int)word > width) {
            fprintf(out, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', out);
            col++;
        }
        fprintf(out, "%.*s", (int)word, text);
        col += (int)word;
        text += word;
        text += strspn(text, " ");
    }
    fputc('\n', out);
}

void cb_options_help(FILE *out, cb_cmd cmd)
{
    enum { INDENT = 23 };
    fputs("options:\n", out);
    for (size_t r = 0; r < NROWS; r++) {
        if (!(table[r].cmds & CB_IN(cmd)))
            continue;
        char left[160];
        spell(&table[r], cmd, left, sizeof left);
        int col = fprintf(out, "  %s", left);
        if (col < INDENT)
            col += fprintf(out, "%*s", INDENT - col, "");
        else
            col = fprintf(out, "\n%*s", INDENT, "") - 1;
        print_wrapped(out, table[r].help, INDENT, col);
    }
}

/* The commands' names; when short, "all" or "all but compare" where they fit. */
static void commands_of(unsigned cmds, int shorten, const char *sep, char *buf, size_t size)
{
    unsigned missing = CB_IN_ALL & ~cmds;
    int one_missing = shorten && missing && !(missing & (missing - 1));
    size_t n = 0;
    buf[0] = 0;
    if (shorten && !missing) {
        snprintf(buf, size, "all");
        return;
    }
    if (one_missing)
        n = (size_t)snprintf(buf, size, "all but ");
    const char *s = "";
    for (int c = CB_CMD_NONE + 1; c <= CB_CMD_READ && n < size; c++)
        if ((one_missing ? missing : cmds) & CB_IN(c)) {
            n += (size_t)snprintf(buf + n, size - n, "%s%s", s, cb_cmd_name((cb_cmd)c));
            s = sep;
        }
}

/* A Markdown table cell: a | must be escaped, in code spans too. */
static void md_cell(FILE *out, const char *text)
{
    for (; *text; text++)
        fputs(*text == '|' ? "\\|" : (char[2]){*text, 0}, out);
}

void cb_options_markdown(FILE *out)
{
    fputs("| Option | Commands | Meaning |\n| --- | --- | --- |\n", out);
    for (size_t r = 0; r < NROWS; r++) {
        char left[160], cmds[160];
        spell(&table[r], CB_CMD_NONE, left, sizeof left);
        commands_of(table[r].cmds, 1, ", ", cmds, sizeof cmds);
        fputs("| `", out);
        md_cell(out, left);
        fprintf(out, "` | %s | ", cmds);
        md_cell(out, table[r].help);
        fputs(" |\n", out);
    }
}

static const char *kind_name(cb_arg_kind k)
{
    static const char *n[] = {"flag", "int", "size", "real", "text", "choice", "list", "pair", "texts"};
    return n[k];
}

/* A value every command of the row takes. */
static void sample(const cb_option *o, char *buf, size_t size)
{
    buf[0] = 0;
    switch (o->kind) {
    case CB_ARG_FLAG: break;
    case CB_ARG_INT:
    case CB_ARG_SIZE: snprintf(buf, size, "%lld", (long long)o->lo); break;
    case CB_ARG_REAL: snprintf(buf, size, "%g", o->rlo); break;
    case CB_ARG_TEXT: snprintf(buf, size, "x"); break;
    case CB_ARG_CHOICE:
        for (const cb_choice *c = o->choices; c->name; c++)
            if (!c->cmds) {
                snprintf(buf, size, "%s", c->name);
                break;
            }
        break;
    case CB_ARG_PAIR: snprintf(buf, size, "a=b"); break;
    case CB_ARG_TEXTS: snprintf(buf, size, "x"); break;
    case CB_ARG_LIST:
        for (size_t k = 0, n = 0; k < o->size / sizeof(int64_t) && n < size; k++)
            n += (size_t)snprintf(buf + n, size - n, "%s%lld", k ? "," : "", (long long)o->lo);
        break;
    }
}

void cb_options_tsv(FILE *out)
{
    for (size_t r = 0; r < NROWS; r++) {
        const cb_option *o = &table[r];
        char cmds[160], value[64];
        commands_of(o->cmds, 0, ",", cmds, sizeof cmds);
        sample(o, value, sizeof value);
        fprintf(out, "%s\t%c\t%s\t%s\t%s\n", o->name, o->short_name ? o->short_name : '-', kind_name(o->kind), cmds,
                value);
    }
}
