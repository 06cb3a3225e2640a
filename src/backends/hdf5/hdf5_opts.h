/* The HDF5 backend's own options, declared, checked (cb_backend_hdf5.check)
 * and documented here:
 *   s3_region, s3_profile   ros3 and curl: the region (also places s3:// URLs) and
 *       the AWS profile; the keys come from the AWS variables or the profile
 *       (url.h cb_s3_find), never from the command line
 *   s3_endpoint   ros3 and curl: where s3://BUCKET/KEY goes, path-style (an
 *       S3-compatible server); else AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL
 *   ca_file   ros3 and curl: the CA bundle to trust (core/secrets.h cb_ca_bundle)
 * Rules on the common options (cb_store_opts) it enforces:
 *   - a URL (http://, https://, s3://) is read with driver ros3 or curl, a path never;
 *   - http_cache / http_block (--cache-type, --block-size) with driver curl only;
 *   - sec2/ros3/curl open the file on every rank alone: independent transfers only;
 *   - the page buffer needs sec2, ros3 or curl (HDF5 has none under MPI-IO), and
 *     --page-buffer-by hdf5 a library that has its own in a parallel build
 *     (core/h5features.h);
 *   - io direct (H5Dwrite_chunk) moves whole chunks: block tasks only;
 *   - coll_metadata needs a file opened with MPI-IO (not sec2/ros3, not a URL);
 *   - chunk_opt applies to collective transfers only;
 *   - filters: each in the library with its encoder (a plugin on
 *     HDF5_PLUGIN_PATH counts); writes of a filtered dataset collective only
 *     (checked here for run, at open for a filtered file); no_edge only
 *     where parallel writes honour it (core/h5features.h). */
#ifndef CHUNKBENCH_HDF5_OPTS_H
#define CHUNKBENCH_HDF5_OPTS_H

typedef struct cb_hdf5_opts {
    const char *s3_region, *s3_profile, *s3_endpoint, *ca_file;
} cb_hdf5_opts;

#endif
