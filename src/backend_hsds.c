/* Placeholder until the HSDS backend lands: refuses every call. */
#include "chunkbench/backend.h"

static int refuse(cb_err *err)
{
    return cb_fail(err, CB_EUSAGE, "HSDS targets (hdf5://) are not supported by this build yet");
}
static int h_create(const cb_config *c, const cb_table *t, MPI_Comm m, cb_err *e) { (void)c; (void)t; (void)m; return refuse(e); }
static int h_open(const cb_config *c, int w, MPI_Comm m, cb_store **o, cb_err *e) { (void)c; (void)w; (void)m; (void)o; return refuse(e); }
static int h_load(const cb_config *c, cb_table *t, cb_err *e) { (void)c; (void)t; return refuse(e); }
static int h_save(const cb_config *c, const cb_table *t, const int64_t *r, int64_t n, cb_err *e) { (void)c; (void)t; (void)r; (void)n; return refuse(e); }
const cb_backend cb_backend_hsds = { .name = "hsds", .create = h_create, .open = h_open, .load_table = h_load, .save_table = h_save };
