/* The storage interface. Scheduling, timing and reporting talk to storage only
 * through this struct of function pointers, never to HDF5 or HTTP directly
 * (in the spirit of IOR's aiori). */
#ifndef CHUNKBENCH_BACKEND_H
#define CHUNKBENCH_BACKEND_H

#include <mpi.h>
#include <stdint.h>

#include "core/collective.h"
#include "core/error.h"
#include "core/filters.h"
#include "core/hints.h"
#include "core/iolog.h"
#include "core/modes.h"
#include "core/pattern.h"
#include "core/table.h"
#include "core/tasks.h"

/* Request statistics of one writer's connections (HSDS), kept by the backend,
 * and what its close found out about the tasks it finished. */
struct cb_iolog;

/* Room for a server's identity: what tells one incarnation from the next. */
#define CB_SERVER_ID_LEN 512

typedef struct cb_net_stats {
    int64_t requests, retries;
    /* The server as this store's open found it ("" when it has none): a
     * later save_table is given it (cb_store_opts.server_id) to tell
     * whether the server restarted meanwhile. */
    char server_id[CB_SERVER_ID_LEN];
    /* Server schedule: tasks this writer finished whose rows it had to set
     * back to pending (the server restarted before their data was stored),
     * and that were still pending when it closed. */
    int64_t given_back;
    struct cb_iolog *log; /* when set, every request also goes into this log (reads) */
    double *latency;   /* seconds per request, grown by the backend */
    int64_t nlatency, cap;
} cb_net_stats;

struct cb_backend;

/* An open target, as seen by one writer. */
typedef struct cb_store {
    const struct cb_backend *ops;
    cb_layout layout;
    /* Every rank must call write_task/read_task the same number of times
     * (collective I/O); a rank without a task passes t == NULL. */
    int lockstep;
    cb_net_stats net;
    /* What the collective transfers asked for actually did, counted by the
     * backend per data call (all zero when it made none); the phase takes
     * it before close. */
    cb_coll_stats coll;
    void *impl;
    /* Every storage request of this open, when the backend can log them
     * (NULL otherwise). The phase takes it over before close; requests
     * made while closing still land in it. */
    cb_iolog *iolog;
    /* The MPI-IO hints the MPI library holds for this open (MPI_File_get_info),
     * when the backend opened an MPI-IO file (NULL otherwise). The phase
     * takes it over before close, as the iolog. */
    cb_hints *mpi_hints;
} cb_store;

/* What a backend is told about the target it opens or makes: this and no
 * more (the command line stays above). Fields a backend does not use are
 * refused by its check() when they are set, with the reason. */
typedef struct cb_store_opts {
    const char *target;
    /* open, load_table, describe, raw_extents */
    int writable;          /* the data phase writes; else everything is read-only */
    int log_requests;      /* record every storage request in the store's iolog */
    int name_datasets;     /* the caller may name other datasets to read: a target
                              that is not chunkbench's says so */
    const char *dataset;   /* the dataset open() and raw_extents() read; NULL: dset */
    cb_driver driver;      /* how a file is opened to read; DEFAULT: one parallel open */
    cb_io_mode io;         /* HDF5 transfer of each task */
    int fsync;             /* flush written data to storage inside the (timed) close */
    int coll_metadata;     /* metadata reads and writes collective (HDF5 files opened with MPI-IO) */
    cb_chunk_opt chunk_opt; /* collective transfers of chunks: HDF5's choice, one linked I/O or one per chunk */
    int tasks_per_call;    /* writing: up to this many tasks joined into one write_task (<= 1: one a call) */
    int64_t chunk_cache;   /* dataset chunk cache bytes; -1: the library's default */
    int64_t chunk_cache_slots; /* -1: the library's default */
    int64_t page_buffer;   /* bytes of whole file pages kept (reads); <= 0: none */
    cb_page_buffer_by page_buffer_by; /* whose buffer; resolved (never AUTO) when page_buffer > 0 */
    int http_cache_given;  /* --cache-type or --block-size was given (driver curl only) */
    cb_http_cache http_cache; /* driver curl: the cache between HDF5 and the HTTP requests */
    int64_t http_block;    /* driver curl: the cache's block size */
    const cb_hints *mpi_hints; /* MPI-IO hints for every MPI-IO open (NULL or empty: none) */
    int64_t file_page_size; /* the target's own page size, as load_table or describe
                               found it (meta.page_size); 0: not paged or unknown */
    /* create */
    int force;             /* replace an existing target */
    int64_t align;         /* align objects of 64 KiB and more to this (0: default) */
    int64_t page_size;     /* paged file-space strategy with this page (0: not paged) */
    const cb_layout *create_layout; /* the layout a create will make, when checking one */
    int table_only;        /* create: dset gets no storage, its values live elsewhere (mpiio's table) */
    const cb_filters *filters; /* create: dset's filter pipeline, in order (NULL: none) */
    int writes;            /* the command writes data (write, run): its transfers must suit the filters */
    int selections;        /* read --pattern: the data phase calls read_sel; 1 hyperslabs, 2 point lists */
    /* open: the target's layout as its task table has it, on every rank
     * (a backend whose data file does not hold it, mpiio, needs it). */
    const cb_layout *layout;
    const cb_hints *create_hints;   /* MPI-IO hints for the open that creates the file (striping too) */
    cb_hints *created_hints;        /* create: where the hints MPI reports for the new file go (NULL: not wanted) */
    /* save_table: the server's identity when the data phase opened it
     * (cb_net_stats.server_id); NULL or "": unknown, nothing to compare. */
    const char *server_id;
    /* The backend's own options (cb_hdf5_opts, cb_hsds_opts); NULL: its defaults. */
    const void *backend;
} cb_store_opts;

/* What a backend can do (fio's engine flags): commands and the engine test
 * these, never a backend's name. An optional op is set exactly when its
 * flag is (tests/unit checks it). */
enum {
    CB_CAP_CLAIMS = 1 << 0,       /* claim/finish: the server hands out tasks (--schedule server) */
    CB_CAP_DATASETS = 1 << 1,     /* describe: reads datasets other than dset */
    CB_CAP_RAW_EXTENTS = 1 << 2,  /* raw_extents: where the values lie in the file */
    CB_CAP_FILE_DRIVERS = 1 << 3, /* HDF5 file drivers, transfer modes, chunk cache, page buffer */
    CB_CAP_NET_STATS = 1 << 4,    /* counts requests, retries and their latency (cb_net_stats) */
    /* A write that returned stays written if the writer dies (in the file
     * system's cache), so a journal record of it may outlive the run. Not
     * HSDS: it acknowledges a chunk before storing it, and a restart loses
     * it (found at the table save by the server's identity, which a merged
     * journal would skip). */
    CB_CAP_JOURNAL = 1 << 5,
    /* write_task takes any rectangle of the dataset, several tasks at once
     * (--tasks-per-call): a hyperslab over several chunks in one call. */
    CB_CAP_BATCH = 1 << 6,
    /* stored_bytes: what the dataset takes in storage (its filters' cost). */
    CB_CAP_STORED_BYTES = 1 << 7,
    /* Tasks are recorded complete only once their data is in durable
     * storage (HSDS: after a flush of the server's storage), so a write
     * reports when its data was acknowledged and when it was durable.
     * Without it only --fsync makes the data durable. */
    CB_CAP_DURABLE = 1 << 8,
    /* stored_bytes also gives each chunk's size (t->chunk_stored), which a
     * read needs to count the stored bytes of the chunks it covers. */
    CB_CAP_CHUNK_STORED = 1 << 9,
    /* read_sel: reads a selection that is not one rectangle of the task
     * grid (read --pattern: strided hyperslabs, point lists). */
    CB_CAP_SELECTIONS = 1 << 10,
};

typedef struct cb_backend {
    const char *name; /* "hdf5" or "hsds" */
    unsigned caps;    /* CB_CAP_* */
    /* How data moves when the backend has no file drivers, for reports ("http"). */
    const char *transport;
    /* Before any I/O: refuse options this backend cannot honour, in one line
     * naming the option and the fix (IOR's check_params). */
    int (*check)(const cb_store_opts *o, cb_err *err);
    /* Collective: make a new target with `dset`, the full `task_list` and metadata.
     * Refuses an existing target unless o->force. */
    int (*create)(const cb_store_opts *o, const cb_table *tab, MPI_Comm comm, cb_err *err);
    /* Collective: open an existing target for data I/O (o->writable). */
    int (*open)(const cb_store_opts *o, MPI_Comm comm, cb_store **out, cb_err *err);
    int (*write_task)(cb_store *s, const cb_task *t, const void *buf, cb_err *err);
    int (*read_task)(cb_store *s, const cb_task *t, void *buf, cb_err *err);
    /* Read one selection into buf, its values in row-major order of their
     * positions (cb_sel_task's shape); sel == NULL takes part in a
     * collective call with nothing, as read_task(NULL). */
    int (*read_sel)(cb_store *s, const cb_sel *sel, void *buf, cb_err *err);
    /* Server-side scheduling (NULL when the backend cannot): atomically take the
     * next pending task (or one in progress for longer than lease_s, if > 0).
     * *index = -1 when none is left. `more`: how many tasks the caller may
     * ask for after this one (-1: no limit), so the backend may claim them
     * ahead; close gives back claims it made and never handed out. */
    int (*claim)(cb_store *s, const char *pod, double lease_s, int64_t more, int64_t *index, cb_task *t,
                 cb_err *err);
    /* Server-side scheduling: record task `index` as complete (t has start, done, pod). */
    int (*finish)(cb_store *s, int64_t index, const cb_task *t, cb_err *err);
    /* Collective. Frees s whatever happens; the request statistics, including
     * those of closing itself (a last flush), move to *net when net != NULL. */
    int (*close)(cb_store *s, cb_net_stats *net, cb_err *err);
    /* One process, outside any open data phase: read layout, metadata, task table. */
    int (*load_table)(const cb_store_opts *o, cb_table *out, cb_err *err);
    /* One process: write the rows listed (all when rows == NULL) and the metadata. */
    int (*save_table)(const cb_store_opts *o, const cb_table *tab, const int64_t *rows, int64_t nrows,
                      cb_err *err);
    /* One process, read-only (NULL when the backend reads `dset` only): shape,
     * chunk and element size of each of n 1-D or 2-D datasets, as a layout
     * (1-D: N x 1), and the file's metadata, into out[0..n-1], in one lookup
     * open (over HTTP each open costs requests). open() then reads
     * o->dataset. On failure out holds nothing. */
    int (*describe)(const cb_store_opts *o, const char *const *names, int n, cb_table *out, cb_err *err);
    /* One process, read-only (NULL when the backend has no such thing): the
     * byte ranges of the file that hold the values of the dataset read
     * (o->dataset, else dset), to tell raw-data requests from metadata ones
     * where the log cannot (MPI-IO). *out is malloc'd. */
    int (*raw_extents)(const cb_store_opts *o, cb_extent **out, int64_t *n, cb_err *err);
    /* One process, outside any open data phase (NULL when the backend cannot
     * tell): the bytes dset takes in storage, its chunks as filtered, into
     * t->meta.stored_bytes, and each chunk's into t->chunk_stored (t's layout
     * gives the chunk grid). load_table also puts the total in
     * meta.stored_bytes for a filtered dset. */
    int (*stored_bytes)(const cb_store_opts *o, cb_table *t, cb_err *err);
    /* One process, read-only (NULL when the backend has named datasets of
     * one kind only): the path of every dataset in the file ("/a/b", by hard
     * link), sorted; *out and its strings malloc'd, free each and the array. */
    int (*list_datasets)(const cb_store_opts *o, char ***out, int *n, cb_err *err);
    /* Collective as open (NULL exactly when describe is): the open store
     * reads another dataset of its file, o->dataset (NULL: dset) with o's
     * chunk cache, into s->layout; the file stays open, its caches and
     * request log with it (read's one open for several datasets). A
     * failure leaves the store to be closed as usual. */
    int (*switch_dataset)(cb_store *s, const cb_store_opts *o, cb_err *err);
} cb_backend;

extern const cb_backend cb_backend_hdf5;
extern const cb_backend cb_backend_hsds;
extern const cb_backend cb_backend_mpiio;

/* What a target names: hdf5://... an HSDS domain, http(s):// or s3:// a
 * remote file (read through ros3), mpiio:PATH a plain file written with
 * MPI-IO (the baseline), anything else a path. The one place that tells
 * them apart. */
typedef enum { CB_TARGET_PATH = 0, CB_TARGET_URL, CB_TARGET_HSDS, CB_TARGET_MPIIO } cb_target_kind;
cb_target_kind cb_target_kind_of(const char *target);

/* The file of a target on this file system: the path itself, or the part
 * after mpiio:; NULL for domains and URLs. */
const char *cb_target_file(const char *target);

/* The end of every backend's close, after its own state is gone: the
 * request statistics move to *net (freed when net is NULL), a request log
 * and hints record the phase did not take are freed, and so is s. */
void cb_store_release(cb_store *s, cb_net_stats *net);

/* The backend of a target: HSDS for a domain, MPI-IO for mpiio:, HDF5 for a path or URL. */
const cb_backend *cb_backend_for(const char *target);

#endif
