#include "core/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *cb_file_kind(mode_t mode)
{
    if (S_ISREG(mode)) return "a regular file";
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISLNK(mode)) return "a symbolic link";
    return "not a regular file";
}

static int is_stdout(const char *path) { return !strcmp(path, "-"); }

/* path -> its directory ("." for a bare name) and its last component. */
static int split(const char *path, char **dir, const char **base)
{
    const char *slash = strrchr(path, '/');
    size_t n = !slash ? 1 : slash == path ? 1 : (size_t)(slash - path);
    *dir = malloc(n + 1);
    if (!*dir)
        return -1;
    if (!slash)
        strcpy(*dir, ".");
    else
        memcpy(*dir, slash == path ? "/" : path, n), (*dir)[n] = 0;
    *base = slash ? slash + 1 : path;
    return 0;
}

/* A new file beside the destination: "DIR/.BASE.chunkbench-XXXXXX", made
 * with O_EXCL (never an existing file) and mode 0666 less the umask, as a
 * plain fopen would. The name stays under NAME_MAX for any BASE. */
static int make_temp(const char *dir, const char *base, char **name)
{
    static unsigned counter;
    size_t cap = strlen(dir) + strlen(base) + 40;
    if (!(*name = malloc(cap)))
        return (errno = ENOMEM), -1;
    int blen = (int)strlen(base);
    if (blen > 200)
        blen = 200;
    for (int tries = 0; tries < 100; tries++) {
        uint64_t x = (uint64_t)getpid() * 0x9E3779B97F4A7C15ull ^ (uint64_t)time(NULL) * 0xBF58476D1CE4E5B9ull ^
                     (uint64_t)(++counter) * 0x94D049BB133111EBull ^ (uint64_t)(uintptr_t)name;
        char tag[7];
        for (int i = 0; i < 6; i++, x /= 36)
            tag[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[x % 36];
        tag[6] = 0;
        snprintf(*name, cap, "%s/.%.*s.chunkbench-%s", dir, blen, base, tag);
        int fd = open(*name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST) {
            if (fd < 0) {
                int e = errno;
                free(*name);
                *name = NULL;
                errno = e;
            }
            return fd;
        }
    }
    free(*name);
    *name = NULL;
    return (errno = EEXIST), -1;
}

/* The destination as it is now: absent, or a regular file we may replace. */
static int check_dest(const char *what, const char *path, struct stat *st, int *exists, cb_err *err)
{
    *exists = 0;
    if (!*path)
        return cb_fail(err, CB_EUSAGE, "%s needs a file name (or - for standard output)", what);
    if (lstat(path, st) != 0) {
        if (errno == ENOENT)
            return 0;
        return cb_fail(err, CB_EUSAGE, "%s %s: %s; choose another path", what, path, strerror(errno));
    }
    *exists = 1;
    if (S_ISLNK(st->st_mode)) {
        char *real = realpath(path, NULL);
        cb_fail(err, CB_EUSAGE,
                "%s %s is a symbolic link: outputs are renamed into place, which would replace the link, not "
                "its file; give the file's own path%s%s%s, or remove the link",
                what, path, real ? " (" : "", real ? real : "", real ? ")" : "");
        free(real);
        return -1;
    }
    if (!S_ISREG(st->st_mode))
        return cb_fail(err, CB_EUSAGE, "%s %s is %s, not a regular file; give a file path (or - for standard output)",
                       what, path, cb_file_kind(st->st_mode));
    if (access(path, W_OK) != 0)
        return cb_fail(err, CB_EUSAGE, "%s %s is not writable (%s); choose another path", what, path, strerror(errno));
    return 0;
}

/* Checks the path and its directory; with fd != NULL leaves a new temporary
 * file open in *fd (named *tmp), else tries one and removes it again. */
static int prepare(const char *what, const char *path, int *fd, char **tmp, cb_err *err)
{
    struct stat st;
    int exists;
    if (check_dest(what, path, &st, &exists, err) < 0)
        return -1;
    char *dir;
    const char *base;
    if (split(path, &dir, &base) < 0)
        return cb_fail(err, CB_EIO, "out of memory");
    int rc = 0;
    struct stat ds;
    if (!*base) {
        rc = cb_fail(err, CB_EUSAGE, "%s %s names a directory; give a file name", what, path);
    } else if (stat(dir, &ds) != 0) {
        rc = errno == ENOENT
                 ? cb_fail(err, CB_EUSAGE, "%s %s: directory %s does not exist; create it first or choose another path",
                           what, path, dir)
                 : cb_fail(err, CB_EUSAGE, "%s %s: cannot use directory %s (%s)", what, path, dir, strerror(errno));
    } else if (!S_ISDIR(ds.st_mode)) {
        rc = cb_fail(err, CB_EUSAGE, "%s %s: %s is not a directory", what, path, dir);
    } else {
        char *name = NULL;
        int f = make_temp(dir, base, &name);
        if (f < 0) {
            rc = cb_fail(err, CB_EUSAGE, "%s %s: cannot create a file in directory %s (%s); choose another path", what,
                         path, dir, strerror(errno));
        } else if (fd) {
            /* A replaced file keeps its permissions. */
            if (exists)
                fchmod(f, st.st_mode & 07777);
            *fd = f;
            *tmp = name;
        } else {
            close(f);
            unlink(name);
            free(name);
        }
    }
    free(dir);
    return rc;
}

int cb_outfile_check(const char *what, const char *path, cb_err *err)
{
    return is_stdout(path) ? 0 : prepare(what, path, NULL, NULL, err);
}

int cb_outfile_open(cb_outfile *o, const char *what, const char *path, cb_err *err)
{
    memset(o, 0, sizeof *o);
    o->path = path;
    if (is_stdout(path)) {
        o->f = stdout;
        return 0;
    }
    int fd;
    if (prepare(what, path, &fd, &o->tmp, err) < 0)
        return -1;
    if (!(o->f = fdopen(fd, "w"))) {
        int e = errno;
        close(fd);
        cb_outfile_abort(o);
        return cb_fail(err, CB_EIO, "cannot write %s: %s", path, strerror(e));
    }
    return 0;
}

int cb_outfile_commit(cb_outfile *o, cb_err *err)
{
    if (!o->tmp) {
        o->f = NULL;
        return cb_stdout_check(err);
    }
    errno = 0;
    int bad = fflush(o->f) != 0;
    int e = errno;
    bad |= ferror(o->f) != 0;
    if (fclose(o->f) != 0 && !bad)
        bad = 1, e = errno;
    o->f = NULL;
    int rc = 0;
    struct stat st;
    if (bad)
        rc = cb_fail(err, CB_EIO, "cannot write %s: %s", o->path, e ? strerror(e) : "write error");
    /* Whatever came to stand there meanwhile is not replaced unless regular. */
    else if (lstat(o->path, &st) == 0 && !S_ISREG(st.st_mode))
        rc = cb_fail(err, CB_EUSAGE, "%s became %s during the run; not replaced", o->path, cb_file_kind(st.st_mode));
    else if (rename(o->tmp, o->path) != 0)
        rc = cb_fail(err, CB_EIO, "cannot write %s: renaming %s onto it: %s", o->path, o->tmp, strerror(errno));
    if (rc < 0)
        unlink(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
    return rc;
}

void cb_outfile_abort(cb_outfile *o)
{
    if (o->tmp) {
        if (o->f)
            fclose(o->f);
        unlink(o->tmp);
        free(o->tmp);
    } else if (o->f) {
        fflush(o->f);
    }
    o->f = NULL;
    o->tmp = NULL;
}

int cb_stdout_check(cb_err *err)
{
    static int first_errno; /* of the first failed flush */
    errno = 0;
    if (fflush(stdout) != 0 && !first_errno)
        first_errno = errno ? errno : EIO;
    if (!ferror(stdout) && !first_errno)
        return 0;
    return first_errno ? cb_fail(err, CB_EIO, "cannot write to standard output: %s", strerror(first_errno))
                       : cb_fail(err, CB_EIO, "cannot write to standard output (a write failed)");
}
