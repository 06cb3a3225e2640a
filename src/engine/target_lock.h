/* One writer at a time per file target.
 *
 * A writer (create, write, run) holds <target>.chunkbench-lock, a file beside
 * the target made with open(O_CREAT|O_EXCL): that is atomic on local file
 * systems, NFSv3 and later, Lustre, GPFS and BeeGFS, where fcntl/flock locks
 * may be ignored or only node-local. It names its holder (host, pid, user,
 * start time, command), so a second writer is refused with that name before
 * anything is opened for writing, and a lock whose holder died on this host is
 * seen to be stale and taken over. A reader (verify, read) leaves
 * <target>.chunkbench-lock.read.<host>.<pid> beside it for as long as it
 * reads: a writer refuses while a live one is there, and a reader refuses
 * while a writer holds the lock.
 *
 * HSDS domains and URLs take no lock file: the server's claims coordinate
 * their writers. Rank 0 does all file work; every rank gets its verdict. */
#ifndef CHUNKBENCH_TARGET_LOCK_H
#define CHUNKBENCH_TARGET_LOCK_H

#include <mpi.h>

#include "core/error.h"

typedef enum { CB_LOCK_WRITE, CB_LOCK_READ } cb_lock_kind;

typedef struct cb_lock_req {
    const char *target;
    cb_lock_kind kind;
    const char *command; /* how the holder is named to others: "write", "create --force", "verify" */
    int break_lock;      /* writers: also take a lock (or pass a reader's mark) whose holder is on
                            another host, which cannot be checked from here */
    int ignore_lock;     /* readers: take nothing and check nothing */
    int quiet;           /* no notes (a stale lock taken over, a mark that cannot be made) */
} cb_lock_req;

typedef struct cb_target_lock {
    int held;             /* rank 0: path holds our record, to be removed at release */
    char path[4096];      /* the lock file, or this reader's mark */
    char record[2048];    /* what we wrote into it (release removes it only if it still holds this) */
    int have_id;          /* a writer's target existed when it took the lock: its identity */
    unsigned long long dev, ino;
    long long btime_s, btime_ns; /* birth time where the file system tells it (statx), else 0 */
    const char *target;
} cb_target_lock;

/* Collective. Rank 0 takes the lock (or the reader's mark) and every rank
 * gets its verdict. A lock that names this very process (run: create took
 * it, write goes on under it) is taken as ours. Refused: -1 on every rank,
 * CB_ELOCKED and one line naming the holder and the fix; a lock file name
 * the file system cannot hold: CB_EUSAGE. A target that is no path takes
 * nothing (lk->held stays 0). */
int cb_target_lock_take(const cb_lock_req *req, MPI_Comm comm, cb_target_lock *lk, cb_err *err);

/* Rank 0, before a writer saves into the target: 0 when the target is still
 * the file it was when the lock was taken (same device, inode and birth
 * time); else -1 with CB_ELOCKED (it was replaced or removed meanwhile). */
int cb_target_lock_same_file(const cb_target_lock *lk, cb_err *err);

/* Rank 0 removes what it took, if the file still holds our record; other
 * ranks and a lock not held do nothing. No communication: call it on every
 * exit path. */
void cb_target_lock_release(cb_target_lock *lk);

#endif
