#include "core/iolog.h"

#include "core/grow.h"
#include "report/plotdata.h"
#include "core/units.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *const cb_size_class_names[CB_SIZE_CLASSES] = {"<1KB", "1KB-10KB", "10KB-100KB", ">100KB"};

void cb_iolog_add(cb_iolog *log, int64_t offset, int64_t size, double start, double end, int kind)
{
    cb_ioreq *p = cb_grow(log->v, &log->cap, log->n + 1, sizeof *p, 4096);
    if (!p) {
        log->lost++; /* losing a record must not fail the read being measured */
        return;
    }
    log->v = p;
    log->v[log->n++] = (cb_ioreq){offset, size, start, end, log->rank, kind};
}

void cb_iolog_free(cb_iolog *log)
{
    free(log->v);
    memset(log, 0, sizeof *log);
}

int cb_size_class(int64_t size)
{
    /* pandas.cut(bins=[0, 1K, 10K, 100K, inf]) is right-closed: 1024 is "< 1KB". */
    if (size <= 1024) return 0;
    if (size <= 10 * 1024) return 1;
    if (size <= 100 * 1024) return 2;
    return 3;
}

void cb_iolog_summarize(const cb_ioreq *v, int64_t n, int64_t lost, cb_iolog_summary *s)
{
    memset(s, 0, sizeof *s);
    s->lost = lost;
    double busy_end = 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t z = v[i].size;
        s->requests++;
        s->bytes += z;
        if (v[i].kind == CB_REQ_DRAW) {
            s->data_requests++;
            s->data_bytes += z;
        } else {
            s->meta_requests++;
            s->meta_bytes += z;
        }
        int c = cb_size_class(z);
        s->class_requests[c]++;
        s->class_bytes[c] += z;
        if (i == 0 || z < s->min_size) s->min_size = z;
        if (z > s->max_size) s->max_size = z;
        /* Only what sticks out past the rank's busy interval so far counts. */
        if (i == 0 || v[i].rank != v[i - 1].rank || v[i].start >= busy_end) {
            s->busy_s += v[i].end - v[i].start;
            busy_end = v[i].end;
        } else if (v[i].end > busy_end) {
            s->busy_s += v[i].end - busy_end;
            busy_end = v[i].end;
        }
    }
}

static int cmp_extent(const void *a, const void *b)
{
    const cb_extent *x = a, *y = b;
    return (x->offset > y->offset) - (x->offset < y->offset);
}

void cb_iolog_classify(cb_ioreq *v, int64_t n, cb_extent *ext, int64_t *next)
{
    int64_t m = 0;
    if (*next > 0) {
        qsort(ext, (size_t)*next, sizeof *ext, cmp_extent);
        for (int64_t i = 0; i < *next; i++) {
            if (ext[i].size <= 0)
                continue;
            /* Chunks side by side make one range: a read may span them. */
            if (m && ext[i].offset <= ext[m - 1].offset + ext[m - 1].size) {
                int64_t end = ext[i].offset + ext[i].size;
                if (end > ext[m - 1].offset + ext[m - 1].size)
                    ext[m - 1].size = end - ext[m - 1].offset;
            } else {
                ext[m++] = ext[i];
            }
        }
    }
    *next = m;
    for (int64_t i = 0; i < n; i++) {
        /* The last range starting at or before the request. */
        int64_t lo = 0, hi = m;
        while (lo < hi) {
            int64_t mid = lo + (hi - lo) / 2;
            if (ext[mid].offset <= v[i].offset)
                lo = mid + 1;
            else
                hi = mid;
        }
        int inside = lo > 0 && v[i].offset + v[i].size <= ext[lo - 1].offset + ext[lo - 1].size;
        v[i].kind = inside ? CB_REQ_DRAW : CB_REQ_META;
    }
}

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
    int64_t *counts = NULL;
    int rc = -1;
    if (!off || !size || !rank || !raw || !cls)
        goto out;
    for (int64_t i = 0, k = 0; i < n; i++)
        if (v[i].offset >= 0) {
            off[k] = (double)v[i].offset;
            size[k] = (double)v[i].size;
            rank[k] = v[i].rank;
            raw[k] = v[i].kind == CB_REQ_DRAW;
            cls[k++] = cb_size_class(v[i].size);
        }
    if (m <= CB_JSON_MAX_RANGES) {
        cJSON *r = cJSON_AddObjectToObject(o, "ranges");
        cJSON_AddItemToObject(r, "offset", cJSON_CreateDoubleArray(off, (int)m));
        cJSON_AddItemToObject(r, "size", cJSON_CreateDoubleArray(size, (int)m));
        cJSON_AddItemToObject(r, "rank", cJSON_CreateDoubleArray(rank, (int)m));
        cJSON_AddItemToObject(r, "raw", cJSON_CreateDoubleArray(raw, (int)m));
    } else {
        if (!(counts = malloc((size_t)CB_SIZE_CLASSES * CB_JSON_PATTERN_COLUMNS * sizeof *counts)))
            goto out;
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
    }
    rc = 0;
out:
    free(off);
    free(size);
    free(rank);
    free(raw);
    free(cls);
    free(counts);
    return rc;
}

void cb_iolog_text(FILE *f, const cb_iolog_summary *s, int64_t data_bytes)
{
    fprintf(f, "requests:     %lld reads, %.3f MB requested for %.3f MB of data (over-read %.2fx)\n",
            (long long)s->requests, (double)s->bytes / CB_BYTES_PER_MB, (double)data_bytes / CB_BYTES_PER_MB,
            data_bytes > 0 ? (double)s->bytes / (double)data_bytes : 0);
    fprintf(f, "              %lld raw-data reads (%.3f MB), %lld metadata reads (%.3f MB)%s\n",
            (long long)s->data_requests, (double)s->data_bytes / CB_BYTES_PER_MB, (long long)s->meta_requests,
            (double)s->meta_bytes / CB_BYTES_PER_MB, s->lost ? ", some not logged (out of memory)" : "");
    fprintf(f, "sizes:       ");
    for (int c = 0; c < CB_SIZE_CLASSES; c++)
        fprintf(f, " %s %lld%s", cb_size_class_names[c], (long long)s->class_requests[c],
                c + 1 < CB_SIZE_CLASSES ? "," : "\n");
}

int cb_iolog_csv(const char *path, const cb_ioreq *v, int64_t n, cb_err *err)
{
    FILE *f = !strcmp(path, "-") ? stdout : fopen(path, "w");
    if (!f)
        return cb_fail(err, CB_EIO, "cannot write %s: %s", path, strerror(errno));
    fprintf(f, "rank,kind,offset,size,start,end\n");
    for (int64_t i = 0; i < n; i++)
        fprintf(f, "%d,%s,%lld,%lld,%.6f,%.6f\n", v[i].rank, v[i].kind == CB_REQ_DRAW ? "raw" : "meta",
                (long long)v[i].offset, (long long)v[i].size, v[i].start, v[i].end);
    int bad = ferror(f);
    if (f != stdout)
        bad |= fclose(f) != 0;
    else
        fflush(f);
    return bad ? cb_fail(err, CB_EIO, "cannot write %s", path) : 0;
}
