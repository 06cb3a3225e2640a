/* Credentials kept where only their owner sees them: files that hold
 * secrets (.hscfg, ~/.aws/credentials) checked for who else may read or
 * change them, URLs checked for a user:password@ part, and the CA bundle
 * that TLS connections trust, found the way curl and h5pyd users expect. */
#ifndef CHUNKBENCH_SECRETS_H
#define CHUNKBENCH_SECRETS_H

#include <stddef.h>

#include "core/error.h"

/* path holds `holds` (e.g. "the HSDS password"). A missing file is fine (0).
 * Writable by group or others: refused (CB_EUSAGE), because whoever can
 * change it can point chunkbench elsewhere and collect the secret; readable
 * by group or others: one warning line on stderr (rank 0 of MPI_COMM_WORLD,
 * once per path), both with the fix (chmod 600). */
int cb_secret_file_check(const char *path, const char *holds, cb_err *err);

/* s without its leading and trailing white space, in place: for the
 * `key = value` lines of the settings files above (.hscfg, AWS files). */
char *cb_trim(char *s);

/* Does url (scheme://[userinfo@]host...) carry a userinfo part? */
int cb_url_has_userinfo(const char *url);

/* url without its userinfo part, fit for messages. */
void cb_url_safe(const char *url, char *buf, size_t cap);

/* The CA bundle TLS connections trust: `given` (--ca-file), else
 * REQUESTS_CA_BUNDLE (h5pyd's requests), CURL_CA_BUNDLE (curl), SSL_CERT_FILE
 * (OpenSSL), else NULL (libcurl's built-in bundle). *from names the source.
 * A named file that cannot be read is an error naming the source. */
int cb_ca_bundle(const char *given, const char **path, const char **from, cb_err *err);

#endif
