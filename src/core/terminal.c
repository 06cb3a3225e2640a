/* How output reaches the user, told from /proc alone:
 * - OpenMPI's mpirun gives each rank a pty of its own even when mpirun
 *   itself writes into a file (a Slurm output file): a pty is only the
 *   user's terminal when the parent writes to a terminal too.
 * - MPICH's Hydra (and srun's slurmstepd) give ranks pipes and forward what
 *   comes out of them. A forwarder holds the other end of its child's pipe,
 *   so follow the pipe up through the processes that hold it; a shell that
 *   made a pipe into `tee` or `less` does not hold it, and the chain stops
 *   there (not a terminal).
 * Linux only; elsewhere (no /proc) the answer is isatty(). */
#include "core/terminal.h"

#include "core/procstat.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fd_link(long pid, int fd, char *out, size_t cap)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/fd/%d", pid, fd);
    ssize_t n = readlink(path, out, cap - 1);
    if (n <= 0)
        return -1;
    out[n] = 0;
    return 0;
}

static int is_terminal_name(const char *target)
{
    return !strncmp(target, "/dev/pts/", 9) || !strncmp(target, "/dev/tty", 8) || !strncmp(target, "/dev/console", 12);
}

static long parent_of(long pid)
{
    cb_procstat ps;
    return cb_procstat_of(pid, &ps) == 0 ? (long)ps.ppid : -1;
}

/* Does pid hold an open descriptor on this pipe or socket (its other end)? */
static int holds(long pid, const char *link)
{
    char path[64], target[256];
    snprintf(path, sizeof path, "/proc/%ld/fd", pid);
    DIR *d = opendir(path);
    if (!d)
        return 0;
    int found = 0;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL) {
        char *end;
        long fd = strtol(e->d_name, &end, 10);
        if (*end || end == e->d_name)
            continue;
        found = fd_link(pid, (int)fd, target, sizeof target) == 0 && !strcmp(target, link);
    }
    closedir(d);
    return found;
}

int cb_fd_reaches_terminal(int fd)
{
    char link[256], up[256];
    long pid = (long)getpid();
    if (isatty(fd)) {
        long ppid = parent_of(pid);
        /* No /proc, or an orphan: only isatty() is known. */
        if (ppid <= 1 || fd_link(ppid, 1, up, sizeof up) < 0)
            return 1;
        return is_terminal_name(up);
    }
    if (fd_link(pid, fd, link, sizeof link) < 0 || (strncmp(link, "pipe:", 5) && strncmp(link, "socket:", 7)))
        return 0;
    /* A few forwarders at most (Hydra: proxy, then mpiexec). */
    for (int hop = 0; hop < 4; hop++) {
        long ppid = parent_of(pid);
        if (ppid <= 1 || !holds(ppid, link) || fd_link(ppid, 1, up, sizeof up) < 0)
            return 0;
        if (is_terminal_name(up))
            return 1;
        if (strncmp(up, "pipe:", 5) && strncmp(up, "socket:", 7))
            return 0;
        pid = ppid;
        snprintf(link, sizeof link, "%s", up);
    }
    return 0;
}
