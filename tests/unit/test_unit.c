/* Unit tests of the pure parts: task grid, row packing, values, percentiles,
 * static partitions, option parsing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backends/backend.h"
#include "cli/config.h"
#include "core/batch.h"
#include "core/checksum.h"
#include "core/collective.h"
#include "core/datagen.h"
#include "core/filters.h"
#include "core/grow.h"
#include "core/hints.h"
#include "core/iolog.h"
#include "core/pattern.h"
#include "core/prefault.h"
#include "core/rangecache.h"
#include "engine/progress.h"
#include "engine/schedule.h"
#include "core/stats.h"
#include "core/table_check.h"
#include "core/tasks.h"

#include "check.h"

static void test_grow(void)
{
    int64_t cap = 0, *v = NULL;
    v = cb_grow(v, &cap, 1, sizeof *v, 16); /* empty: the first size */
    CHECK(v && cap == 16);
    int64_t *same = cb_grow(v, &cap, 16, sizeof *v, 16); /* room left: unchanged */
    CHECK(same == v && cap == 16);
    for (int i = 0; i < 16; i++)
        v[i] = i;
    v = cb_grow(v, &cap, 17, sizeof *v, 16); /* full: doubled, contents kept */
    CHECK(v && cap == 32 && v[0] == 0 && v[15] == 15);
    v = cb_grow(v, &cap, 100, sizeof *v, 16); /* more than double: what is needed */
    CHECK(v && cap == 100 && v[15] == 15);
    int64_t *none = cb_grow(v, &cap, INT64_MAX / 16, sizeof *v, 16); /* no memory: v stays as it was */
    CHECK(!none && cap == 100 && v[15] == 15);
    free(v);
}

static void test_grid_block(void)
{
    cb_layout l = {.shape = {1234, 5678}, .chunk = {500, 1000}, .elem_size = 8, .iter = CB_ITER_BLOCK};
    int64_t n = cb_task_count(&l);
    CHECK(n == 3 * 6);
    cb_task *t = calloc((size_t)n, sizeof *t);
    cb_tasks_make(&l, t);
    /* Every element covered exactly once. */
    static unsigned char seen[1234][5678];
    memset(seen, 0, sizeof seen);
    for (int64_t k = 0; k < n; k++)
        for (int r = 0; r < t[k].nrow; r++)
            for (int c = 0; c < t[k].ncol; c++)
                seen[t[k].x + r][t[k].y + c]++;
    int ok = 1;
    for (int i = 0; i < 1234; i++)
        for (int j = 0; j < 5678; j++)
            ok &= seen[i][j] == 1;
    CHECK(ok);
    CHECK(t[0].x == 0 && t[0].y == 0 && t[0].nrow == 500 && t[0].ncol == 1000);
    CHECK(t[5].y == 5000 && t[5].ncol == 678);        /* edge column */
    CHECK(t[17].x == 1000 && t[17].nrow == 234 && t[17].ncol == 678);
    free(t);
}

static void test_grid_row_col(void)
{
    cb_layout l = {.shape = {7, 3}, .chunk = {2, 2}, .elem_size = 4, .iter = CB_ITER_ROW};
    cb_task t[7];
    CHECK(cb_task_count(&l) == 7);
    cb_tasks_make(&l, t);
    CHECK(t[6].x == 6 && t[6].y == 0 && t[6].nrow == 1 && t[6].ncol == 3);
    l.iter = CB_ITER_COL;
    CHECK(cb_task_count(&l) == 3);
    cb_tasks_make(&l, t);
    CHECK(t[2].x == 0 && t[2].y == 2 && t[2].nrow == 7 && t[2].ncol == 1);
}

/* The table check: made tables pass in any order, each kind of bad row is
 * named, sizes past int32 are refused before any product overflows. */
static int table_refused(cb_table *t, const char *want)
{
    cb_err e = {0};
    int rc = cb_table_check(t, "F", "task_list", &e);
    if (rc == 0 || e.code != CB_EUSAGE || !strstr(e.msg, want)) {
        printf("table check: wanted '%s', got rc %d: %s\n", want, rc, e.msg);
        return 0;
    }
    return 1;
}

static void test_table_check(void)
{
    cb_layout lays[] = {{.shape = {37, 53}, .chunk = {10, 16}, .elem_size = 8, .iter = CB_ITER_BLOCK},
                        {.shape = {37, 53}, .chunk = {10, 16}, .elem_size = 4, .iter = CB_ITER_ROW},
                        {.shape = {37, 53}, .chunk = {40, 60}, .elem_size = 8, .iter = CB_ITER_COL}};
    for (int k = 0; k < 3; k++) {
        cb_table t = {.layout = lays[k], .ntasks = cb_task_count(&lays[k])};
        t.tasks = calloc((size_t)t.ntasks + 1, sizeof *t.tasks);
        cb_tasks_make(&t.layout, t.tasks);
        cb_err e = {0};
        CHECK(cb_table_check(&t, "F", "task_list", &e) == 0);
        for (int64_t i = t.ntasks - 1; i > 0; i--) { /* any order */
            int64_t j = (i * 7919) % (i + 1);
            cb_task tmp = t.tasks[i];
            t.tasks[i] = t.tasks[j];
            t.tasks[j] = tmp;
        }
        CHECK(cb_table_check(&t, "F", "task_list", &e) == 0);
        cb_task keep = t.tasks[1];
        t.tasks[1].nrow = INT32_MAX;
        CHECK(table_refused(&t, "row 1 (") && table_refused(&t, "lies outside dset (37 x 53)"));
        t.tasks[1] = keep;
        t.tasks[1].ncol = 0;
        CHECK(table_refused(&t, "is empty"));
        t.tasks[1] = t.tasks[0];
        CHECK(table_refused(&t, "row 1 (") && table_refused(&t, "is the same task as row 0"));
        t.tasks[1] = keep;
        t.tasks[1].status = 2;
        CHECK(table_refused(&t, "has a status that is not"));
        t.tasks[1] = keep;
        t.tasks[t.ntasks] = keep; /* one row too many */
        t.ntasks++;
        CHECK(table_refused(&t, "is the same task as row 1"));
        t.ntasks -= 2;              /* one too few */
        CHECK(table_refused(&t, "no row holds the task"));
        t.ntasks++;
        CHECK(cb_table_check(&t, "F", "task_list", &e) == 0);
        free(t.tasks);
    }
    /* Half a chunk down: on no cell of the grid, across two tasks. */
    cb_table t = {.layout = lays[0], .ntasks = cb_task_count(&lays[0])};
    t.tasks = calloc((size_t)t.ntasks, sizeof *t.tasks);
    cb_tasks_make(&t.layout, t.tasks);
    t.tasks[3].x = 5;
    CHECK(table_refused(&t, "is not a task of the grid") && table_refused(&t, "the task there is x=0"));
    free(t.tasks);
    /* Beyond the i4 fields, and grids too big for memory, refused up front. */
    cb_err e = {0};
    cb_layout big = {.shape = {(int64_t)INT32_MAX + 1, 10}, .chunk = {1, 1}, .elem_size = 8};
    CHECK(cb_table_check_size(&big, 0, "F", "task_list", &e) < 0 && strstr(e.msg, "at most 2147483647"));
    cb_layout many = {.shape = {INT32_MAX, INT32_MAX}, .chunk = {1, 1}, .elem_size = 8};
    memset(&e, 0, sizeof e);
    CHECK(cb_table_check_size(&many, 0, "F", "task_list", &e) < 0 && strstr(e.msg, "more than this host's memory"));
    cb_layout wide = {.shape = {2, INT32_MAX}, .chunk = {1, 1}, .elem_size = 8, .iter = CB_ITER_ROW};
    memset(&e, 0, sizeof e);
    CHECK(cb_table_check_size(&wide, 2, "F", "task_list", &e) == 0 || strstr(e.msg, "more than this host's memory"));
    cb_layout ok = {.shape = {10, 10}, .chunk = {5, 5}, .elem_size = 8};
    memset(&e, 0, sizeof e);
    CHECK(cb_table_check_size(&ok, 9, "F", "task_list", &e) < 0 && strstr(e.msg, "has 9 rows"));
}

static void test_pack(void)
{
    cb_task a = {.start = 1763700000.25, .done = 1763700001.5, .status = -1, .x = 500, .y = 1000, .nrow = 234,
                 .ncol = 678};
    strcpy(a.pod, "r3@node17");
    unsigned char row[CB_ROW_BYTES];
    cb_task_pack(&a, row);
    /* Byte layout of the seed's table: little-endian, packed, pod at 36. */
    CHECK(row[16] == 0xff && row[19] == 0xff);        /* status -1 */
    CHECK(row[20] == (500 & 0xff) && row[21] == (500 >> 8));
    CHECK(!memcmp(row + 36, "r3@node17", 9) && row[45] == 0 && row[75] == 0);
    cb_task b;
    cb_task_unpack(row, &b);
    CHECK(b.start == a.start && b.done == a.done && b.status == -1 && b.x == 500 && b.y == 1000 && b.nrow == 234 &&
          b.ncol == 678 && !strcmp(b.pod, "r3@node17"));
    /* A full 40-byte name has no terminator in the row, and comes back whole. */
    memset(a.pod, 'p', 40);
    a.pod[40] = 0;
    cb_task_pack(&a, row);
    cb_task_unpack(row, &b);
    CHECK(strlen(b.pod) == 40);
}

static void test_values(void)
{
    cb_task t = {.x = 10, .y = 20, .nrow = 3, .ncol = 4};
    const cb_values uni = {.kind = CB_VALUES_UNIFORM};
    double a[12], b[12];
    cb_fill(&t, 8, 42, &uni, a);
    cb_fill(&t, 8, 42, &uni, b);
    CHECK(!memcmp(a, b, sizeof a));
    int in_range = 1;
    for (int k = 0; k < 12; k++)
        in_range &= a[k] >= 0 && a[k] < 1;
    CHECK(in_range);
    /* Position-determined: the same element from a differently shaped task. */
    cb_task one = {.x = 11, .y = 22, .nrow = 1, .ncol = 1};
    double v;
    cb_fill(&one, 8, 42, &uni, &v);
    CHECK(v == a[1 * 4 + 2]);
    int64_t bi = -1, bj = -1;
    CHECK(cb_check(&t, 8, 42, &uni, a, &bi, &bj) == 0);
    a[7] += 1;
    CHECK(cb_check(&t, 8, 42, &uni, a, &bi, &bj) == 1 && bi == 11 && bj == 23);
    CHECK(cb_check(&t, 8, 43, &uni, b, &bi, &bj) == 12); /* another seed, other values */
    float f[12];
    cb_fill(&t, 4, 42, &uni, f);
    CHECK(cb_check(&t, 4, 42, &uni, f, &bi, &bj) == 0);
    /* Fixed values (numpy's copy in tests/hdf5/cbcheck.py gives the same), so
     * a change to the generator, which would strand every written file, fails here. */
    CHECK(cb_value_hash(1, 0, 0) == 0x2d0f28c7e7e786b2ULL);
    CHECK(cb_value_hash(42, 11, 22) == 0x5a6a40aabb2e721cULL);
}

static void test_generators(void)
{
    cb_values v;
    char name[CB_VALUES_NAME_MAX];
    CHECK(cb_values_parse("", &v) == 0 && v.kind == CB_VALUES_UNIFORM);
    CHECK(cb_values_parse("smooth", &v) == 0 && v.kind == CB_VALUES_SMOOTH);
    CHECK(cb_values_parse("zeros", &v) == 0 && v.kind == CB_VALUES_ZEROS);
    CHECK(cb_values_parse("repeat:0.9", &v) == 0 && v.kind == CB_VALUES_REPEAT && v.threshold == 3865470566u);
    cb_values_name(&v, name, sizeof name);
    CHECK(!strcmp(name, "repeat:0.9"));
    CHECK(cb_values_parse("repeat:1", &v) == 0 && v.threshold == (uint64_t)1 << 32);
    const char *bad[] = {"bogus", "repeat:", "repeat:x", "repeat:1.5", "repeat:-0", "repeat: 0.5", "repeat:nan",
                         "repeat:0x1p-1", "Smooth", "repeat:0.5z"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        CHECK(cb_values_parse(bad[k], &v) < 0);
    /* smooth at (0, 0), seed 1: tri terms 512*2^18 + 1024*2^17 + 128*2^17, noise
     * 0x2d (the hash's top byte), times 2^-29. */
    cb_task one = {.x = 0, .y = 0, .nrow = 1, .ncol = 1};
    double d;
    float f;
    cb_values_parse("smooth", &v);
    cb_fill(&one, 8, 1, &v, &d);
    CHECK(d == 0.5 + 0x1.0p-5 + 45 * 0x1.0p-29);
    cb_fill(&one, 4, 1, &v, &f);
    CHECK(f == (float)d);
    /* repeat: the fraction of zeros is F; a damaged value is found. */
    cb_task t = {.x = 0, .y = 0, .nrow = 100, .ncol = 100};
    double *buf = malloc(10000 * sizeof *buf);
    CHECK(buf != NULL);
    if (!buf)
        return;
    cb_values_parse("repeat:0.9", &v);
    cb_fill(&t, 8, 7, &v, buf);
    int zeros = 0;
    for (int k = 0; k < 10000; k++)
        zeros += buf[k] == 0.0;
    CHECK(zeros > 8800 && zeros < 9200);
    int64_t bi = -1, bj = -1;
    CHECK(cb_check(&t, 8, 7, &v, buf, &bi, &bj) == 0);
    buf[5 * 100 + 6] = 0.25;
    CHECK(cb_check(&t, 8, 7, &v, buf, &bi, &bj) == 1 && bi == 5 && bj == 6);
    cb_values_parse("zeros", &v);
    CHECK(cb_check(&t, 8, 7, &v, buf, &bi, &bj) > 0);
    cb_fill(&t, 8, 7, &v, buf);
    CHECK(buf[0] == 0.0 && buf[9999] == 0.0 && cb_check(&t, 8, 7, &v, buf, &bi, &bj) == 0);
    free(buf);
}

static void test_percentiles(void)
{
    double v[] = {5, 1, 4, 2, 3};
    cb_quantiles q;
    cb_quantiles_of(v, 5, &q);
    CHECK(q.min == 1 && q.max == 5 && q.p50 == 3 && q.n == 5 && q.mean == 3);
    CHECK(fabs(q.p90 - 4.6) < 1e-12);   /* numpy.percentile([1..5], 90) */
    CHECK(fabs(q.p99 - 4.96) < 1e-12);
    double one = 7;
    cb_quantiles_of(&one, 1, &q);
    CHECK(q.p50 == 7 && q.p99 == 7);
    cb_quantiles_of(NULL, 0, &q);
    CHECK(q.n == 0 && q.max == 0);
}

static void test_partition(void)
{
    /* 10 tasks over 4 ranks: 3,3,2,2 and contiguous. */
    CHECK(cb_sched_block_first(10, 4, 0) == 0);
    CHECK(cb_sched_block_first(10, 4, 1) == 3);
    CHECK(cb_sched_block_first(10, 4, 2) == 6);
    CHECK(cb_sched_block_first(10, 4, 3) == 8);
    CHECK(cb_sched_block_first(10, 4, 4) == 10);
    CHECK(cb_sched_block_first(2, 4, 3) == 2 && cb_sched_block_first(2, 4, 4) == 2);
}

static int parse(const char *line, cb_config *cfg, cb_err *err)
{
    /* Static: the parsed config points into argv's strings (as into main's). */
    static char buf[512], *argv[32];
    int argc = 0;
    snprintf(buf, sizeof buf, "chunkbench %s", line);
    for (char *tok = strtok(buf, " "); tok && argc < 31; tok = strtok(NULL, " "))
        argv[argc++] = tok;
    argv[argc] = NULL;
    memset(err, 0, sizeof *err);
    return cb_parse_args(argc, argv, cfg, err);
}

/* MPI-IO hints: both file formats, the command line over the file, and
 * what counts as not taken (absent, or another value). */
static void test_hints(void)
{
    char path[] = "/tmp/cb_hints_XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("# a comment\n\n  IOR_HINT__MPI__romio_cb_write=enable\ncb_buffer_size   1048576 \r\ncb_config_list *:1\n", f);
    fclose(f);
    cb_hints asked = {0}, eff = {0};
    cb_err e = {0};
    CHECK(cb_hints_parse_file(&asked, path, &e) == 0 && asked.n == 3);
    CHECK(!strcmp(cb_hints_get(&asked, "romio_cb_write"), "enable"));
    CHECK(!strcmp(cb_hints_get(&asked, "cb_buffer_size"), "1048576"));
    CHECK(!strcmp(cb_hints_get(&asked, "cb_config_list"), "*:1"));
    CHECK(cb_hints_parse_arg(&asked, "cb_buffer_size=4096", &e) == 0 && asked.n == 3 &&
          !strcmp(cb_hints_get(&asked, "cb_buffer_size"), "4096")); /* a later key wins */
    CHECK(cb_hints_parse_arg(&asked, "x_unknown=1", &e) == 0 && asked.n == 4);
    CHECK(cb_hints_parse_arg(&asked, "novalue", &e) < 0 && e.code == CB_EUSAGE && strstr(e.msg, "KEY=VALUE"));
    e = (cb_err){0};
    cb_hints_copy(&eff, &asked, &e);
    CHECK(cb_hints_echoed(&asked, &eff));
    cb_hints_set(&eff, "cb_buffer_size", "8192", "t", &e); /* changed by the library */
    cb_hints_free(&eff);
    cb_hints_set(&eff, "romio_cb_write", "enable", "t", &e);
    cb_hints_set(&eff, "cb_buffer_size", "8192", "t", &e);
    cb_hints_set(&eff, "cb_config_list", "*:1", "t", &e);
    cb_hints_set(&eff, "romio_ds_read", "automatic", "t", &e); /* a default it adds */
    CHECK(!cb_hints_echoed(&asked, &eff));
    cJSON *j = cb_hints_json(&asked, &eff);
    cJSON *nt = cJSON_GetObjectItem(j, "not_taken");
    CHECK(cJSON_GetArraySize(nt) == 2 && !strcmp(cJSON_GetArrayItem(nt, 0)->valuestring, "cb_buffer_size") &&
          !strcmp(cJSON_GetArrayItem(nt, 1)->valuestring, "x_unknown"));
    CHECK(!strcmp(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "effective"), "romio_ds_read")->valuestring, "automatic"));
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(j, "echoed")));
    cJSON_Delete(j);
    cb_hints_free(&asked);
    cb_hints_free(&eff);
    /* Malformed lines: named by file and line. */
    f = fopen(path, "w");
    fputs("cb_nodes 2\ncb_buffer_size\n", f);
    fclose(f);
    e = (cb_err){0};
    CHECK(cb_hints_parse_file(&asked, path, &e) < 0 && e.code == CB_EUSAGE && strstr(e.msg, "line 2") &&
          strstr(e.msg, "'cb_buffer_size'"));
    cb_hints_free(&asked);
    remove(path);
    /* --hint repeats; striping joins the hints of the creating open only. */
    cb_config c;
    CHECK(parse("run f.h5 10 10 --hint a=1 --hint b=2 --hint a=3 --stripe-count 4 --stripe-size 1M", &c, &e) == 0 &&
          c.mpi_hints.n == 2 && !strcmp(cb_hints_get(&c.mpi_hints, "a"), "3") && c.create_hints.n == 4 &&
          !strcmp(cb_hints_get(&c.create_hints, "striping_factor"), "4") &&
          !strcmp(cb_hints_get(&c.create_hints, "striping_unit"), "1048576") &&
          !cb_hints_get(&c.mpi_hints, "striping_factor"));
    cb_config_free(&c);
    CHECK(parse("write f.h5 --hint a", &c, &e) < 0 && e.code == CB_EUSAGE && strstr(e.msg, "--hint takes KEY=VALUE, got 'a'"));
    cb_config_free(&c);
}

static void test_cli(void)
{
    cb_config c;
    cb_err e;
    CHECK(parse("create f.h5 1234 5678", &c, &e) == 0 && c.cmd == CB_CMD_CREATE && c.layout.shape[0] == 1234 &&
          c.layout.chunk[0] == 500 && c.layout.chunk[1] == 1000 && c.layout.iter == CB_ITER_BLOCK &&
          c.layout.elem_size == 8);
    CHECK(parse("create f.h5 100 50 row --dtype f4", &c, &e) == 0 && c.layout.chunk[0] == 100 &&
          c.layout.chunk[1] == 50 && c.layout.iter == CB_ITER_ROW && c.layout.elem_size == 4);
    CHECK(parse("run --force f.h5 10 20 col --chunk 5,5 --schedule dynamic --io collective", &c, &e) == 0 &&
          c.force && c.layout.iter == CB_ITER_COL && c.sched == CB_SCHED_DYNAMIC && c.io == CB_IO_COLLECTIVE);
    CHECK(parse("create f.h5 4000 4000 --chunk-mb 8", &c, &e) == 0 && c.layout.chunk[0] == 1000 &&
          c.layout.chunk[1] == 1000);
    CHECK(parse("create f.h5 10 20 --align 4M --page-size 64k", &c, &e) == 0 && c.align == 4194304 &&
          c.page_size == 65536);
    CHECK(parse("write f.h5 --max-tasks 3 --iterations 2 --seed 9", &c, &e) == 0 && c.max_tasks == 3 &&
          c.iterations == 2 && c.seed == 9 && c.seed_given);
    CHECK(parse("status -v f.h5 --json -", &c, &e) == 0 && c.verbose && !strcmp(c.json_path, "-"));
    /* Errors: each a usage error with a message naming the problem. */
    CHECK(parse("create f.h5 10", &c, &e) < 0 && e.code == CB_EUSAGE && strstr(e.msg, "missing"));
    CHECK(parse("create f.h5 10 x", &c, &e) < 0 && strstr(e.msg, "NCOLS"));
    CHECK(parse("create f.h5 0 10", &c, &e) < 0 && strstr(e.msg, "NROWS"));
    CHECK(parse("create f.h5 -5 10", &c, &e) < 0 && strstr(e.msg, "NROWS"));
    CHECK(parse("create f.h5 99999999999 10", &c, &e) < 0 && strstr(e.msg, "NROWS"));
    CHECK(parse("create f.h5 10 10 diagonal", &c, &e) < 0 && strstr(e.msg, "iteration type"));
    CHECK(parse("create f.h5 10 10 block extra", &c, &e) < 0 && strstr(e.msg, "unexpected argument"));
    CHECK(parse("create f.h5 10 10 --chunk 20,5", &c, &e) < 0 && strstr(e.msg, "larger than the shape"));
    CHECK(parse("create f.h5 10 10 --chunk 5", &c, &e) < 0 && strstr(e.msg, "ROWS,COLS"));
    CHECK(parse("create f.h5 10 10 --bogus", &c, &e) < 0 && strstr(e.msg, "unknown option"));
    CHECK(parse("write f.h5 --schedule fast", &c, &e) < 0 && strstr(e.msg, "--schedule"));
    CHECK(parse("write f.h5 --io weird", &c, &e) < 0 && strstr(e.msg, "--io"));
    CHECK(parse("write f.h5 --schedule server", &c, &e) < 0 && strstr(e.msg, "hdf5://"));
    CHECK(parse("write f.h5 --max-tasks 0", &c, &e) < 0 && strstr(e.msg, "--max-tasks"));
    CHECK(parse("status f.h5 --schedule block", &c, &e) < 0 && strstr(e.msg, "does not apply"));
    CHECK(parse("run f.h5 10 10 row --io direct", &c, &e) < 0 && strstr(e.msg, "whole chunks"));
    CHECK(parse("frobnicate f.h5", &c, &e) < 0 && strstr(e.msg, "unknown command"));
    CHECK(parse("write", &c, &e) < 0 && strstr(e.msg, "TARGET"));
    CHECK(parse("write f.h5 --seed", &c, &e) < 0 && strstr(e.msg, "needs a value"));
    /* Each row of the option table sets its own field. */
    CHECK(parse("read f.h5 --driver=sec2 --iter row --verify --preset tuned --chunk-cache 1M --chunk-cache-slots 7 "
                "--page-buffer 2M --log l.csv --json j --csv c --report r --max-tasks 5 -q",
                &c, &e) == 0 &&
          c.driver == CB_DRIVER_SEC2 && c.iter == CB_ITER_ROW && c.iter_given && c.verify &&
          c.preset == CB_PRESET_TUNED && c.chunk_cache == 1 << 20 && c.chunk_cache_slots == 7 &&
          c.page_buffer == 2 << 20 && !strcmp(c.log_path, "l.csv") && !strcmp(c.json_path, "j") &&
          !strcmp(c.csv_path, "c") && !strcmp(c.report_path, "r") && c.max_tasks == 5 && c.quiet);
    CHECK(parse("read http://h/f.h5 --s3-region R --s3-profile P --ca-file C", &c, &e) == 0 &&
          c.driver == CB_DRIVER_ROS3 && !strcmp(c.s3_region, "R") && !strcmp(c.s3_profile, "P") &&
          !strcmp(c.ca_file, "C"));
    /* A secret on the command line is refused, with the fix (issue 12). */
    CHECK(parse("read http://h/f.h5 --s3-key-id I --s3-secret S", &c, &e) < 0 && e.code == CB_EUSAGE &&
          strstr(e.msg, "set AWS_SECRET_ACCESS_KEY"));
    CHECK(parse("write hdf5://d/f.h5 --schedule server --lease 2.5 --claim-batch 3 --endpoint E --bucket B", &c, &e) == 0 &&
          c.sched == CB_SCHED_SERVER && c.lease_s == 2.5 && c.claim_batch == 3 && !strcmp(c.endpoint, "E") &&
          !strcmp(c.bucket, "B"));
    CHECK(parse("write f.h5 --rewrite --fsync", &c, &e) == 0 && c.rewrite && c.fsync && c.claim_batch == CB_CLAIM_BATCH_DEFAULT);
    CHECK(parse("create f.h5 100 100 --chunk 5,7 --dtype=float32", &c, &e) == 0 && c.chunk_given &&
          c.layout.chunk[0] == 5 && c.layout.chunk[1] == 7 && c.layout.elem_size == 4);
    CHECK(parse("compare a.json b.json --csv", &c, &e) == 0 && c.csv_flag && c.ninputs == 2);
    CHECK(parse("report a.json -ox.html", &c, &e) == 0 && !strcmp(c.report_path, "x.html"));
    CHECK(parse("report a.json", &c, &e) == 0 && !strcmp(c.report_path, "report.html"));
    /* Exact names, -- ends options, a valued option comes once. */
    CHECK(parse("status -- -x.h5", &c, &e) == 0 && !strcmp(c.target, "-x.h5"));
    CHECK(parse("create f.h5 10 10 --dty f4", &c, &e) < 0 && strstr(e.msg, "unknown option '--dty'"));
    CHECK(parse("write f.h5 --seed 1 --seed 2", &c, &e) < 0 && strstr(e.msg, "('1' and '2')"));
    CHECK(parse("status -qv f.h5", &c, &e) == 0 && c.quiet && c.verbose);
    CHECK(parse("write f.h5 --json --help", &c, &e) == 0 && !strcmp(c.json_path, "--help") && !c.show_help);
}

static void test_progress_line(void)
{
    char b[256];
    cb_progress_format(b, sizeof b, "write", 100, 400, 200e6, 2.0);
    CHECK(!strcmp(b, "write 100/400 tasks  25.0%  100.0 MB/s  elapsed 2.0 s  left 6.0 s"));
    cb_progress_format(b, sizeof b, "verify", 400, 400, 800e6, 4.0);
    CHECK(!strcmp(b, "verify 400/400 tasks 100.0%  200.0 MB/s  elapsed 4.0 s"));
    cb_progress_format(b, sizeof b, "write", 0, 0, 0, 0);
    CHECK(strstr(b, "0/0 tasks") && !strstr(b, "left"));
}

static void test_classify(void)
{
    /* Two chunks side by side (1000-1999, 2000-2999) and one apart (5000-5099),
     * given out of order. */
    cb_extent ext[] = {{5000, 100}, {1000, 1000}, {2000, 1000}, {9000, 0}};
    int64_t next = 4;
    cb_ioreq v[] = {
        {1000, 1000, 0, 0, 0, CB_REQ_META},  /* a whole chunk */
        {1500, 1000, 0, 0, 0, CB_REQ_META},  /* across two chunks that touch */
        {5010, 90, 0, 0, 0, CB_REQ_META},    /* the tail of a chunk */
        {5050, 100, 0, 0, 0, CB_REQ_META},   /* runs past a chunk's end */
        {600, 512, 0, 0, 0, CB_REQ_META},    /* a header read running into a chunk */
        {0, 96, 0, 0, 0, CB_REQ_META},       /* before every chunk */
        {3000, 8, 0, 0, 0, CB_REQ_META},     /* just after */
        {9000, 8, 0, 0, 0, CB_REQ_DRAW},     /* an empty extent holds nothing */
    };
    cb_iolog_classify(v, 8, ext, &next);
    CHECK(next == 2 && ext[0].offset == 1000 && ext[0].size == 2000 && ext[1].offset == 5000);
    int want[] = {CB_REQ_DRAW, CB_REQ_DRAW, CB_REQ_DRAW, CB_REQ_META, CB_REQ_META, CB_REQ_META, CB_REQ_META, CB_REQ_META};
    for (int i = 0; i < 8; i++)
        CHECK(v[i].kind == want[i]);
    /* No extents (a compact dataset): everything is metadata. */
    next = 0;
    cb_iolog_classify(v, 8, ext, &next);
    CHECK(v[0].kind == CB_REQ_META && v[2].kind == CB_REQ_META);
}

static void test_busy(void)
{
    /* Rank 0: one call whose three ranges share [1, 2], then [3, 3.5];
     * rank 1: [1, 1.25] and an overlapping [1.2, 1.5]. */
    cb_ioreq v[] = {
        {0, 10, 1.0, 2.0, 0, CB_REQ_DRAW}, {20, 10, 1.0, 2.0, 0, CB_REQ_DRAW}, {40, 10, 1.0, 2.0, 0, CB_REQ_DRAW},
        {60, 2000, 3.0, 3.5, 0, CB_REQ_META}, {0, 10, 1.0, 1.25, 1, CB_REQ_DRAW}, {0, 10, 1.2, 1.5, 1, CB_REQ_DRAW},
    };
    cb_iolog_summary s;
    cb_iolog_summarize(v, 6, 0, &s);
    CHECK(fabs(s.busy_s - (1.0 + 0.5 + 0.5)) < 1e-12);
    CHECK(s.requests == 6 && s.data_requests == 5 && s.meta_bytes == 2000 && s.class_requests[0] == 5 &&
          s.class_requests[1] == 1 && s.min_size == 10 && s.max_size == 2000);
}

static void test_backends(void)
{
    CHECK(cb_target_kind_of("hdf5://home/u/t.h5") == CB_TARGET_HSDS);
    CHECK(cb_target_kind_of("http://h/t.h5") == CB_TARGET_URL && cb_target_kind_of("https://h/t.h5") == CB_TARGET_URL &&
          cb_target_kind_of("s3://b/k.h5") == CB_TARGET_URL);
    CHECK(cb_target_kind_of("t.h5") == CB_TARGET_PATH && cb_target_kind_of("/tmp/hdf5:/x") == CB_TARGET_PATH);
    CHECK(cb_backend_for("hdf5://a/b") == &cb_backend_hsds && cb_backend_for("http://h/t.h5") == &cb_backend_hdf5);
    /* A capability flag is set exactly when its optional ops are there. */
    const cb_backend *all[] = {&cb_backend_hdf5, &cb_backend_hsds};
    for (int i = 0; i < 2; i++) {
        const cb_backend *b = all[i];
        CHECK(!(b->caps & CB_CAP_CLAIMS) == (!b->claim || !b->finish));
        CHECK(!(b->caps & CB_CAP_DATASETS) == !b->describe);
        CHECK(!(b->caps & CB_CAP_DATASETS) == !b->switch_dataset);
        CHECK(!(b->caps & CB_CAP_RAW_EXTENTS) == !b->raw_extents);
        CHECK(!(b->caps & CB_CAP_STORED_BYTES) == !b->stored_bytes);
        CHECK(!(b->caps & CB_CAP_SELECTIONS) == !b->read_sel);
        CHECK(b->check && b->open && b->close && b->load_table && b->save_table && b->create);
        /* Without file drivers a report needs the transport's name. */
        CHECK((b->caps & CB_CAP_FILE_DRIVERS) || b->transport);
    }
}

static void test_meta_fields(void)
{
    /* The one field list reaches into cb_meta where the names say. */
    cb_meta m;
    cb_meta_init(&m);
    int found = 0;
    for (int i = 0; i < cb_meta_nfields; i++) {
        const cb_meta_field *f = &cb_meta_fields[i];
        if (!strcmp(f->name, "writers")) {
            cb_meta_set_int(&m, f, 7);
            CHECK(m.writers == 7 && cb_meta_int(&m, f) == 7 && f->size == 4);
            found++;
        } else if (!strcmp(f->name, "seed")) {
            CHECK(cb_meta_int(&m, f) == -1);
            cb_meta_set_int(&m, f, INT64_MAX);
            CHECK(m.seed == INT64_MAX);
            found++;
        } else if (!strcmp(f->name, "io")) {
            CHECK(cb_meta_ref(&m, f) == (void *)m.io && f->size == sizeof m.io && f->kind == CB_MF_STR);
            found++;
        } else if (!strcmp(f->name, "values")) {
            CHECK(cb_meta_ref(&m, f) == (void *)m.values && f->size == sizeof m.values && f->kind == CB_MF_STR &&
                  !m.values[0]);
            found++;
        } else if (!strcmp(f->name, "clock_skew_s")) {
            CHECK(cb_meta_get(&m, f) == (const void *)&m.clock_skew_s && f->kind == CB_MF_REAL);
            found++;
        }
    }
    CHECK(found == 5 && cb_meta_nfields == 15 && cb_meta_nfields <= 32);
}

/* --filter SPECs: forms, ranges, order, the record. */
static void test_filters(void)
{
    cb_filters fs = {0};
    cb_err err = {0};
    char text[256];
    CHECK(cb_filters_add(&fs, "shuffle", &err) == 0 && cb_filters_add(&fs, "deflate:1", &err) == 0);
    CHECK(cb_filters_add(&fs, "fletcher32", &err) == 0 && cb_filters_add(&fs, "32004:0,7", &err) == 0);
    CHECK(fs.n == 4 && fs.f[0].id == 2 && fs.f[1].id == 1 && fs.f[1].values[0] == 1 && fs.f[2].id == 3);
    CHECK(fs.f[3].id == 32004 && !fs.f[3].named && fs.f[3].nvalues == 2 && fs.f[3].values[1] == 7);
    CHECK(cb_filters_text(&fs, text, sizeof text) == 0 && !strcmp(text, "shuffle deflate:1 fletcher32 32004:0,7"));
    CHECK(cb_filters_text(&fs, text, 10) == -1);
    cb_filters d = {0};
    CHECK(cb_filters_add(&d, "deflate", &err) == 0 && d.f[0].values[0] == 6);
    CHECK(cb_filters_text(&d, text, sizeof text) == 0 && !strcmp(text, "deflate:6"));
    const char *bad[] = {"", "bogus", "deflate:0", "deflate:10", "deflate:x", "deflate:", "shuffle:1", "0", "65536",
                         "307:", "307:1,", "307:-1", "307:4294967296", "-3", "deflate"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        err.code = 0;
        CHECK(cb_filters_add(&d, bad[k], &err) < 0 && err.code == CB_EUSAGE); /* the last: given twice */
    }
    CHECK(d.n == 1);
    /* HSDS's blosc codecs: their own words, apart from the plugins of the same numbers */
    cb_filters h = {0};
    CHECK(cb_filters_add(&h, "blosc-lz4", &err) == 0 && h.f[0].id == 32004 && h.f[0].blosc && h.f[0].values[0] == 5);
    CHECK(cb_filters_add(&h, "32004", &err) == 0 && !h.f[1].blosc && cb_filters_add(&h, "blosc-zstd", &err) == 0);
    CHECK(cb_filters_text(&h, text, sizeof text) == 0 && !strcmp(text, "blosc-lz4:5 32004 blosc-zstd"));
    CHECK(cb_filter_compresses(&h.f[0]) && !cb_filter_compresses(&h.f[1]) && !strcmp(cb_filter_name(&h.f[2]), "blosc-zstd"));
    const char *hbad[] = {"blosc-lz4:0", "blosc-lz4:10", "blosc-zstd:3", "blosc-lz4hc:1", "blosc", "blosc-zstd"};
    for (size_t k = 0; k < sizeof hbad / sizeof hbad[0]; k++) {
        err.code = 0;
        CHECK(cb_filters_add(&h, hbad[k], &err) < 0 && err.code == CB_EUSAGE); /* the last: given twice */
    }
    CHECK(h.n == 3);
}

/* Writers grouped by name: many names in scattered rows (the hash grows),
 * sorted by strcmp, each writer's figures equal to a plain count. */
static void test_summary_writers(void)
{
    enum { NW = 300 };
    cb_table t = {.layout = {.shape = {100, 120}, .chunk = {2, 3}, .elem_size = 4, .iter = CB_ITER_BLOCK}};
    t.ntasks = cb_task_count(&t.layout);
    t.tasks = calloc((size_t)t.ntasks, sizeof *t.tasks);
    cb_tasks_make(&t.layout, t.tasks);
    int64_t want_tasks[NW] = {0}, want_prog[NW] = {0};
    unsigned x = 12345;
    for (int64_t i = 0; i < t.ntasks; i++) {
        x = x * 1103515245u + 12345u;
        int w = (int)((x >> 8) % NW);
        if (w == 0)
            continue; /* no writer: pending */
        snprintf(t.tasks[i].pod, sizeof t.tasks[i].pod, "r%d@h%d", w, w % 7);
        t.tasks[i].status = i % 11 ? CB_COMPLETE : CB_IN_PROGRESS;
        t.tasks[i].start = 100 + (double)i;
        t.tasks[i].done = t.tasks[i].status == CB_COMPLETE ? t.tasks[i].start + 0.5 : 0;
        if (t.tasks[i].status == CB_COMPLETE)
            want_tasks[w]++;
        else
            want_prog[w]++;
    }
    cb_summary s;
    cb_err err = {0};
    CHECK(cb_summarize(&t, &s, &err) == 0);
    int named = 0;
    for (int w = 1; w < NW; w++)
        named += want_tasks[w] + want_prog[w] > 0;
    CHECK(s.nwriters == named);
    int ok = 1;
    for (int i = 0; i < s.nwriters; i++) {
        int w = 0;
        ok &= sscanf(s.writers[i].name, "r%d@", &w) == 1 && w > 0 && w < NW;
        if (!ok)
            break;
        ok &= s.writers[i].tasks == want_tasks[w] && s.writers[i].in_progress == want_prog[w];
        ok &= s.writers[i].bytes == want_tasks[w] * 2 * 3 * 4;
        ok &= fabs(s.writers[i].mean_s - (want_tasks[w] ? 0.5 : 0)) < 1e-12;
        ok &= i == 0 || strcmp(s.writers[i - 1].name, s.writers[i].name) < 0;
    }
    CHECK(ok);
    CHECK(s.nhosts == 7);
    int64_t host_tasks = 0;
    for (int h = 0; h < s.nhosts; h++)
        host_tasks += s.hosts[h].tasks;
    CHECK(host_tasks == s.complete);
    cb_summary_free(&s);
    free(t.tasks);
}

/* Tasks joined into rectangles: side by side in one row of chunks, stacked
 * full-width rows, and a task that joins neither, in any order given. */
static void test_batch_rects(void)
{
    cb_task t[6] = {{.x = 0, .y = 20, .nrow = 10, .ncol = 10}, {.x = 0, .y = 0, .nrow = 10, .ncol = 10},
                    {.x = 0, .y = 10, .nrow = 10, .ncol = 10}, {.x = 10, .y = 30, .nrow = 10, .ncol = 10},
                    {.x = 50, .y = 0, .nrow = 2, .ncol = 40}, {.x = 52, .y = 0, .nrow = 2, .ncol = 40}};
    cb_task r[6];
    int of[6];
    int m = cb_batch_rects(t, 6, r, of);
    CHECK(m == 3);
    CHECK(r[0].x == 0 && r[0].y == 0 && r[0].nrow == 10 && r[0].ncol == 30);
    CHECK(r[1].x == 10 && r[1].y == 30 && r[1].nrow == 10 && r[1].ncol == 10);
    CHECK(r[2].x == 50 && r[2].y == 0 && r[2].nrow == 4 && r[2].ncol == 40);
    CHECK(of[0] == 0 && of[1] == 0 && of[2] == 0 && of[3] == 1 && of[4] == 2 && of[5] == 2);
    /* A 2 x 2 block of chunks, given in any order: one rectangle. */
    cb_task q[4] = {{.x = 10, .y = 10, .nrow = 10, .ncol = 10}, {.x = 0, .y = 10, .nrow = 10, .ncol = 10},
                    {.x = 10, .y = 0, .nrow = 10, .ncol = 10}, {.x = 0, .y = 0, .nrow = 10, .ncol = 10}};
    CHECK(cb_batch_rects(q, 4, r, of) == 1 && r[0].nrow == 20 && r[0].ncol == 20 && of[0] == 0 && of[2] == 0);
    /* Not adjacent (a gap of one column): two rectangles. */
    cb_task g[2] = {{.x = 0, .y = 0, .nrow = 5, .ncol = 5}, {.x = 0, .y = 6, .nrow = 5, .ncol = 5}};
    CHECK(cb_batch_rects(g, 2, r, of) == 2 && of[1] == 1);
}

/* The collective record: sums as plain counters, names its causes in words. */
static void test_coll_stats(void)
{
    cb_coll_stats a = {0}, b = {0};
    CHECK(!cb_coll_asked(&a));
    a.asked[CB_CHUNK_OPT_MULTI] = 2;
    a.calls = 3;
    a.io_mode[CB_AIO_CHUNK_COLLECTIVE] = 3;
    b.asked[CB_CHUNK_OPT_MULTI] = 1;
    b.calls = 4;
    b.io_mode[CB_AIO_INDEPENDENT] = 2;
    b.io_mode[CB_AIO_CHUNK_MIXED] = 1;
    b.io_mode[CB_AIO_CHUNK_INDEPENDENT] = 1;
    b.global_cause[CB_NCC_DATATYPE_CONVERSION] = 2;
    b.local_cause[CB_NCC_DATA_TRANSFORMS] = 1;
    cb_coll_add(&a, &b);
    CHECK(cb_coll_asked(&a) && cb_coll_asked_opt(&a) == CB_CHUNK_OPT_MULTI);
    CHECK(a.calls == 7 && cb_coll_not_done(&a) == 4);
    char why[128];
    cb_coll_causes_text(&a, why, sizeof why);
    CHECK(!strcmp(why, "datatype conversion, data transforms"));
    cb_coll_causes_text(&(cb_coll_stats){0}, why, sizeof why);
    CHECK(why[0] == 0);
    CHECK(!strcmp(cb_actual_io_key(CB_AIO_CONTIGUOUS_COLLECTIVE), "contiguous_collective"));
    CHECK(!strcmp(cb_actual_chunk_opt_key(CB_ACO_LINK_CHUNK), "link_chunk"));
    CHECK(!strcmp(cb_chunk_opt_name(CB_CHUNK_OPT_UNSET), "auto"));
}

/* A fake remote file for the caches: byte i is i * 7 mod 251; every fetch is
 * recorded, as the HTTP requests would be. */
typedef struct fake_remote {
    int64_t size, n, off[64], len[64];
    int fail, fresh[64];
} fake_remote;

static int fake_fetch(void *ctx, int64_t offset, int64_t size, void *buf, int fresh, cb_err *err)
{
    fake_remote *r = ctx;
    if (r->n < 64)
        r->fresh[r->n] = fresh;
    if (r->fail && size > 0)
        memset(buf, 0xEE, 1); /* a failed transfer may have written some bytes */
    if (r->fail || offset < 0 || offset + size > r->size || size <= 0)
        return cb_fail(err, CB_EIO, "fake fetch refused %lld+%lld", (long long)offset, (long long)size);
    if (r->n < 64) {
        r->off[r->n] = offset;
        r->len[r->n] = size;
    }
    r->n++;
    for (int64_t i = 0; i < size; i++)
        ((unsigned char *)buf)[i] = (unsigned char)((offset + i) * 7 % 251);
    return 0;
}

/* Read [off, off+n) through c and check the bytes; the fetches it made are
 * r->n - before. */
static int cache_read_ok(cb_rcache *c, int64_t off, int64_t n)
{
    unsigned char buf[4096];
    cb_err err = {0};
    if (n > (int64_t)sizeof buf || cb_rcache_read(c, off, n, buf, &err) < 0)
        return 0;
    for (int64_t i = 0; i < n; i++)
        if (buf[i] != (unsigned char)((off + i) * 7 % 251))
            return 0;
    return 1;
}

static void test_rangecache(void)
{
    cb_err err = {0}, e2 = {0};
    cb_rcache c;
    /* none: each read one request of exactly its bytes. */
    fake_remote r = {.size = 1000};
    CHECK(cb_rcache_init(&c, CB_HTTP_CACHE_NONE, 100, 1, 0, r.size, fake_fetch, &r, &err) == 0);
    CHECK(cache_read_ok(&c, 10, 20) && cache_read_ok(&c, 10, 20));
    CHECK(r.n == 2 && r.off[1] == 10 && r.len[1] == 20);
    CHECK(cb_rcache_read(&c, 990, 20, (unsigned char[20]){0}, &err) < 0 && strstr(err.msg, "past the end"));
    cb_rcache_free(&c);
    /* none with a prefix: the first read at 0 fetches the prefix, later reads
     * inside it are free, one running past it fetches only its rest, and
     * reads after it are their own requests again. */
    r = (fake_remote){.size = 1000};
    CHECK(cb_rcache_init(&c, CB_HTTP_CACHE_NONE, 100, 1, 48, r.size, fake_fetch, &r, &err) == 0);
    CHECK(cache_read_ok(&c, 0, 8) && r.n == 1 && r.off[0] == 0 && r.len[0] == 48);
    CHECK(cache_read_ok(&c, 0, 16) && cache_read_ok(&c, 16, 32) && r.n == 1);
    CHECK(cache_read_ok(&c, 40, 20) && r.n == 2 && r.off[1] == 48 && r.len[1] == 12);
    CHECK(cache_read_ok(&c, 48, 10) && cache_read_ok(&c, 48, 10) && r.n == 4 && r.off[3] == 48 && r.len[3] == 10);
    cb_rcache_free(&c);
    /* A first read running past the prefix is one request; a prefix over the file is the file. */
    r = (fake_remote){.size = 30};
    cb_rcache_init(&c, CB_HTTP_CACHE_NONE, 100, 1, 48, r.size, fake_fetch, &r, &err);
    CHECK(cache_read_ok(&c, 0, 8) && r.n == 1 && r.len[0] == 30 && cache_read_ok(&c, 8, 22) && r.n == 1);
    cb_rcache_free(&c);
    r = (fake_remote){.size = 1000};
    cb_rcache_init(&c, CB_HTTP_CACHE_NONE, 100, 1, 48, r.size, fake_fetch, &r, &err);
    CHECK(cache_read_ok(&c, 0, 100) && r.n == 1 && r.off[0] == 0 && r.len[0] == 100 && cache_read_ok(&c, 0, 48) && r.n == 1);
    cb_rcache_free(&c);

    /* readahead: a miss fetches the read plus a block; reads inside are free;
     * a read running past the buffer fetches only from the buffer's end. */
    r = (fake_remote){.size = 1000};
    cb_rcache_init(&c, CB_HTTP_CACHE_READAHEAD, 100, 1, 0, r.size, fake_fetch, &r, &err);
    CHECK(cache_read_ok(&c, 50, 10) && r.n == 1 && r.off[0] == 50 && r.len[0] == 110);
    CHECK(cache_read_ok(&c, 100, 60) && r.n == 1);                      /* inside [50, 160) */
    CHECK(cache_read_ok(&c, 150, 30) && r.n == 2 && r.off[1] == 160 && r.len[1] == 120); /* tail: 160..280 */
    CHECK(cache_read_ok(&c, 10, 5) && r.n == 3 && r.off[2] == 10 && r.len[2] == 105);    /* before: a miss */
    CHECK(cache_read_ok(&c, 950, 50) && r.n == 4 && r.off[3] == 950 && r.len[3] == 50);  /* clipped at the end */
    cb_rcache_free(&c);
    /* readahead refills its buffer in place (no fresh memory a miss) and grows
     * it only for a bigger miss; a failed refill leaves nothing to hit. */
    r = (fake_remote){.size = 1000};
    cb_rcache_init(&c, CB_HTTP_CACHE_READAHEAD, 100, 1, 0, r.size, fake_fetch, &r, &err);
    CHECK(cache_read_ok(&c, 0, 50) && c.cap == 150 && r.fresh[0]);
    const unsigned char *first_buf = c.buf;
    CHECK(cache_read_ok(&c, 400, 20) && r.n == 2 && c.buf == first_buf && c.cap == 150 && !r.fresh[1]);
    CHECK(cache_read_ok(&c, 600, 300) && r.n == 3 && c.cap == 400 && c.len == 400 && r.fresh[2]);
    r.fail = 1;
    CHECK(cb_rcache_read(&c, 100, 10, (unsigned char[10]){0}, &e2) < 0 && c.len == 0);
    r.fail = 0;
    CHECK(cache_read_ok(&c, 650, 10) && r.n == 4 && r.off[3] == 650); /* the old [600, 1000) is gone */
    cb_rcache_free(&c);

    /* blockcache: whole aligned blocks, adjacent misses in one request, LRU of 2. */
    r = (fake_remote){.size = 1050};
    cb_rcache_init(&c, CB_HTTP_CACHE_BLOCK, 100, 2, 0, r.size, fake_fetch, &r, &err);
    CHECK(cache_read_ok(&c, 120, 10) && r.n == 1 && r.off[0] == 100 && r.len[0] == 100);
    CHECK(cache_read_ok(&c, 150, 100) && r.n == 2 && r.off[1] == 200 && r.len[1] == 100); /* block 1 kept, 2 fetched */
    CHECK(cache_read_ok(&c, 110, 150) && r.n == 2);                                     /* blocks 1, 2: hits */
    CHECK(cache_read_ok(&c, 310, 200) && r.n == 3 && r.off[2] == 300 && r.len[2] == 300); /* 3, 4, 5: one request */
    CHECK(cache_read_ok(&c, 420, 10) && r.n == 3);                                      /* 4: the LRU kept 4 and 5 */
    CHECK(cache_read_ok(&c, 150, 10) && r.n == 4 && r.off[3] == 100);                   /* 1 was evicted */
    CHECK(r.fresh[0] && r.fresh[1] && !r.fresh[3]); /* new slots, then a slot reused */
    CHECK(cache_read_ok(&c, 1020, 30) && r.n == 5 && r.off[4] == 1000 && r.len[4] == 50); /* short last block */
    CHECK(cache_read_ok(&c, 1000, 50) && r.n == 5);
    cb_rcache_free(&c);

    /* first: block 0 kept for ever (a read running past it is one request), the rest uncached. */
    r = (fake_remote){.size = 1000};
    cb_rcache_init(&c, CB_HTTP_CACHE_FIRST, 100, 1, 0, r.size, fake_fetch, &r, &err);
    CHECK(cache_read_ok(&c, 0, 8) && r.n == 1 && r.off[0] == 0 && r.len[0] == 100);
    CHECK(cache_read_ok(&c, 40, 60) && r.n == 1);
    CHECK(cache_read_ok(&c, 500, 10) && cache_read_ok(&c, 500, 10) && r.n == 3);
    CHECK(cache_read_ok(&c, 90, 20) && r.n == 4 && r.off[3] == 100 && r.len[3] == 10);
    cb_rcache_free(&c);
    r = (fake_remote){.size = 1000};
    cb_rcache_init(&c, CB_HTTP_CACHE_FIRST, 100, 1, 0, r.size, fake_fetch, &r, &err);
    CHECK(cache_read_ok(&c, 50, 150) && r.n == 1 && r.off[0] == 0 && r.len[0] == 200);
    CHECK(cache_read_ok(&c, 0, 100) && r.n == 1);
    cb_rcache_free(&c);

    /* all: one request for the whole file, then none. */
    r = (fake_remote){.size = 3000};
    cb_rcache_init(&c, CB_HTTP_CACHE_ALL, 100, 1, 0, r.size, fake_fetch, &r, &err);
    CHECK(cache_read_ok(&c, 2000, 100) && cache_read_ok(&c, 0, 3000) && r.n == 1);
    CHECK(r.off[0] == 0 && r.len[0] == 3000);
    cb_rcache_free(&c);

    /* A failed fetch is the read's error, and the cache stays usable. */
    r = (fake_remote){.size = 1000, .fail = 1};
    cb_rcache_init(&c, CB_HTTP_CACHE_BLOCK, 100, 2, 0, r.size, fake_fetch, &r, &err);
    CHECK(cb_rcache_read(&c, 0, 10, (unsigned char[10]){0}, &e2) < 0 && strstr(e2.msg, "fake fetch refused"));
    r.fail = 0;
    CHECK(cache_read_ok(&c, 0, 10) && r.n == 1);
    /* A block fetched into a full cache overwrites the LRU slot: if that fetch
     * fails, the slot's old block must be gone, not served half overwritten. */
    CHECK(cache_read_ok(&c, 150, 10) && r.n == 2); /* slots: blocks 0, 1 */
    r.fail = 1;
    CHECK(cb_rcache_read(&c, 250, 10, (unsigned char[10]){0}, &e2) < 0);
    r.fail = 0;
    CHECK(cache_read_ok(&c, 0, 10) && r.n == 3 && r.off[2] == 0);  /* 0 fetched again */
    CHECK(cache_read_ok(&c, 150, 10) && r.n == 3);                  /* 1 still held */
    cb_rcache_free(&c);
}

/* The page-mapping helper maps a buffer's pages in, without touching its
 * bytes, and stops when asked. */
static void test_prefault(void)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE), n = 4 * CB_PREFAULT_MIN;
    unsigned char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    if (p == MAP_FAILED)
        return;
    unsigned char *vec = calloc(n / page, 1);
    memset(p, 0x5A, 100); /* the first page mapped, with bytes the helper must keep */
    cb_prefault pf;
    cb_prefault_begin(&pf, p, n);
    size_t resident = 0;
    for (int tries = 0; tries < 400 && resident < n / page; tries++) {
        usleep(5000);
        resident = 0;
        if (mincore(p, n, vec) == 0)
            for (size_t i = 0; i < n / page; i++)
                resident += vec[i] & 1;
    }
    cb_prefault_end(&pf);
    CHECK(resident == n / page);
    CHECK(p[0] == 0x5A && p[99] == 0x5A && p[100] == 0 && p[n - 1] == 0);
    cb_prefault_end(&pf); /* a second end is harmless */
    cb_prefault_begin(&pf, p, CB_PREFAULT_MIN - 1); /* too small: no helper */
    CHECK(!pf.running);
    cb_prefault_end(&pf);
    free(vec);
    munmap(p, n);
}

/* The read checksum: known values, and the same sum however the dataset is
 * split into blocks (tasks, ranks). */
static void test_checksum(void)
{
    /* 1-byte elements 1, 2, 3 at g = 0, 1, 2: 1*1 + 2*3 + 3*5 */
    CHECK(cb_checksum_block((unsigned char[]){1, 2, 3}, 1, 1, 3, 0, 0, 3) == 22);
    /* little-endian: bytes 01 00 are 1, 00 01 are 256 */
    CHECK(cb_checksum_block((unsigned char[]){1, 0, 0, 1}, 2, 1, 2, 0, 0, 2) == 1 + 256 * 3);
    /* a 16-byte element folds its first 8 bytes */
    unsigned char big[16] = {7, 0, 0, 0, 0, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9};
    CHECK(cb_checksum_block(big, 16, 1, 1, 0, 0, 1) == 7);
    /* 6 x 5 doubles: whole = rows 0-3 + rows 4-5, and = its two column halves */
    double v[30], part[30];
    for (int i = 0; i < 30; i++)
        v[i] = i * 1.25 - 7;
    uint64_t whole = cb_checksum_block(v, 8, 6, 5, 0, 0, 5);
    CHECK(whole == cb_checksum_block(v, 8, 4, 5, 0, 0, 5) + cb_checksum_block(v + 20, 8, 2, 5, 4, 0, 5));
    for (int r = 0; r < 6; r++)
        for (int c = 0; c < 5; c++)
            part[c < 2 ? r * 2 + c : 12 + r * 3 + c - 2] = v[r * 5 + c];
    CHECK(whole == cb_checksum_block(part, 8, 6, 2, 0, 0, 5) + cb_checksum_block(part + 12, 8, 6, 3, 0, 2, 5));
    /* position counts: two values swapped change it */
    double w[30];
    memcpy(w, v, sizeof w);
    w[3] = v[4];
    w[4] = v[3];
    CHECK(whole != cb_checksum_block(w, 8, 6, 5, 0, 0, 5));
    /* Every element size, from an odd address, against the definition
     * spelled out byte by byte (core/checksum.h). */
    unsigned char raw[1 + 3 * 4 * 16];
    for (size_t i = 0; i < sizeof raw; i++)
        raw[i] = (unsigned char)(i * 151 + 77);
    for (int es = 1; es <= 16; es++) {
        uint64_t want = 0;
        for (int k = 0; k < 12; k++) { /* 3 x 4 at (2, 5) of a dataset 9 wide */
            uint64_t g = (uint64_t)(2 + k / 4) * 9 + 5 + k % 4, e = 0;
            for (int b = (es < 8 ? es : 8) - 1; b >= 0; b--)
                e = e << 8 | raw[1 + k * es + b];
            want += e * (2 * g + 1);
        }
        CHECK(cb_checksum_block(raw + 1, es, 3, 4, 2, 5, 9) == want);
    }
}

/* The pattern's value sum: floats and doubles, in order, unaligned. */
static void test_values_sum(void)
{
    float f[3] = {1.5f, -0.25f, 1e-8f};
    double d[3] = {1e16, 1, -1e16}; /* in order: (1e16 + 1) rounds to 1e16, so 0 */
    unsigned char raw[1 + sizeof d];
    memcpy(raw + 1, f, sizeof f);
    CHECK(cb_values_sum(raw + 1, 3, 4) == ((double)1.5f + (double)-0.25f) + (double)1e-8f);
    memcpy(raw + 1, d, sizeof d);
    CHECK(cb_values_sum(raw + 1, 3, 8) == 0);
    CHECK(cb_values_sum(raw + 1, 2, 8) == 1e16);
}

/* --pattern: the syntax, numpy's slice defaults, the task a selection
 * stands for, the shape checks, and a check that finds a changed value. */
static void test_pattern(void)
{
    cb_pattern_spec p;
    cb_err e = {0};
    CHECK(cb_pattern_parse("random:16x24", &p, &e) == 0 && p.kind == CB_PAT_RANDOM && p.box[0] == 16 && p.box[1] == 24);
    CHECK(cb_pattern_parse("stride:3:370:7,::11", &p, &e) == 0 && p.kind == CB_PAT_STRIDE && p.lo[0] == 3 &&
          p.hi[0] == 370 && p.step[0] == 7 && p.lo[1] < 0 && p.hi[1] < 0 && p.step[1] == 11);
    CHECK(cb_pattern_parse("stride:5,2:", &p, &e) == 0 && p.lo[0] == 5 && p.hi[0] == 6 && p.lo[1] == 2 && p.hi[1] < 0);
    CHECK(cb_pattern_parse("points:12", &p, &e) == 0 && p.npoints == 12 && !p.file);
    CHECK(cb_pattern_parse("points:./12", &p, &e) == 0 && p.npoints == 0 && !strcmp(p.file, "./12"));
    const char *bad[] = {"random:16", "random:0x3", "random:3x3x", "stride:1:2", "stride:1:2:0,:", "stride:4:4,:",
                         "stride:a,:", "points:", "points:0", "box:1x1", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cb_err b = {0};
        CHECK(cb_pattern_parse(bad[i], &p, &b) < 0 && b.code == CB_EUSAGE && strstr(b.msg, "--pattern"));
    }
    cb_layout lay = {.shape = {370, 530}, .chunk = {100, 160}, .elem_size = 8};
    cb_pattern pat;
    CHECK(cb_pattern_parse("stride:3:370:7,5:530:11", &p, &e) == 0 && cb_pattern_make(&p, &lay, 0, 0, 1, &pat, &e) == 0);
    /* 53 selected rows in tasks of ceil(100 / 7) = 15: 15, 15, 15, 8. */
    CHECK(pat.nsels == 4 && pat.sels[0].count[0] == 15 && pat.sels[3].count[0] == 8 && pat.sels[0].count[1] == 48);
    CHECK(pat.sels[1].start[0] == 3 + 15 * 7 && pat.sels[1].stride[1] == 11);
    cb_task t;
    cb_sel_task(&pat.sels[3], &t);
    CHECK(t.x == 3 + 45 * 7 && t.y == 5 && t.nrow == 8 && t.ncol == 48);
    /* The generator's values pass; one changed value is found where it is. */
    cb_values v = {.kind = CB_VALUES_UNIFORM};
    double buf[8 * 48];
    cb_sel *q = &pat.sels[3];
    for (int64_t k = 0; k < 8 * 48; k++) {
        cb_task one = {.x = (int32_t)(q->start[0] + (k / 48) * 7), .y = (int32_t)(q->start[1] + (k % 48) * 11), .nrow = 1, .ncol = 1};
        cb_fill(&one, 8, 9, &v, &buf[k]);
    }
    int64_t bi = -1, bj = -1;
    CHECK(cb_sel_check(q, 8, 9, &v, buf, &bi, &bj) == 0);
    buf[48 + 2] = 7.0;
    CHECK(cb_sel_check(q, 8, 9, &v, buf, &bi, &bj) == 1 && bi == q->start[0] + 7 && bj == 5 + 2 * 11);
    cb_pattern_free(&pat);
    /* Random boxes: inside the dataset, the same for the same seed. */
    cb_pattern a, b;
    CHECK(cb_pattern_parse("random:370x1", &p, &e) == 0 && cb_pattern_make(&p, &lay, 5, 0, 3, &a, &e) == 0);
    CHECK(a.nsels == 5 && a.sels[0].start[0] == 0 && a.sels[4].start[1] <= 529);
    CHECK(cb_pattern_make(&p, &lay, 5, 0, 3, &b, &e) == 0 && !memcmp(a.sels, b.sels, 5 * sizeof *a.sels));
    cb_pattern_free(&a);
    cb_pattern_free(&b);
    cb_err big = {0};
    CHECK(cb_pattern_parse("random:371x1", &p, &e) == 0 && cb_pattern_make(&p, &lay, 5, 0, 3, &a, &big) < 0 &&
          big.code == CB_EUSAGE && strstr(big.msg, "larger than the 370 x 530 dataset"));
    cb_err past = {0};
    CHECK(cb_pattern_parse("stride::,0:531", &p, &e) == 0 && cb_pattern_make(&p, &lay, 0, 0, 1, &a, &past) < 0 &&
          strstr(past.msg, "column slice 0:531"));
    /* Random points in groups: 130 = 64 + 64 + 2, a task of N x 1 each. */
    CHECK(cb_pattern_parse("points:130", &p, &e) == 0 && cb_pattern_make(&p, &lay, 0, 0, 1, &a, &e) == 0);
    CHECK(a.nsels == 3 && a.sels[2].npoints == 2 && a.sels[2].points == a.points + 2 * 128);
    cb_sel_task(&a.sels[0], &t);
    CHECK(t.nrow == 64 && t.ncol == 1 && t.x == a.points[0] && t.y == a.points[1]);
    cb_pattern_free(&a);
}

int main(void)
{
    test_checksum();
    test_values_sum();
    test_pattern();
    test_rangecache();
    test_prefault();
    test_backends();
    test_meta_fields();
    test_filters();
    test_grow();
    test_classify();
    test_busy();
    test_progress_line();
    test_grid_block();
    test_grid_row_col();
    test_table_check();
    test_pack();
    test_values();
    test_generators();
    test_percentiles();
    test_summary_writers();
    test_batch_rects();
    test_coll_stats();
    test_partition();
    test_cli();
    test_hints();
    return CHECK_DONE();
}
