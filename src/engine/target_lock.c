#define _GNU_SOURCE /* statx: the target's birth time, which tells a file made anew on a reused inode */
#include "engine/target_lock.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backends/backend.h"
#include "core/mpi_err.h"
#include "core/procstat.h"

#define LOCK_SUFFIX ".chunkbench-lock"
#define MARK_INFIX ".read."

/* Who holds a lock or a reader's mark: what its file says. */
typedef struct holder {
    char command[64], host[256], user[64], since[32], boot_id[64];
    long long pid, uid;
    unsigned long long proc_start; /* /proc/PID/stat starttime: a reused pid has another */
} holder;

typedef enum {
    H_VANISHED, /* no such file (any more) */
    H_OURS,     /* names this very process */
    H_ALIVE,    /* its process runs on this host */
    H_GONE,     /* on this host, and its process is not there: stale */
    H_ELSEWHERE, /* on another host: cannot be checked from here */
    H_DAMAGED,  /* names no holder (empty, cut short, not ours, unreadable) */
} verdict;

/* ---- small file helpers ---- */

/* The whole (small) file into buf. 1: read, 0: no such file, -1: errno. */
static int read_text(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    size_t n = 0;
    ssize_t r = 0;
    while (n + 1 < cap && (r = read(fd, buf + n, cap - 1 - n)) > 0)
        n += (size_t)r;
    int e = errno;
    close(fd);
    buf[n] = 0;
    if (r < 0) {
        errno = e;
        return -1;
    }
    return 1;
}

static int write_all(int fd, const char *text)
{
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        off += (size_t)w;
    }
    return 0;
}

/* Remove path only if it still holds `raw`: someone who took it over since
 * we looked keeps theirs. */
static void remove_if_same(const char *path, const char *raw)
{
    char now[2048];
    if (read_text(path, now, sizeof now) == 1 && !strcmp(now, raw))
        unlink(path);
}

/* ---- who we are, who they are ---- */

static void fill_me(const char *command, holder *me)
{
    memset(me, 0, sizeof *me);
    snprintf(me->command, sizeof me->command, "%s", command);
    if (gethostname(me->host, sizeof me->host - 1) != 0 || !me->host[0])
        snprintf(me->host, sizeof me->host, "unknown-host");
    me->pid = (long long)getpid();
    me->uid = (long long)getuid();
    struct passwd pw, *found = NULL;
    char buf[4096];
    if (getpwuid_r(getuid(), &pw, buf, sizeof buf, &found) == 0 && found)
        snprintf(me->user, sizeof me->user, "%s", pw.pw_name);
    else
        snprintf(me->user, sizeof me->user, "uid %lld", me->uid);
    time_t t = time(NULL);
    struct tm tm;
    if (gmtime_r(&t, &tm))
        strftime(me->since, sizeof me->since, "%Y-%m-%dT%H:%M:%SZ", &tm);
    cb_procstat ps;
    me->proc_start = cb_procstat_of(me->pid, &ps) == 0 ? ps.start : 0;
    /* A host that restarted since a lock was taken runs none of its holders. */
    cb_boot_id(me->boot_id, sizeof me->boot_id);
}

static int format_record(const holder *h, const char *what, char *buf, size_t cap)
{
    int n = snprintf(buf, cap,
                     "# chunkbench %s (README: One writer per target)\n"
                     "command=%s\nhost=%s\npid=%lld\nuid=%lld\nuser=%s\nsince=%s\nproc_start=%llu\nboot_id=%s\n",
                     what, h->command, h->host, h->pid, h->uid, h->user, h->since, h->proc_start, h->boot_id);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* key=value lines; 0 when they name a holder (a host and a pid). */
static int parse_record(const char *text, holder *h)
{
    memset(h, 0, sizeof *h);
    h->pid = -1;
    for (const char *line = text; *line;) {
        size_t len = strcspn(line, "\n");
        const char *eq = memchr(line, '=', len);
        if (eq && line[0] != '#') {
            size_t klen = (size_t)(eq - line);
            int vlen = (int)(len - klen - 1);
            const char *v = eq + 1;
            char num[32];
            snprintf(num, sizeof num, "%.*s", vlen, v);
#define KEY(k) (klen == sizeof k - 1 && !strncmp(line, k, klen))
            if (KEY("command"))
                snprintf(h->command, sizeof h->command, "%.*s", vlen, v);
            else if (KEY("host"))
                snprintf(h->host, sizeof h->host, "%.*s", vlen, v);
            else if (KEY("user"))
                snprintf(h->user, sizeof h->user, "%.*s", vlen, v);
            else if (KEY("since"))
                snprintf(h->since, sizeof h->since, "%.*s", vlen, v);
            else if (KEY("boot_id"))
                snprintf(h->boot_id, sizeof h->boot_id, "%.*s", vlen, v);
            else if (KEY("pid"))
                h->pid = strtoll(num, NULL, 10);
            else if (KEY("uid"))
                h->uid = strtoll(num, NULL, 10);
            else if (KEY("proc_start"))
                h->proc_start = strtoull(num, NULL, 10);
#undef KEY
        }
        line += len + (line[len] == '\n');
    }
    return h->host[0] && h->pid > 0 && h->pid <= INT_MAX ? 0 : -1;
}

/* What the lock (or mark) at path says, and whether its holder lives.
 * why: for H_GONE, the reason; for H_DAMAGED, what is wrong. */
static verdict inspect(const char *path, const holder *me, holder *h, char *raw, size_t cap, char *why, size_t wcap)
{
    why[0] = 0;
    for (int tries = 0;; tries++) {
        int rc = read_text(path, raw, cap);
        if (rc == 0)
            return H_VANISHED;
        if (rc < 0) {
            snprintf(why, wcap, "cannot read it: %s", strerror(errno));
            return H_DAMAGED;
        }
        if (parse_record(raw, h) == 0)
            break;
        /* Made a moment ago and not yet written by its taker: give it 1 s. */
        if (tries == 20) {
            snprintf(why, wcap, "%s", raw[0] ? "it names no host and pid" : "it is empty");
            return H_DAMAGED;
        }
        nanosleep(&(struct timespec){.tv_nsec = 50 * 1000 * 1000}, NULL);
    }
    if (strcmp(h->host, me->host))
        return H_ELSEWHERE;
    if (h->boot_id[0] && me->boot_id[0] && strcmp(h->boot_id, me->boot_id)) {
        snprintf(why, wcap, "%s has restarted since", h->host);
        return H_GONE;
    }
    if (h->pid == me->pid && (!h->proc_start || !me->proc_start || h->proc_start == me->proc_start))
        return H_OURS;
    if (kill((pid_t)h->pid, 0) < 0 && errno == ESRCH) {
        snprintf(why, wcap, "pid %lld has ended", h->pid);
        return H_GONE;
    }
    cb_procstat ps;
    int known = cb_procstat_of(h->pid, &ps) == 0;
    char state = known ? ps.state : 0;
    unsigned long long start = known ? ps.start : 0;
    if (h->proc_start && start && start != h->proc_start) {
        snprintf(why, wcap, "pid %lld is now another process", h->pid);
        return H_GONE;
    }
    if (state == 'Z' || state == 'X') {
        snprintf(why, wcap, "pid %lld has ended (a zombie)", h->pid);
        return H_GONE;
    }
    return H_ALIVE; /* kill() may say EPERM: another user's live process */
}

static void describe(const holder *h, char *buf, size_t cap)
{
    snprintf(buf, cap, "chunkbench %s (pid %lld on %s, user %s, since %s)", h->command[0] ? h->command : "?", h->pid,
             h->host, h->user[0] ? h->user : "?", h->since[0] ? h->since : "?");
}

static void note(const cb_lock_req *rq, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(const cb_lock_req *rq, const char *fmt, ...)
{
    if (rq->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("chunkbench: note: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* ---- where ---- */

/* The lock file's path beside the file the target resolves to (a symlink or
 * another spelling of its directory shares one lock), the directory, and the
 * file system's name limit there. */
static int lock_path_of(const char *target, cb_target_lock *lk, char *dir, size_t dcap, size_t *base_len,
                        long *name_max, cb_err *err)
{
    char res[PATH_MAX];
    const char *slash = strrchr(target, '/');
    if (!realpath(target, res)) {
        char d[PATH_MAX], rd[PATH_MAX];
        snprintf(d, sizeof d, "%.*s", slash ? (slash == target ? 1 : (int)(slash - target)) : 1, slash ? target : ".");
        const char *base = slash ? slash + 1 : target;
        if (!realpath(d, rd) || snprintf(res, sizeof res, "%s/%s", strcmp(rd, "/") ? rd : "", base) >= (int)sizeof res)
            snprintf(res, sizeof res, "%s", target);
    }
    if (strlen(res) + sizeof LOCK_SUFFIX > sizeof lk->path)
        return cb_fail(err, CB_EUSAGE, "the path of %s is too long to put its lock file %s beside it; use a shorter path",
                       target, LOCK_SUFFIX);
    snprintf(lk->path, sizeof lk->path, "%s%s", res, LOCK_SUFFIX);
    const char *s = strrchr(res, '/');
    snprintf(dir, dcap, "%.*s", s ? (s == res ? 1 : (int)(s - res)) : 1, s ? res : ".");
    *base_len = strlen(s ? s + 1 : res);
    *name_max = pathconf(dir, _PC_NAME_MAX);
    if (*name_max <= 0)
        *name_max = NAME_MAX;
    if (*base_len + strlen(LOCK_SUFFIX) > (size_t)*name_max)
        return cb_fail(err, CB_EUSAGE,
                       "the name of %s (%zu characters) leaves no room for its lock file (the name + \"%s\" is over "
                       "this file system's limit of %ld characters): use a name of at most %ld characters",
                       target, *base_len, LOCK_SUFFIX, *name_max, *name_max - (long)strlen(LOCK_SUFFIX));
    return 0;
}

static int identity_of(const char *path, unsigned long long *dev, unsigned long long *ino, long long *bs, long long *bns)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return -1;
    *dev = (unsigned long long)st.st_dev;
    *ino = (unsigned long long)st.st_ino;
    *bs = *bns = 0;
#ifdef STATX_BTIME
    struct statx sx;
    if (statx(AT_FDCWD, path, 0, STATX_BTIME, &sx) == 0 && (sx.stx_mask & STATX_BTIME)) {
        *bs = (long long)sx.stx_btime.tv_sec;
        *bns = (long long)sx.stx_btime.tv_nsec;
    }
#endif
    return 0;
}

/* ---- a writer ---- */

/* The readers' marks beside the target: a live one (or one on another host,
 * without --break-lock) refuses the writer, who then gives the lock back. */
static int check_readers(const cb_lock_req *rq, const holder *me, const char *dir, cb_target_lock *lk, cb_err *err)
{
    const char *base = strrchr(lk->path, '/');
    base = base ? base + 1 : lk->path;
    char prefix[sizeof lk->path + sizeof MARK_INFIX];
    snprintf(prefix, sizeof prefix, "%s%s", base, MARK_INFIX);
    size_t plen = strlen(prefix);
    DIR *d = opendir(dir);
    if (!d) {
        cb_fail(err, CB_EIO, "cannot list %s to look for chunkbench readers of %s: %s", dir, rq->target, strerror(errno));
        cb_target_lock_release(lk);
        return -1;
    }
    int rc = 0;
    /* All of them: stale marks are cleared even when a live one refuses. */
    for (struct dirent *e; (e = readdir(d));) {
        if (strncmp(e->d_name, prefix, plen))
            continue;
        char path[PATH_MAX + 256], raw[2048], why[320], who[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        holder h;
        verdict v = inspect(path, me, &h, raw, sizeof raw, why, sizeof why);
        describe(&h, who, sizeof who);
        switch (v) {
        case H_VANISHED:
        case H_OURS: break;
        case H_GONE:
            note(rq, "removed a stale reader mark of %s: %s is gone (%s)", rq->target, who, why);
            remove_if_same(path, raw);
            break;
        case H_ALIVE:
            rc = cb_fail(err, CB_ELOCKED, /* the first refusal is the one told */
                         "%s is being read by %s: a write now would change what it measures; wait until it ends, or "
                         "stop it (its mark: %s)",
                         rq->target, who, path);
            break;
        case H_ELSEWHERE:
        case H_DAMAGED:
            if (rq->break_lock) {
                note(rq, "removed the reader mark %s (--break-lock)", path);
                remove_if_same(path, raw);
            } else if (v == H_ELSEWHERE) {
                rc = cb_fail(err, CB_ELOCKED,
                             "%s is being read by %s, which cannot be checked from %s; if that read has ended, add "
                             "--break-lock (it removes the mark %s)",
                             rq->target, who, me->host, path);
            } else {
                rc = cb_fail(err, CB_ELOCKED,
                             "%s has a reader mark %s that names no reader (%s); if no chunkbench reads it, add "
                             "--break-lock (it removes the mark)",
                             rq->target, path, why);
            }
            break;
        }
    }
    closedir(d);
    if (rc < 0)
        cb_target_lock_release(lk);
    return rc;
}

static int take_write(const cb_lock_req *rq, const holder *me, const char *dir, cb_target_lock *lk, cb_err *err)
{
    if (format_record(me, "lock: one writer at a time on this target", lk->record, sizeof lk->record) < 0)
        return cb_fail(err, CB_EIO, "the lock record of %s does not fit", rq->target);
    for (int attempt = 0; attempt < 8; attempt++) {
        int fd = open(lk->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0) {
            /* Readable by every user whatever the umask: others must see who holds it (as ps shows). */
            int bad = fchmod(fd, 0644) < 0 || write_all(fd, lk->record) < 0;
            int e = errno;
            if (close(fd) < 0 && !bad)
                bad = 1, e = errno;
            if (bad) {
                unlink(lk->path);
                return cb_fail(err, CB_EIO, "cannot write the lock file %s: %s", lk->path, strerror(e));
            }
            lk->held = 1;
            return check_readers(rq, me, dir, lk, err);
        }
        if (errno == ENOENT || errno == ENOTDIR)
            return cb_fail(err, CB_EUSAGE, "directory %s does not exist; create it first or choose another path", dir);
        if (errno == EACCES || errno == EPERM || errno == EROFS)
            return cb_fail(err, CB_EUSAGE,
                           "directory %s is not writable (%s): chunkbench %s keeps its lock file there while it "
                           "writes; choose another path",
                           dir, strerror(errno), rq->command);
        if (errno != EEXIST)
            return cb_fail(err, CB_EIO, "cannot make the lock file %s (%s)", lk->path, strerror(errno));
        holder h;
        char raw[2048], why[320], who[512];
        verdict v = inspect(lk->path, me, &h, raw, sizeof raw, why, sizeof why);
        describe(&h, who, sizeof who);
        switch (v) {
        case H_VANISHED: continue;
        case H_OURS: /* run: create took it, write goes on under it */
            snprintf(lk->record, sizeof lk->record, "%s", raw);
            lk->held = 1;
            return check_readers(rq, me, dir, lk, err);
        case H_GONE:
            note(rq, "took over the stale lock of %s: %s is gone (%s)", rq->target, who, why);
            remove_if_same(lk->path, raw);
            continue;
        case H_ALIVE:
            if (rq->break_lock)
                return cb_fail(err, CB_ELOCKED,
                               "%s is locked by %s, which is running on this host: --break-lock takes only a lock "
                               "whose holder is gone or on another host; wait until it ends, or stop it (kill %lld)",
                               rq->target, who, h.pid);
            return cb_fail(err, CB_ELOCKED,
                           "%s is locked by %s: one writer at a time; wait until it ends, or stop it (lock file %s)",
                           rq->target, who, lk->path);
        case H_ELSEWHERE:
            if (!rq->break_lock)
                return cb_fail(err, CB_ELOCKED,
                               "%s is locked by %s, which cannot be checked from %s; if that run has ended, add "
                               "--break-lock to take the lock (lock file %s)",
                               rq->target, who, me->host, lk->path);
            note(rq, "broke the lock of %s held by %s (--break-lock)", rq->target, who);
            remove_if_same(lk->path, raw);
            continue;
        case H_DAMAGED:
            if (!rq->break_lock)
                return cb_fail(err, CB_ELOCKED,
                               "%s is locked, but its lock file %s names no holder (%s); if no chunkbench runs on "
                               "it, add --break-lock",
                               rq->target, lk->path, why);
            note(rq, "broke the lock of %s, which named no holder (--break-lock)", rq->target);
            remove_if_same(lk->path, raw);
            continue;
        }
    }
    return cb_fail(err, CB_ELOCKED, "could not take the lock %s: it kept being taken by others; try again", lk->path);
}

/* ---- a reader ---- */

static int take_read(const cb_lock_req *rq, const holder *me, size_t base_len, long name_max, cb_target_lock *lk,
                     cb_err *err)
{
    char lock[sizeof lk->path];
    snprintf(lock, sizeof lock, "%s", lk->path);
    char tail[400];
    snprintf(tail, sizeof tail, "%s%s%s.%lld", LOCK_SUFFIX, MARK_INFIX, me->host, me->pid);
    if (base_len + strlen(tail) > (size_t)name_max)
        return cb_fail(err, CB_EUSAGE,
                       "the name of %s (%zu characters) leaves no room for the mark a reader leaves beside it (the "
                       "name + \"%s\", over this file system's limit of %ld characters): use a shorter name, or read "
                       "without the mark with --ignore-lock",
                       rq->target, base_len, tail, name_max);
    if (strlen(lock) + strlen(tail) - strlen(LOCK_SUFFIX) >= sizeof lk->path)
        return cb_fail(err, CB_EUSAGE, "the path of %s is too long for the mark a reader leaves beside it; read it with --ignore-lock", rq->target);
    /* It fits: checked just above. */
    int n = snprintf(lk->path, sizeof lk->path, "%s", lock);
    snprintf(lk->path + n, sizeof lk->path - (size_t)n, "%s%s.%lld", MARK_INFIX, me->host, me->pid);
    if (format_record(me, "reader mark: a writer waits until this read ends", lk->record, sizeof lk->record) < 0)
        return cb_fail(err, CB_EIO, "the reader record of %s does not fit", rq->target);

    int fd = open(lk->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 && errno == EEXIST) { /* left by an earlier process with our pid, which has ended */
        unlink(lk->path);
        fd = open(lk->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    }
    if (fd >= 0) {
        int bad = fchmod(fd, 0644) < 0 || write_all(fd, lk->record) < 0;
        if (close(fd) < 0 || bad) {
            unlink(lk->path);
            return cb_fail(err, CB_EIO, "cannot write the reader mark %s: %s", lk->path, strerror(errno));
        }
        lk->held = 1;
    } else if (errno == EACCES || errno == EPERM || errno == EROFS) {
        /* Data in a directory this user cannot write is still readable. */
        note(rq, "cannot leave a reader mark beside %s (%s): a writer that starts now will not know of this read",
             rq->target, strerror(errno));
    } else {
        return cb_fail(err, CB_EIO, "cannot make the reader mark %s: %s", lk->path, strerror(errno));
    }

    /* A writer that took the lock before our mark was there does not know of
     * us: we back off. (Each side makes its own file first, then looks for the
     * other's: at least one of two at the same time sees the other.) */
    for (int attempt = 0; attempt < 8; attempt++) {
        holder h;
        char raw[2048], why[320], who[512];
        verdict v = inspect(lock, me, &h, raw, sizeof raw, why, sizeof why);
        describe(&h, who, sizeof who);
        int rc = 0;
        switch (v) {
        case H_VANISHED:
        case H_OURS: return 0;
        case H_GONE:
            note(rq, "removed the stale lock of %s: %s is gone (%s)", rq->target, who, why);
            remove_if_same(lock, raw);
            continue;
        case H_ALIVE:
            rc = cb_fail(err, CB_ELOCKED,
                         "%s is being written by %s: a read now would measure a file in flux; wait until it ends, or "
                         "read anyway with --ignore-lock",
                         rq->target, who);
            break;
        case H_ELSEWHERE:
            rc = cb_fail(err, CB_ELOCKED,
                         "%s is locked by %s, which cannot be checked from %s; read anyway with --ignore-lock (if that "
                         "run has ended, remove %s)",
                         rq->target, who, me->host, lock);
            break;
        case H_DAMAGED:
            rc = cb_fail(err, CB_ELOCKED,
                         "%s is locked, but its lock file %s names no holder (%s); read anyway with --ignore-lock, or "
                         "remove it if no chunkbench runs on it",
                         rq->target, lock, why);
            break;
        }
        cb_target_lock_release(lk);
        return rc;
    }
    cb_target_lock_release(lk);
    return cb_fail(err, CB_ELOCKED, "could not check the lock %s: it kept changing; try again", lock);
}

/* ---- the interface ---- */

static int take_here(const cb_lock_req *rq, cb_target_lock *lk, cb_err *err)
{
    char dir[PATH_MAX];
    size_t base_len = 0;
    long name_max = NAME_MAX;
    if (lock_path_of(rq->target, lk, dir, sizeof dir, &base_len, &name_max, err) < 0)
        return -1;
    holder me;
    fill_me(rq->command, &me);
    if (rq->kind == CB_LOCK_READ)
        return take_read(rq, &me, base_len, name_max, lk, err);
    if (take_write(rq, &me, dir, lk, err) < 0)
        return -1;
    lk->have_id = identity_of(rq->target, &lk->dev, &lk->ino, &lk->btime_s, &lk->btime_ns) == 0;
    return 0;
}

int cb_target_lock_take(const cb_lock_req *req, MPI_Comm comm, cb_target_lock *lk, cb_err *err)
{
    memset(lk, 0, sizeof *lk);
    /* The lock goes beside the file (mpiio:PATH: beside PATH). */
    cb_lock_req file_rq = *req;
    const cb_lock_req *rq = &file_rq;
    file_rq.target = cb_target_file(req->target);
    lk->target = rq->target ? rq->target : req->target;
    /* The server's claims coordinate HSDS writers; a URL is read only. */
    if (!rq->target || cb_target_kind_of(req->target) == CB_TARGET_URL || (rq->kind == CB_LOCK_READ && rq->ignore_lock))
        return 0;
    int rank;
    if (cb_mpi(err, MPI_Comm_rank(comm, &rank), "MPI_Comm_rank") < 0)
        return -1;
    cb_err local = {0};
    if (rank == 0)
        take_here(rq, lk, &local);
    if (cb_bcast_verdict(comm, &local) < 0) {
        cb_target_lock_release(lk);
        *err = local;
        return -1;
    }
    return 0;
}

int cb_target_lock_same_file(const cb_target_lock *lk, cb_err *err)
{
    if (!lk->held || !lk->have_id)
        return 0;
    unsigned long long dev, ino;
    long long bs, bns;
    if (identity_of(lk->target, &dev, &ino, &bs, &bns) < 0)
        return cb_fail(err, CB_ELOCKED,
                       "%s was removed while this write ran (%s): the records of this run are not saved",
                       lk->target, strerror(errno));
    if (dev != lk->dev || ino != lk->ino || bs != lk->btime_s || bns != lk->btime_ns)
        return cb_fail(err, CB_ELOCKED,
                       "%s was replaced while this write ran (another file is there now, made anew or moved over "
                       "it): this run's records belong to the file it opened and are not saved into the new one; "
                       "chunkbench write %s writes the new file",
                       lk->target, lk->target);
    return 0;
}

void cb_target_lock_release(cb_target_lock *lk)
{
    if (!lk->held)
        return;
    lk->held = 0;
    remove_if_same(lk->path, lk->record);
}
