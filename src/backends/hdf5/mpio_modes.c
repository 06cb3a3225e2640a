#include "backends/hdf5/mpio_modes.h"

/* HDF5's cause bits, each with our own number; only those the library we
 * are built with defines. */
static const struct {
    unsigned bit;
    cb_no_coll_cause ours;
} causes[] = {
    {H5D_MPIO_SET_INDEPENDENT, CB_NCC_SET_INDEPENDENT},
    {H5D_MPIO_DATATYPE_CONVERSION, CB_NCC_DATATYPE_CONVERSION},
    {H5D_MPIO_DATA_TRANSFORMS, CB_NCC_DATA_TRANSFORMS},
    {H5D_MPIO_MPI_OPT_TYPES_ENV_VAR_DISABLED, CB_NCC_MPI_OPT_TYPES_ENV_VAR_DISABLED},
    {H5D_MPIO_NOT_SIMPLE_OR_SCALAR_DATASPACES, CB_NCC_NOT_SIMPLE_OR_SCALAR_DATASPACES},
    {H5D_MPIO_NOT_CONTIGUOUS_OR_CHUNKED_DATASET, CB_NCC_NOT_CONTIGUOUS_OR_CHUNKED_DATASET},
    {H5D_MPIO_PARALLEL_FILTERED_WRITES_DISABLED, CB_NCC_PARALLEL_FILTERED_WRITES_DISABLED},
    {H5D_MPIO_ERROR_WHILE_CHECKING_COLLECTIVE_POSSIBLE, CB_NCC_ERROR_WHILE_CHECKING_COLLECTIVE_POSSIBLE},
#if H5_VERSION_GE(1, 14, 1)
    /* Selection I/O (1.14.1+) was turned off where collective I/O needs it. */
    {H5D_MPIO_NO_SELECTION_IO, CB_NCC_NO_SELECTION_IO},
#endif
};

static void count_causes(uint32_t bits, int64_t *into)
{
    for (size_t k = 0; k < sizeof causes / sizeof causes[0]; k++)
        if (bits & causes[k].bit) {
            into[causes[k].ours]++;
            bits &= ~causes[k].bit;
        }
    if (bits)
        into[CB_NCC_OTHER]++;
}

void cb_h5_coll_count(hid_t dxpl, cb_coll_stats *s)
{
    H5D_mpio_actual_io_mode_t io = H5D_MPIO_NO_COLLECTIVE;
    H5D_mpio_actual_chunk_opt_mode_t opt = H5D_MPIO_NO_CHUNK_OPTIMIZATION;
    s->calls++;
    /* A failed query counts as "not collective": it cannot be told apart. */
    H5Pget_mpio_actual_io_mode(dxpl, &io);
    H5Pget_mpio_actual_chunk_opt_mode(dxpl, &opt);
    cb_actual_io m = CB_AIO_INDEPENDENT;
    switch (io) {
    case H5D_MPIO_CHUNK_INDEPENDENT: m = CB_AIO_CHUNK_INDEPENDENT; break;
    case H5D_MPIO_CHUNK_COLLECTIVE: m = CB_AIO_CHUNK_COLLECTIVE; break;
    case H5D_MPIO_CHUNK_MIXED: m = CB_AIO_CHUNK_MIXED; break;
    case H5D_MPIO_CONTIGUOUS_COLLECTIVE: m = CB_AIO_CONTIGUOUS_COLLECTIVE; break;
    default: break;
    }
    s->io_mode[m]++;
    s->chunk_opt[opt == H5D_MPIO_LINK_CHUNK ? CB_ACO_LINK_CHUNK
                 : opt == H5D_MPIO_MULTI_CHUNK ? CB_ACO_MULTI_CHUNK
                                               : CB_ACO_NONE]++;
    /* The causes only when collective I/O was not done at all: a chunk
     * that multi-chunk I/O did independently has none (it is its own
     * choice, by H5Pset_dxpl_mpio_chunk_opt_ratio). */
    if (m != CB_AIO_INDEPENDENT)
        return;
    uint32_t local = 0, global = 0;
    if (H5Pget_mpio_no_collective_cause(dxpl, &local, &global) < 0)
        return;
    count_causes(local, s->local_cause);
    count_causes(global, s->global_cause);
}

H5FD_mpio_chunk_opt_t cb_h5_chunk_opt(cb_chunk_opt c)
{
    return c == CB_CHUNK_OPT_ONE ? H5FD_MPIO_CHUNK_ONE_IO
           : c == CB_CHUNK_OPT_MULTI ? H5FD_MPIO_CHUNK_MULTI_IO
                                     : H5FD_MPIO_CHUNK_DEFAULT;
}
