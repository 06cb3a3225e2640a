#include "cli/store_opts.h"

#include <string.h>

#include "core/h5features.h"

const cb_backend *cb_store_args_for(const cb_config *cfg, const char *target, cb_store_args *a)
{
    memset(a, 0, sizeof *a);
    if (!target)
        target = cfg->target;
    const cb_backend *be = cb_backend_for(target);
    cb_store_opts *o = &a->o;
    o->target = target;
    /* A timed read reports every storage request, and may name datasets. */
    o->log_requests = o->name_datasets = cfg->cmd == CB_CMD_READ;
    o->dataset = cfg->dataset;
    o->driver = cfg->driver;
    o->io = cfg->io;
    o->fsync = cfg->fsync;
    o->coll_metadata = cfg->coll_metadata;
    o->chunk_opt = cfg->chunk_opt;
    o->tasks_per_call = cfg->tasks_per_call;
    o->chunk_cache = cfg->chunk_cache;
    o->chunk_cache_slots = cfg->chunk_cache_slots;
    o->page_buffer = cfg->page_buffer;
    o->page_buffer_by = cfg->page_buffer_by;
    o->http_cache = cfg->http_cache;
    o->http_block = cfg->http_block;
    o->http_cache_given = cfg->http_cache_given;
    o->force = cfg->force;
    o->align = cfg->align;
    o->page_size = cfg->page_size;
    o->create_layout = cfg->cmd == CB_CMD_CREATE || cfg->cmd == CB_CMD_RUN ? &cfg->layout : NULL;
    o->mpi_hints = &cfg->mpi_hints;
    o->create_hints = o->create_layout ? &cfg->create_hints : NULL;
    o->filters = o->create_layout && cfg->filters.n ? &cfg->filters : NULL;
    o->writes = cfg->cmd == CB_CMD_WRITE || cfg->cmd == CB_CMD_RUN;
    o->selections = cfg->cmd == CB_CMD_READ && cfg->pattern_arg ? 1 + (cfg->pattern.kind == CB_PAT_POINTS) : 0;
    if (be == &cb_backend_hsds) {
        a->hs = (cb_hsds_opts){cfg->endpoint, cfg->bucket, cfg->claim_batch, cfg->ca_file};
        o->backend = &a->hs;
    } else {
        a->h5 = (cb_hdf5_opts){cfg->s3_region, cfg->s3_profile, cfg->s3_endpoint, cfg->ca_file};
        o->backend = &a->h5;
    }
    return be;
}

void cb_store_notes(const cb_config *cfg, FILE *f)
{
    /* The backends' checks refused --coll-metadata where MPI-IO does not open the file. */
    const char *n = cfg->coll_metadata && !cfg->quiet ? cb_h5_coll_md_read_note() : NULL;
    if (n)
        fprintf(f, "chunkbench: note: %s\n", n);
}

int cb_store_check(const cb_config *cfg, cb_err *err)
{
    /* A secret on the command line is in every user's ps: refused, whatever
     * the target. */
    if (cfg->s3_secret)
        return cb_fail(err, CB_EUSAGE,
                       "--s3-secret puts the secret key in every user's process list (ps): set AWS_SECRET_ACCESS_KEY "
                       "and AWS_ACCESS_KEY_ID in the environment, or use a profile in ~/.aws/credentials "
                       "(--s3-profile NAME or AWS_PROFILE)");
    if (cfg->s3_key_id)
        return cb_fail(err, CB_EUSAGE,
                       "--s3-key-id is no longer taken (its secret would have to follow on the command line): set "
                       "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment, or use a profile in "
                       "~/.aws/credentials (--s3-profile NAME or AWS_PROFILE)");
    cb_store_args a;
    const cb_backend *be = cb_store_args_for(cfg, NULL, &a);
    return be->check ? be->check(&a.o, err) : 0;
}
