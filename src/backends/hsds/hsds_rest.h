/* The HSDS REST layer: requests that fail with one line naming the problem
 * and the fix, the JSON of HDF5 types and objects, finding the objects of a
 * domain, moving task rows and metadata attributes, flushes and the
 * server's identity. It keeps no state: every call names its connection. */
#ifndef CHUNKBENCH_HSDS_REST_H
#define CHUNKBENCH_HSDS_REST_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "backends/backend.h"
#include "backends/hsds/http.h"
#include "core/table.h"

/* Rows per chunk of task_list. A query-update is atomic only within one
 * chunk, so claims go chunk by chunk; ~4 MB keeps most tables in a single
 * chunk (one request per claim) without making every claim rewrite a huge one. */
#define TL_CHUNK_ROWS 55000
/* Rows per request when moving the table. */
#define TL_IO_ROWS 100000
#define ID_LEN 128
#define FP_LEN CB_SERVER_ID_LEN /* a server incarnation: start time and data node ids */
#define DOING (CB_HS_STR + 2 * ID_LEN + 96) /* room for any "doing" line */

/* What open, load_table and save_table need to know about a domain. */
typedef struct hs_info {
    char root[ID_LEN], dset[ID_LEN], table[ID_LEN];
    cb_layout layout;
    int64_t ntasks, tchunk; /* rows of the task table, rows per chunk */
    char fp[FP_LEN];        /* server incarnation when opened (see hs_server_fp) */
} hs_info;

/* 404 and 410 are answers, not failures (lookups of what may not exist). */
extern const long hs_ok404[];

const char *hs_domain_of(cb_http *h);
/* A final HTTP status as one line naming the problem and the fix. */
int hs_explain(cb_http *h, long code, const char *doing, const cb_err *e, cb_err *err);
/* Send r. 0 when the answer is 2xx or one of `also` (0-terminated), with
 * *status set; otherwise -1 and a clear line in err. */
int hs_call(cb_http *h, const cb_http_req *r, long *status, const long *also, const char *doing, cb_err *err);
int hs_get_json(cb_http *h, const char *path, const char *params, cJSON **json, long *status, const long *also,
                const char *doing, cb_err *err);
/* Send a cJSON body (freed here). */
int hs_send_json(cb_http *h, const char *method, const char *path, const char *params, cJSON *body, cJSON **answer,
                 long *status, const long *also, const char *doing, cb_err *err);

/* Types and objects as JSON. */
const char *hs_type_base(const cJSON *t);
int hs_dims_of(const cJSON *arr, int64_t *d, int max);
int hs_copy_id(const cJSON *j, const char *key, char *dst);
int hs_dataset_info(cb_http *h, const char *id, int64_t *shape, int64_t *chunk, int *rank, cJSON **type,
                    cb_err *err);
int hs_table_type_ok(const cJSON *type);
cJSON *hs_table_type(void);
cJSON *hs_int64_array(const int64_t *v, int n);

/* Objects of a domain. */
int hs_domain_root(cb_http *h, char root[ID_LEN], cb_err *err);
int hs_lookup(cb_http *h, const char *h5path, char id[ID_LEN], cb_err *err);
int hs_resolve(cb_http *h, hs_info *in, cb_err *err);

/* Task rows. */
int hs_table_put(cb_http *h, const char *table_value, int64_t first, const unsigned char *rows, int64_t n,
                 cb_err *err);
int hs_table_get(cb_http *h, const char *table_value, int64_t first, unsigned char *rows, int64_t n, cb_err *err);
int64_t hs_io_rows(int64_t tchunk);
int hs_put_rows(cb_http *h, const char *table_value, int64_t tchunk, const cb_task *tasks, int64_t lo, int64_t hi,
                unsigned char *buf, cb_err *err);
/* select=[x0:x1,y0:y1] of a task. */
void hs_task_select(const cb_task *t, char *params, size_t cap);
/* select=[r0:r1:sr,c0:c1:sc] of a hyperslab selection (read --pattern). */
void hs_sel_select(const cb_sel *q, char *params, size_t cap);

/* Attributes: the run metadata (cb_meta_fields) and the layout's. */
void hs_attr_pair(cJSON *attrs, const char *name, const int64_t v[2]);
void hs_attr_str(cJSON *attrs, const char *name, const char *v);
void hs_meta_attrs(cJSON *attrs, const cb_meta *m);
int hs_put_attrs(cb_http *h, const char *root, cJSON *attrs, cb_err *err);
int hs_load_meta(cb_http *h, const char *root, cb_layout *lay, cb_meta *m, cb_err *err);

/* Durability and restarts. hs_flush_domain waits until every write this
 * process made before it is stored (sped up by hs_flush_race). */
int hs_flush_domain(cb_http *h, cb_err *err);
/* The request of a domain flush (PUT /?flush=1). */
extern const cb_http_req hs_flush_req;

/* HSDS answers a flush only at whole steps of its flush_sleep_interval (1 s
 * stock) after the request came, once every object dirty then is stored, and
 * a data node stores an object about s3_age_time (1 s) after its last write:
 * a flush sent right after a write mostly answers at 2 s, a second after the
 * data was stored. More flushes of the same domain, sent a quarter of a step
 * apart on connections of their own, answer at most a quarter step after it;
 * any that says done covers every write made before the first was sent.
 * hs_flush_race waits for the flush started on primary, sending meanwhile up to three more
 * (connections like base's, counted in stats). 1: primary answered (*result,
 * *status, *e as cb_http_poll's); 2: an extra said done first, and primary's
 * request was dropped; -1: nothing was started on primary. */
int hs_flush_race(cb_http *primary, cb_http *base, cb_net_stats *stats, int *result, long *status, cb_err *e);

int hs_server_fp(cb_http *h, char fp[FP_LEN], cb_err *err);

void hs_sleep_s(double s);

#endif
