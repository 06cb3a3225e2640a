#include "core/secrets.h"

#include <ctype.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Warnings go out once per file and process, from one rank only. */
static int warned_before(const char *path)
{
    static char seen[8][512];
    static int nseen;
    for (int i = 0; i < nseen; i++)
        if (!strcmp(seen[i], path))
            return 1;
    if (nseen < 8)
        snprintf(seen[nseen++], sizeof seen[0], "%s", path);
    return 0;
}

static int rank0(void)
{
    int on = 0, rank = 0;
    MPI_Initialized(&on);
    if (on)
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    return rank == 0;
}

int cb_secret_file_check(const char *path, const char *holds, cb_err *err)
{
    struct stat sb;
    if (!path || stat(path, &sb) != 0)
        return 0;
    unsigned mode = (unsigned)sb.st_mode & 0777;
    if (mode & (S_IWGRP | S_IWOTH))
        return cb_fail(err, CB_EUSAGE,
                       "%s holds %s and other users may change it (mode %04o): they could point chunkbench at "
                       "their own server and collect the secret; make it yours alone: chmod 600 %s",
                       path, holds, mode, path);
    if ((mode & (S_IRGRP | S_IROTH)) && !warned_before(path) && rank0())
        fprintf(stderr, "chunkbench: warning: %s holds %s and other users may read it (mode %04o): chmod 600 %s\n",
                path, holds, mode, path);
    return 0;
}

/* The authority part of url: [start, end). */
static const char *authority(const char *url, const char **end)
{
    const char *s = strstr(url, "://");
    s = s ? s + 3 : url;
    *end = s + strcspn(s, "/?#");
    return s;
}

int cb_url_has_userinfo(const char *url)
{
    const char *end, *a = authority(url, &end);
    const char *at = memchr(a, '@', (size_t)(end - a));
    return at != NULL;
}

void cb_url_safe(const char *url, char *buf, size_t cap)
{
    const char *end, *a = authority(url, &end);
    const char *at = NULL;
    for (const char *p = a; p < end; p++)
        if (*p == '@')
            at = p; /* the last one: a password may hold '@' */
    if (at)
        snprintf(buf, cap, "%.*s%s", (int)(a - url), url, at + 1);
    else
        snprintf(buf, cap, "%s", url);
}

int cb_ca_bundle(const char *given, const char **path, const char **from, cb_err *err)
{
    static const char *const vars[] = {"REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"};
    *path = NULL;
    *from = NULL;
    if (given && *given) {
        *path = given;
        *from = "--ca-file";
    }
    for (int i = 0; !*path && i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) {
            *path = v;
            *from = vars[i];
        }
    }
    if (*path && access(*path, R_OK) != 0)
        return cb_fail(err, CB_EUSAGE, "the CA bundle %s (%s) cannot be read: give a PEM file of the CA's certificate",
                       *path, *from);
    return 0;
}

char *cb_trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}
