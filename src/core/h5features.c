#include "core/h5features.h"

#include <hdf5.h>
#include <stdio.h>

static void running(unsigned v[3])
{
    if (H5get_libversion(&v[0], &v[1], &v[2]) < 0)
        v[0] = v[1] = v[2] = 0;
}

int cb_h5_at_least(unsigned maj, unsigned min, unsigned rel)
{
    unsigned v[3];
    running(v);
    if (v[0] != maj)
        return v[0] > maj;
    if (v[1] != min)
        return v[1] > min;
    return v[2] >= rel;
}

int cb_h5_need(cb_err *err, const char *what, unsigned maj, unsigned min, unsigned rel)
{
    if (cb_h5_at_least(maj, min, rel))
        return 0;
    unsigned v[3];
    running(v);
    return cb_fail(err, CB_EUSAGE, "%s needs HDF5 %u.%u.%u or newer; this chunkbench runs with HDF5 %u.%u.%u", what, maj,
                   min, rel, v[0], v[1], v[2]);
}

const char *cb_h5_coll_md_read_note(void)
{
    static char note[256];
    unsigned v[3];
    running(v);
    int broken = (v[0] == 1 && v[1] == 10 && v[2] >= 5 && v[2] <= 8) || (v[0] == 1 && v[1] == 12 && v[2] <= 1);
    if (!broken)
        return NULL;
    snprintf(note, sizeof note,
             "--coll-metadata: HDF5 %u.%u.%u does metadata writes collectively but falls back to independent "
             "metadata reads (broken from 1.10.5 to 1.10.8 and in 1.12.0-1.12.1, fixed in 1.10.9 and 1.12.2)",
             v[0], v[1], v[2]);
    return note;
}

const char *cb_h5_filtered_independent_note(void)
{
    static char note[320];
    unsigned v[3];
    running(v);
    /* No release yet writes filtered chunks independently from more than one
     * rank; 1.10.x refuses a single rank too. Kept for all versions, so a
     * run never depends on its rank count. */
    snprintf(note, sizeof note,
             "--io independent cannot write a filtered dataset: parallel HDF5 (%u.%u.%u here) writes filtered chunks "
             "only in collective transfers (\"Can't perform independent write with filters in pipeline\"): use "
             "--io collective",
             v[0], v[1], v[2]);
    return note;
}

const char *cb_h5_no_edge_filter_note(void)
{
    static char note[400];
    if (cb_h5_at_least(CB_H5_EDGE_FILTER_OK))
        return NULL;
    unsigned v[3];
    running(v);
    snprintf(note, sizeof note,
             "--no-edge-filter: parallel HDF5 %u.%u.%u filters the partial edge chunks anyway while the dataset says "
             "they are unfiltered, so a reader that trusts the option (h5py) gets wrong values there; it needs HDF5 1.14.0 or newer "
             "(leave it out)",
             v[0], v[1], v[2]);
    return note;
}
