#include "core/provenance.h"

#include <curl/curl.h>
#include <hdf5.h>
#include <libgen.h>
#include <string.h>
#include <sys/vfs.h>

#ifndef CB_VERSION
#define CB_VERSION "unknown"
#endif
#include "core/git_rev.h" /* CB_GIT_REV: written into the build tree by cmake/git_rev.cmake at every build */

const char *cb_fs_type_name(long f_type, char *buf, size_t cap)
{
    /* Magic numbers from linux/magic.h and the file systems' own headers. */
    static const struct {
        unsigned long magic;
        const char *name;
    } known[] = {
        {0xEF53, "ext4"},       {0x58465342, "xfs"},    {0x01021994, "tmpfs"},  {0x6969, "nfs"},
        {0x0BD00BD0, "lustre"}, {0x47504653, "gpfs"},   {0x19830326, "beegfs"}, {0x9123683E, "btrfs"},
        {0x2FC12FC1, "zfs"},    {0x794C7630, "overlay"}, {0x00C36400, "ceph"},  {0xFE534D42, "smb2"},
        {0xFF534D42, "cifs"},   {0x65735546, "fuse"},   {0x73717368, "squashfs"}, {0x5346414F, "afs"},
        {0x517B, "smb"},        {0x858458F6, "ramfs"},  {0xAAD7AAEA, "panfs"},  {0x61756673, "aufs"},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if ((unsigned long)f_type == known[i].magic)
            return known[i].name;
    snprintf(buf, cap, "0x%lx", (unsigned long)f_type);
    return buf;
}

void cb_provenance_local(cb_provenance *p, const char *target)
{
    memset(p, 0, sizeof *p);
    snprintf(p->version, sizeof p->version, "%s", CB_VERSION);
    snprintf(p->git_rev, sizeof p->git_rev, "%s", CB_GIT_REV);
    unsigned maj = 0, min = 0, rel = 0;
    if (H5get_libversion(&maj, &min, &rel) >= 0)
        snprintf(p->hdf5, sizeof p->hdf5, "%u.%u.%u", maj, min, rel);
    const curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
    snprintf(p->curl, sizeof p->curl, "%s", cv && cv->version ? cv->version : "");
    /* A path's directory (the file may not exist yet); URLs and hdf5://
     * domains have no local file system. */
    if (target && *target && !strstr(target, "://")) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", target);
        struct statfs s;
        if (statfs(dirname(dir), &s) == 0) {
            char hex[24];
            snprintf(p->fs_type, sizeof p->fs_type, "%s", cb_fs_type_name((long)s.f_type, hex, sizeof hex));
        }
    }
}

/* MPI's version string is several lines on some libraries: the first one. */
static void first_line(const char *s, char *out, size_t cap)
{
    size_t n = strcspn(s, "\r\n");
    snprintf(out, cap, "%.*s", (int)n, s);
}

cJSON *cb_provenance_json(const cb_provenance *p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "chunkbench", p->version);
    cJSON_AddStringToObject(o, "git", p->git_rev);
    cJSON_AddStringToObject(o, "hdf5", p->hdf5);
    char mpi[256];
    first_line(p->mpi, mpi, sizeof mpi);
    cJSON_AddStringToObject(o, "mpi", mpi);
    cJSON_AddStringToObject(o, "libcurl", p->curl);
    cJSON_AddNumberToObject(o, "ranks", p->ranks);
    cJSON_AddNumberToObject(o, "hosts", p->hosts);
    cJSON_AddStringToObject(o, "host_names", p->host_names);
    cJSON *rph = cJSON_AddObjectToObject(o, "ranks_per_host");
    cJSON_AddNumberToObject(rph, "min", p->ranks_per_host_min);
    cJSON_AddNumberToObject(rph, "max", p->ranks_per_host_max);
    cJSON_AddStringToObject(o, "fs_type", p->fs_type);
    return o;
}

void cb_provenance_text(FILE *f, const cb_provenance *p)
{
    char mpi[256];
    first_line(p->mpi, mpi, sizeof mpi);
    mpi[strcspn(mpi, ",")] = 0; /* "Open MPI v4.1.4", not its package details */
    char rph[32];
    if (p->ranks_per_host_min == p->ranks_per_host_max)
        snprintf(rph, sizeof rph, "%d", p->ranks_per_host_min);
    else
        snprintf(rph, sizeof rph, "%d-%d", p->ranks_per_host_min, p->ranks_per_host_max);
    fprintf(f, "stack:        chunkbench %s (git %s), HDF5 %s, %s, libcurl %s; %d ranks on %d hosts (%s a host: %s); fs %s\n",
            p->version, p->git_rev, p->hdf5, mpi, p->curl, p->ranks, p->hosts, rph, p->host_names,
            p->fs_type[0] ? p->fs_type : "-");
}

void cb_provenance_version(FILE *f, const cb_provenance *p)
{
    char mpi[256];
    first_line(p->mpi, mpi, sizeof mpi);
    fprintf(f, "chunkbench %s (git %s)\nHDF5 %s\nMPI: %s\nlibcurl %s\n", p->version, p->git_rev, p->hdf5, mpi, p->curl);
}
