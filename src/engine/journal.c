#include "engine/journal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "backends/backend.h"
#include "core/clock.h"
#include "core/grow.h"
#include "core/mpi_err.h"
#include "core/procstat.h"
#include "engine/agree.h"

enum { HDR_BYTES = 512, REC_BYTES = 32, BUF_RECS = 2048 };
static const char MAGIC[8] = {'C', 'B', 'J', 'R', 'N', 'L', '\0', '1'};
static const unsigned char REC_MAGIC[4] = {'C', 'B', 'R', '1'};
#define SUFFIX ".cbj"

/* The header, as it lies in the file (native byte order: a journal is read
 * where it was written, or on a host of the same job). */
typedef struct hdr {
    char magic[8];
    uint32_t version, header_bytes;
    uint64_t run;
    int64_t pid, proc_start; /* proc_start: /proc/<pid>/stat field 22 (0: unknown) */
    int32_t rank, iter, elem_size, pad;
    double start_time;
    int64_t shape[2], chunk[2], ntasks;
    uint64_t seed;
    char host[64];
    char boot_id[40];
    char pod[CB_POD_LEN + 1];
} hdr;
_Static_assert(sizeof(hdr) + 4 <= HDR_BYTES, "journal header fits its 512 bytes");

struct cb_journal {
    int fd;
    int data_fd; /* the target, for syncing its data before the records (-1: none) */
    char path[4200];
    uint64_t run;
    double last_write, last_sync, flush_s, sync_s;
    int dirty; /* written since the last sync */
};

/* One journal per process, its buffer static so the signal handler can
 * write it: lengths are sig_atomic_t, a record is counted once complete. */
static unsigned char g_buf[BUF_RECS * REC_BYTES];
static volatile sig_atomic_t g_fd = -1, g_len = 0, g_flushed = 0;

int cb_journal_enabled(void)
{
    const char *s = getenv("CHUNKBENCH_JOURNAL");
    return !(s && (!strcmp(s, "off") || !strcmp(s, "0") || !strcmp(s, "no")));
}

static double env_num(const char *name, double dflt)
{
    const char *s = getenv(name);
    char *end;
    double v = s ? strtod(s, &end) : dflt;
    return s && (end == s || v < 0) ? dflt : v;
}

void cb_journal_dir_of(const char *target, char *buf, size_t cap)
{
    if (cb_target_kind_of(target) == CB_TARGET_HSDS) {
        /* A domain has no directory of ours: the current one, named after it. */
        const char *d = strstr(target, "://");
        d = d ? d + 3 : target;
        while (*d == '/')
            d++;
        int n = snprintf(buf, cap, "./");
        for (; *d && (size_t)n + 1 < cap; d++)
            buf[n++] = *d == '/' ? '_' : *d;
        buf[n] = 0;
        snprintf(buf + n, cap - (size_t)n, ".chunkbench-journal");
        return;
    }
    const char *file = cb_target_file(target);
    snprintf(buf, cap, "%s.chunkbench-journal", file ? file : target);
}

/* When the process started (ticks since boot), which tells a live process
 * from a later one with the same pid; -1 for one that has ended (a zombie),
 * 0 when unknown. */
static int64_t proc_start(long long pid)
{
    cb_procstat ps;
    if (cb_procstat_of(pid, &ps) < 0)
        return 0;
    return ps.state == 'Z' || ps.state == 'X' ? -1 : (int64_t)ps.start;
}

static void host_name(char *buf, size_t cap)
{
    if (gethostname(buf, cap - 1) != 0)
        snprintf(buf, cap, "localhost");
    buf[cap - 1] = 0;
}

static uint32_t rec_crc(const unsigned char *r, uint64_t run)
{
    return (uint32_t)crc32((uLong)(run & 0xffffffffu), r, REC_BYTES - 4);
}

static int sys_fail(cb_err *err, const char *what, const char *path)
{
    return cb_fail(err, CB_EIO, "%s %s: %s (free space there, or set CHUNKBENCH_JOURNAL=off to run without task records)",
                   what, path, strerror(errno));
}

static int write_buffered(cb_journal *j, cb_err *err);

/* A journal that cannot be made is not worth stopping a benchmark for: the
 * run goes on without one, and says what it loses. */
static void warn_no_journal(const char *what, const char *path)
{
    fprintf(stderr, "chunkbench: warning: %s %s: %s; this run keeps no task records until it ends (a killed run loses them)\n",
            what, path, strerror(errno));
}

int cb_journal_start(const char *target, const cb_layout *lay, int64_t ntasks, uint64_t seed, const char *pod,
                     MPI_Comm comm, cb_journal **out, cb_err *err)
{
    *out = NULL;
    int rank;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return -1;
    cb_err local = {0};
    char dir[4096], host[64];
    cb_journal_dir_of(target, dir, sizeof dir);
    host_name(host, sizeof host);
    uint64_t run = 0; /* 0: no journal for this run */
    if (rank == 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        run = ((uint64_t)ts.tv_sec << 30) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 40) ^
              (uint64_t)crc32(0, (const Bytef *)host, (uInt)strlen(host));
        if (!run)
            run = 1;
        if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
            warn_no_journal("cannot make the task journal directory", dir);
            run = 0;
        }
    }
    cb_mpi(&local, MPI_Bcast(&run, 1, MPI_UINT64_T, 0, comm), "MPI_Bcast of the journal's run id");
    cb_mpi(&local, MPI_Bcast(&ntasks, 1, MPI_INT64_T, 0, comm), "MPI_Bcast of the table's task count");
    if (cb_agree(comm, &local) < 0) {
        *err = local;
        return -1;
    }
    if (!run)
        return 0;
    cb_journal *j = calloc(1, sizeof *j);
    int ok = j != NULL;
    if (j) {
        j->run = run;
        j->fd = -1;
        j->flush_s = env_num("CHUNKBENCH_JOURNAL_FLUSH_MS", 200) / 1000;
        /* 0: never. Records synced before their data would outlive it in a
         * node crash, so a sync syncs the target's data first. */
        j->sync_s = env_num("CHUNKBENCH_JOURNAL_SYNC_S", 0);
        const char *file = cb_target_file(target);
        j->data_fd = j->sync_s > 0 && file ? open(file, O_RDONLY | O_CLOEXEC) : -1;
        snprintf(j->path, sizeof j->path, "%s/%016llx.r%d" SUFFIX, dir, (unsigned long long)run, rank);
        unsigned char raw[HDR_BYTES] = {0};
        hdr h = {.version = 1, .header_bytes = HDR_BYTES, .run = run, .pid = getpid(), .rank = rank,
                 .iter = (int32_t)lay->iter, .elem_size = lay->elem_size, .start_time = cb_now(),
                 .shape = {lay->shape[0], lay->shape[1]}, .chunk = {lay->chunk[0], lay->chunk[1]},
                 .ntasks = ntasks, .seed = seed};
        memcpy(h.magic, MAGIC, sizeof MAGIC);
        h.proc_start = proc_start((long long)h.pid);
        snprintf(h.host, sizeof h.host, "%s", host);
        cb_boot_id(h.boot_id, sizeof h.boot_id);
        snprintf(h.pod, sizeof h.pod, "%s", pod ? pod : "");
        memcpy(raw, &h, sizeof h);
        uint32_t c = (uint32_t)crc32(0, raw, HDR_BYTES - 4);
        memcpy(raw + HDR_BYTES - 4, &c, 4);
        j->fd = open(j->path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0666);
        if (j->fd < 0 || write(j->fd, raw, HDR_BYTES) != HDR_BYTES) {
            warn_no_journal("cannot write the task journal", j->path);
            ok = 0;
        }
        j->last_write = j->last_sync = cb_now();
    }
    /* All ranks or none: a run half journaled would merge half its records. */
    int all = 0;
    if (cb_mpi(err, MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, comm), "MPI_Allreduce of the journals' opening") < 0)
        all = 0;
    if (!all) {
        if (j && j->fd >= 0) {
            close(j->fd);
            unlink(j->path);
        }
        if (j && j->data_fd >= 0)
            close(j->data_fd);
        free(j);
        return err->code ? -1 : 0;
    }
    g_len = g_flushed = 0;
    g_fd = j->fd;
    *out = j;
    return 0;
}

int cb_journal_flush(cb_journal *j, cb_err *err)
{
    if (!j || g_len <= g_flushed)
        return 0;
    if (write_buffered(j, err) < 0)
        return -1;
    j->last_write = cb_now();
    return 0;
}

uint64_t cb_journal_run(const cb_journal *j)
{
    return j ? j->run : 0;
}

void cb_journal_flush_from_signal(void)
{
    int fd = g_fd, len = g_len, from = g_flushed;
    /* Records are whole in [0, g_len); O_APPEND keeps this write and the
     * main line's from overlapping. A record written twice merges once. */
    while (fd >= 0 && from < len) {
        ssize_t w = write(fd, g_buf + from, (size_t)(len - from));
        if (w <= 0)
            break;
        from += (int)w;
    }
    if (fd >= 0)
        g_flushed = from;
}

static int write_buffered(cb_journal *j, cb_err *err)
{
    int len = g_len, from = g_flushed;
    while (from < len) {
        ssize_t w = write(j->fd, g_buf + from, (size_t)(len - from));
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return sys_fail(err, "cannot append to the task journal", j->path);
        from += (int)w;
        g_flushed = from;
    }
    /* In this order, so a handler in between finds nothing to write. */
    g_len = 0;
    g_flushed = 0;
    j->dirty = 1;
    return 0;
}

static int due(cb_journal *j, cb_err *err)
{
    double now = cb_now();
    if (g_len >= (int)sizeof g_buf || (g_len > g_flushed && now - j->last_write >= j->flush_s)) {
        if (write_buffered(j, err) < 0)
            return -1;
        j->last_write = now;
    } else if (now - j->last_write >= 10) {
        /* Idle: the file's age says the run is alive (to hosts that cannot ask its pid). */
        futimens(j->fd, NULL);
        j->last_write = now;
    }
    if (j->sync_s > 0 && j->dirty && now - j->last_sync >= j->sync_s) {
        if (j->data_fd >= 0 && fdatasync(j->data_fd) != 0)
            return sys_fail(err, "cannot sync the target's data before the task journal", j->path);
        if (fdatasync(j->fd) != 0)
            return sys_fail(err, "cannot sync the task journal", j->path);
        j->dirty = 0;
        j->last_sync = now;
    }
    return 0;
}

int cb_journal_add(cb_journal *j, int64_t row, double start, double done, cb_err *err)
{
    if (!j)
        return 0;
    if (g_len >= (int)sizeof g_buf && write_buffered(j, err) < 0)
        return -1;
    unsigned char *r = g_buf + g_len;
    memcpy(r, &row, 8);
    memcpy(r + 8, &start, 8);
    memcpy(r + 16, &done, 8);
    memcpy(r + 24, REC_MAGIC, 4);
    uint32_t c = rec_crc(r, j->run);
    memcpy(r + 28, &c, 4);
    g_len += REC_BYTES; /* now the handler may write it */
    return due(j, err);
}

int cb_journal_tick(cb_journal *j, cb_err *err)
{
    return j ? due(j, err) : 0;
}

int cb_journal_close(cb_journal *j, cb_err *err)
{
    if (!j)
        return 0;
    int rc = write_buffered(j, err);
    if (rc == 0 && j->sync_s > 0 && ((j->data_fd >= 0 && fdatasync(j->data_fd) != 0) || fdatasync(j->fd) != 0))
        rc = sys_fail(err, "cannot sync the task journal", j->path);
    g_fd = -1;
    if (j->data_fd >= 0)
        close(j->data_fd);
    if (close(j->fd) != 0 && rc == 0)
        rc = sys_fail(err, "cannot close the task journal", j->path);
    free(j);
    return rc;
}

/* ---- reading ---- */

typedef struct jfile {
    char *path;
    hdr h;
    unsigned char *data; /* the whole file */
    size_t size;
    double mtime;
} jfile;

typedef struct run_info {
    uint64_t run;
    double start;
    int live, foreign;
} run_info;

static int read_jfile(const char *path, jfile *jf)
{
    memset(jf, 0, sizeof *jf);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < HDR_BYTES ||
        !(jf->data = malloc((size_t)st.st_size))) {
        close(fd);
        return -1;
    }
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, jf->data + got, (size_t)st.st_size - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    jf->size = got;
    uint32_t c;
    memcpy(&c, jf->data + HDR_BYTES - 4, 4);
    memcpy(&jf->h, jf->data, sizeof jf->h);
    if (got < HDR_BYTES || memcmp(jf->h.magic, MAGIC, sizeof MAGIC) || c != (uint32_t)crc32(0, jf->data, HDR_BYTES - 4)) {
        free(jf->data);
        jf->data = NULL;
        return -1;
    }
    jf->h.host[sizeof jf->h.host - 1] = 0;
    jf->h.pod[sizeof jf->h.pod - 1] = 0;
    jf->h.boot_id[sizeof jf->h.boot_id - 1] = 0;
    jf->mtime = (double)st.st_mtim.tv_sec + st.st_mtim.tv_nsec * 1e-9;
    jf->path = strdup(path);
    return 0;
}

/* Is the process that writes this file still running? On its own host: its
 * pid exists and started when the journal's did (same boot). Elsewhere: the
 * file was touched in the last two minutes (writers touch it every 10 s). */
static int file_live(const jfile *jf, const char *host, const char *boot)
{
    if (strcmp(jf->h.host, host) != 0)
        return cb_now() - jf->mtime < 120;
    if (jf->h.boot_id[0] && boot[0] && strcmp(jf->h.boot_id, boot) != 0)
        return 0;
    if (kill((pid_t)jf->h.pid, 0) != 0 && errno != EPERM)
        return 0;
    int64_t now_start = proc_start(jf->h.pid);
    return now_start >= 0 && (!jf->h.proc_start || !now_start || now_start == jf->h.proc_start);
}

static int foreign(const hdr *h, const cb_table *tab)
{
    const cb_layout *l = &tab->layout;
    return h->shape[0] != l->shape[0] || h->shape[1] != l->shape[1] || h->chunk[0] != l->chunk[0] ||
           h->chunk[1] != l->chunk[1] || h->elem_size != l->elem_size || h->iter != (int32_t)l->iter ||
           h->ntasks != tab->ntasks;
}

static int by_start(const void *a, const void *b)
{
    const run_info *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The valid records of a file: whole, checksummed; a torn or garbled
 * stretch is skipped up to the next record that checks. */
static int64_t apply_file(const jfile *jf, cb_table *tab, int ord, int *stamp, cb_journal_found *f, int apply)
{
    int64_t n = 0;
    size_t p = HDR_BYTES;
    while (p + REC_BYTES <= jf->size) {
        const unsigned char *r = jf->data + p;
        uint32_t c;
        memcpy(&c, r + 28, 4);
        if (memcmp(r + 24, REC_MAGIC, 4) || c != rec_crc(r, jf->h.run)) {
            p++;
            continue;
        }
        p += REC_BYTES;
        int64_t row;
        double start, done;
        memcpy(&row, r, 8);
        memcpy(&start, r + 8, 8);
        memcpy(&done, r + 16, 8);
        if (row < 0 || row >= tab->ntasks)
            continue;
        n++;
        if (!apply)
            continue;
        cb_task *t = &tab->tasks[row];
        if (stamp[row] == ord && t->done > done)
            continue; /* a later pass of the same run wrote it again */
        if (stamp[row] == 0) {
            int64_t *g = cb_grow(f->rows, &f->caprows, f->nrows + 1, sizeof *f->rows, 1024);
            if (g) {
                f->rows = g;
                f->rows[f->nrows++] = row;
            }
        }
        stamp[row] = ord;
        t->start = start;
        t->done = done;
        t->status = CB_COMPLETE;
        snprintf(t->pod, sizeof t->pod, "%s", jf->h.pod);
    }
    return n;
}

int cb_journal_merge(const char *target, cb_table *tab, int with_live, int remove_foreign, cb_journal_found *f,
                     cb_err *err)
{
    memset(f, 0, sizeof *f);
    char dir[4096], host[64], boot[40];
    cb_journal_dir_of(target, dir, sizeof dir);
    DIR *d = opendir(dir);
    if (!d)
        return 0; /* no journal: nothing recorded outside the table */
    host_name(host, sizeof host);
    cb_boot_id(boot, sizeof boot);
    jfile *files = NULL;
    int64_t nf = 0, capf = 0, nruns = 0, capr = 0;
    run_info *runs = NULL;
    int rc = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len <= strlen(SUFFIX) || strcmp(e->d_name + len - strlen(SUFFIX), SUFFIX))
            continue;
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        jfile jf;
        if (read_jfile(path, &jf) < 0)
            continue; /* not (yet) a journal: its header is not whole */
        jfile *g = cb_grow(files, &capf, nf + 1, sizeof *files, 16);
        if (!g) {
            free(jf.data);
            free(jf.path);
            rc = cb_fail(err, CB_EIO, "out of memory reading %s", dir);
            break;
        }
        files = g;
        files[nf++] = jf;
        int64_t r = 0;
        while (r < nruns && runs[r].run != jf.h.run)
            r++;
        if (r == nruns) {
            run_info *gr = cb_grow(runs, &capr, nruns + 1, sizeof *runs, 16);
            if (!gr) {
                rc = cb_fail(err, CB_EIO, "out of memory reading %s", dir);
                break;
            }
            runs = gr;
            runs[nruns++] = (run_info){jf.h.run, jf.h.start_time, 0, foreign(&jf.h, tab)};
        }
        if (jf.h.start_time < runs[r].start)
            runs[r].start = jf.h.start_time;
        /* One live rank keeps its whole run unmerged. */
        if (file_live(&jf, host, boot)) {
            if (!runs[r].live) {
                snprintf(f->live_host, sizeof f->live_host, "%s", jf.h.host);
                f->live_pid = (long long)jf.h.pid;
            }
            runs[r].live = 1;
        }
    }
    closedir(d);
    int *stamp = rc == 0 ? calloc(tab->ntasks ? (size_t)tab->ntasks : 1, sizeof *stamp) : NULL;
    if (rc == 0 && !stamp)
        rc = cb_fail(err, CB_EIO, "out of memory merging %s", dir);
    if (rc == 0)
        qsort(runs, (size_t)nruns, sizeof *runs, by_start);
    int64_t capfiles = 0;
    for (int64_t r = 0; rc == 0 && r < nruns; r++) {
        int apply = !runs[r].foreign && (with_live || !runs[r].live);
        int ord = (int)r + 1;
        uint64_t seed = 0;
        int64_t nrec = 0;
        for (int64_t k = 0; k < nf; k++) {
            if (files[k].h.run != runs[r].run)
                continue;
            seed = files[k].h.seed;
            if (runs[r].foreign) {
                fprintf(stderr, "chunkbench: warning: %s is the journal of another file (dset %lldx%lld, chunk %lldx%lld, %lld tasks)%s\n",
                        files[k].path, (long long)files[k].h.shape[0], (long long)files[k].h.shape[1],
                        (long long)files[k].h.chunk[0], (long long)files[k].h.chunk[1], (long long)files[k].h.ntasks,
                        remove_foreign ? ": removed" : ": ignored");
                if (remove_foreign)
                    unlink(files[k].path);
                continue;
            }
            nrec += apply_file(&files[k], tab, ord, stamp, f, apply);
            if (apply && !runs[r].live) {
                char **g = cb_grow(f->files, &capfiles, f->nfiles + 1, sizeof *f->files, 16);
                if (!g) {
                    rc = cb_fail(err, CB_EIO, "out of memory");
                    break;
                }
                f->files = g;
                f->files[f->nfiles++] = files[k].path;
                files[k].path = NULL;
            }
        }
        if (runs[r].foreign)
            continue;
        if (runs[r].live) {
            f->live_recs += nrec;
            f->live_runs++;
        } else {
            f->ended_recs += nrec;
            f->ended_runs++;
        }
        if (!apply || !nrec)
            continue;
        /* Another seed: the run rewrote the file (--rewrite --seed); what it
         * did not reach holds the old values. */
        if (tab->meta.seed >= 0 && (uint64_t)tab->meta.seed != seed) {
            for (int64_t i = 0; i < tab->ntasks; i++) {
                if (tab->tasks[i].status == CB_COMPLETE && stamp[i] != ord) {
                    tab->tasks[i].status = CB_PENDING;
                    if (!stamp[i]) {
                        int64_t *g = cb_grow(f->rows, &f->caprows, f->nrows + 1, sizeof *f->rows, 1024);
                        if (g) {
                            f->rows = g;
                            f->rows[f->nrows++] = i;
                        }
                    }
                    stamp[i] = -1;
                }
            }
        }
        tab->meta.seed = (int64_t)seed;
    }
    free(stamp);
    for (int64_t k = 0; k < nf; k++) {
        free(files[k].data);
        free(files[k].path);
    }
    free(files);
    free(runs);
    if (rc < 0)
        cb_journal_found_free(f);
    return rc;
}

static int remove_dir_files(const char *target, const char *prefix, cb_err *err)
{
    char dir[4096];
    cb_journal_dir_of(target, dir, sizeof dir);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int rc = 0;
    size_t pl = strlen(prefix);
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (strncmp(e->d_name, prefix, pl) || len <= strlen(SUFFIX) || strcmp(e->d_name + len - strlen(SUFFIX), SUFFIX))
            continue;
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (unlink(path) != 0 && errno != ENOENT && rc == 0)
            rc = cb_fail(err, CB_EIO, "cannot remove the task journal %s: %s", path, strerror(errno));
    }
    closedir(d);
    rmdir(dir); /* fails while other files are there: that is fine */
    return rc;
}

int cb_journal_remove(const char *target, const cb_journal_found *f, uint64_t run, cb_err *err)
{
    int rc = 0;
    for (int k = 0; f && k < f->nfiles; k++)
        if (unlink(f->files[k]) != 0 && errno != ENOENT && rc == 0)
            rc = cb_fail(err, CB_EIO, "cannot remove the merged task journal %s: %s", f->files[k], strerror(errno));
    char prefix[32] = "";
    if (run)
        snprintf(prefix, sizeof prefix, "%016llx.", (unsigned long long)run);
    else
        snprintf(prefix, sizeof prefix, "\x01"); /* matches nothing: only the directory if empty */
    if (remove_dir_files(target, prefix, err) < 0)
        rc = -1;
    return rc;
}

void cb_journal_found_free(cb_journal_found *f)
{
    for (int k = 0; k < f->nfiles; k++)
        free(f->files[k]);
    free(f->files);
    free(f->rows);
    memset(f, 0, sizeof *f);
}

int cb_journal_discard(const char *target, cb_err *err)
{
    return remove_dir_files(target, "", err);
}
