/* The request log as the report writes it: its JSON object (with the byte
 * ranges behind the read-pattern picture), its text lines, its CSV. */
#include "report/report_iolog.h"

#include "core/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/plotdata.h"

cJSON *cb_iolog_json(const cb_iolog_summary *s, int64_t data_bytes)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "count", (double)s->requests);
    cJSON_AddNumberToObject(o, "bytes", (double)s->bytes);
    cJSON_AddNumberToObject(o, "data_bytes", (double)data_bytes);
    cJSON_AddNumberToObject(o, "over_read", data_bytes > 0 ? (double)s->bytes / (double)data_bytes : 0);
    cJSON_AddNumberToObject(o, "raw_requests", (double)s->data_requests);
    cJSON_AddNumberToObject(o, "raw_bytes", (double)s->data_bytes);
    cJSON_AddNumberToObject(o, "metadata_requests", (double)s->meta_requests);
    cJSON_AddNumberToObject(o, "metadata_bytes", (double)s->meta_bytes);
    cJSON_AddNumberToObject(o, "min_size", (double)s->min_size);
    cJSON_AddNumberToObject(o, "max_size", (double)s->max_size);
    cJSON_AddNumberToObject(o, "busy_s", s->busy_s);
    cJSON_AddNumberToObject(o, "lost", (double)s->lost);
    cJSON *h = cJSON_AddArrayToObject(o, "histogram");
    for (int c = 0; c < CB_SIZE_CLASSES; c++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "class", cb_size_class_names[c]);
        cJSON_AddNumberToObject(x, "requests", (double)s->class_requests[c]);
        cJSON_AddNumberToObject(x, "bytes", (double)s->class_bytes[c]);
        cJSON_AddItemToArray(h, x);
    }
    return o;
}

/* Past CB_JSON_MAX_RANGES requests: per size class, the requests touching
 * each of CB_JSON_PATTERN_COLUMNS columns of [0, hi). -1 when out of memory. */
static int pattern_json(cJSON *o, const double *off, const double *size, const int *cls, int64_t m, double hi)
{
    int64_t *counts = malloc((size_t)CB_SIZE_CLASSES * CB_JSON_PATTERN_COLUMNS * sizeof *counts);
    if (!counts)
        return -1;
    cb_range_cover(off, size, cls, m, CB_SIZE_CLASSES, 0, hi, CB_JSON_PATTERN_COLUMNS, counts);
    cJSON *p = cJSON_AddObjectToObject(o, "pattern");
    cJSON_AddNumberToObject(p, "columns", CB_JSON_PATTERN_COLUMNS);
    cJSON_AddNumberToObject(p, "lo", 0);
    cJSON_AddNumberToObject(p, "hi", hi);
    cJSON_AddNumberToObject(p, "requests", (double)m);
    cJSON *cs = cJSON_AddArrayToObject(p, "counts");
    double row[CB_JSON_PATTERN_COLUMNS];
    for (int c = 0; c < CB_SIZE_CLASSES; c++) {
        for (int k = 0; k < CB_JSON_PATTERN_COLUMNS; k++)
            row[k] = (double)counts[c * CB_JSON_PATTERN_COLUMNS + k];
        cJSON_AddItemToArray(cs, cJSON_CreateDoubleArray(row, CB_JSON_PATTERN_COLUMNS));
    }
    free(counts);
    return 0;
}

int cb_iolog_ranges_json(cJSON *o, const cb_ioreq *v, int64_t n, int64_t file_size)
{
    int64_t m = 0;
    double hi = file_size > 0 ? (double)file_size : 0;
    for (int64_t i = 0; i < n; i++)
        if (v[i].offset >= 0) {
            m++;
            if ((double)(v[i].offset + v[i].size) > hi)
                hi = (double)(v[i].offset + v[i].size); /* a log past the EOF seen at open */
        }
    if (file_size > 0)
        cJSON_AddNumberToObject(o, "file_size", (double)file_size);
    if (m == 0)
        return 0;
    double *off = malloc((size_t)m * sizeof *off), *size = malloc((size_t)m * sizeof *size);
    double *rank = malloc((size_t)m * sizeof *rank), *raw = malloc((size_t)m * sizeof *raw);
    int *cls = malloc((size_t)m * sizeof *cls);
    int rc = -1;
    if (off && size && rank && raw && cls) {
        for (int64_t i = 0, k = 0; i < n; i++)
            if (v[i].offset >= 0) {
                off[k] = (double)v[i].offset;
                size[k] = (double)v[i].size;
                rank[k] = v[i].rank;
                raw[k] = v[i].kind == CB_REQ_DRAW;
                cls[k++] = cb_size_class(v[i].size);
            }
        rc = 0;
        if (m <= CB_JSON_MAX_RANGES) {
            cJSON *r = cJSON_AddObjectToObject(o, "ranges");
            cJSON_AddItemToObject(r, "offset", cJSON_CreateDoubleArray(off, (int)m));
            cJSON_AddItemToObject(r, "size", cJSON_CreateDoubleArray(size, (int)m));
            cJSON_AddItemToObject(r, "rank", cJSON_CreateDoubleArray(rank, (int)m));
            cJSON_AddItemToObject(r, "raw", cJSON_CreateDoubleArray(raw, (int)m));
        } else {
            rc = pattern_json(o, off, size, cls, m, hi);
        }
    }
    free(off);
    free(size);
    free(rank);
    free(raw);
    free(cls);
    return rc;
}

void cb_iolog_text(FILE *f, const cb_iolog_summary *s, int64_t data_bytes)
{
    fprintf(f, "requests:     %lld reads, %.3f MB requested for %.3f MB of data (over-read %.2fx)\n",
            (long long)s->requests, (double)s->bytes / 1e6, (double)data_bytes / 1e6,
            data_bytes > 0 ? (double)s->bytes / (double)data_bytes : 0);
    fprintf(f, "              %lld raw-data reads (%.3f MB), %lld metadata reads (%.3f MB)%s\n",
            (long long)s->data_requests, (double)s->data_bytes / 1e6, (long long)s->meta_requests,
            (double)s->meta_bytes / 1e6, s->lost ? ", some not logged (out of memory)" : "");
    fprintf(f, "sizes:       ");
    for (int c = 0; c < CB_SIZE_CLASSES; c++)
        fprintf(f, " %s %lld%s", cb_size_class_names[c], (long long)s->class_requests[c],
                c + 1 < CB_SIZE_CLASSES ? "," : "\n");
}

int cb_iolog_csv(const char *path, const cb_ioreq *v, int64_t n, cb_err *err)
{
    cb_outfile out;
    if (cb_outfile_open(&out, "--log", path, err) < 0)
        return -1;
    fprintf(out.f, "rank,kind,offset,size,start,end\n");
    for (int64_t i = 0; i < n; i++)
        fprintf(out.f, "%d,%s,%lld,%lld,%.6f,%.6f\n", v[i].rank, v[i].kind == CB_REQ_DRAW ? "raw" : "meta",
                (long long)v[i].offset, (long long)v[i].size, v[i].start, v[i].end);
    return cb_outfile_commit(&out, err); /* a failed write above left the stream's error flag */
}
