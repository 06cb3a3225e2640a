/* Test driver: render_report OUT.html RUN.json[=LABEL]... writes the HTML
 * report of the given JSON runs, as `chunkbench report` will. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_html.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0;) {
        n += got;
        if (n + 1 == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (buf)
        buf[n] = 0;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: render_report OUT.html RUN.json[=LABEL]...\n");
        return 2;
    }
    int n = argc - 2, rc = 1;
    cJSON **runs = calloc((size_t)n, sizeof *runs);
    char **labels = calloc((size_t)n, sizeof *labels);
    for (int i = 0; i < n; i++) {
        char *arg = argv[i + 2], *eq = strrchr(arg, '=');
        if (eq) {
            *eq = 0;
            labels[i] = eq + 1;
        }
        char *text = slurp(arg);
        runs[i] = text ? cJSON_Parse(text) : NULL;
        free(text);
        if (!runs[i]) {
            fprintf(stderr, "render_report: cannot read JSON from %s\n", arg);
            goto out;
        }
    }
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        perror(argv[1]);
        goto out;
    }
    cb_err err = {0};
    rc = cb_html_report(f, runs, (const char *const *)labels, n, &err) < 0;
    if (fclose(f) != 0)
        rc = 1;
    if (rc)
        fprintf(stderr, "render_report: %s\n", err.msg[0] ? err.msg : "write failed");
out:
    for (int i = 0; i < n; i++)
        cJSON_Delete(runs[i]);
    free(runs);
    free(labels);
    return rc;
}
