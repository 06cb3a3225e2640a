/* What a result was measured with: chunkbench's version and git revision,
 * the HDF5, MPI and libcurl libraries, the hosts and ranks per host, and the
 * file system under the target. Printed by --version, on the text report's
 * "stack:" line and as the JSON's "stack" object, so runs on different
 * stacks can be told apart. */
#ifndef CHUNKBENCH_PROVENANCE_H
#define CHUNKBENCH_PROVENANCE_H

#include <cjson/cJSON.h>
#include <stdio.h>

typedef struct cb_provenance {
    char version[32], git_rev[48];
    char hdf5[32], mpi[256], curl[48];
    char fs_type[32];  /* of the target's directory; "" for URLs and HSDS */
    int ranks, hosts;  /* 0 until the MPI part has gathered them */
    int ranks_per_host_min, ranks_per_host_max;
    char host_names[512]; /* comma-separated, cut with "..." past this size */
} cb_provenance;

/* This process's part: versions, libraries, and the file system of target's
 * directory when target is a local path (NULL: none). MPI's version and the
 * host figures are the engine's (engine/hosts.h). */
void cb_provenance_local(cb_provenance *p, const char *target);

/* statfs's f_type as a name ("ext4" for ext2/3/4, "xfs", "tmpfs", "nfs",
 * "lustre", "gpfs", "beegfs", ...), or "0x..." when unknown. */
const char *cb_fs_type_name(long f_type, char *buf, size_t cap);

cJSON *cb_provenance_json(const cb_provenance *p);
/* One line: "stack:        chunkbench 0.1.0 (git ...), HDF5 ..., ..." */
void cb_provenance_text(FILE *f, const cb_provenance *p);
/* --version: one library a line. */
void cb_provenance_version(FILE *f, const cb_provenance *p);

#endif
