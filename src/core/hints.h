/* MPI-IO hints: the list a user asks for (--hint KEY=VALUE, --hints-file),
 * the MPI_Info made of it, the list the MPI library reports back for an open
 * file (MPI_File_get_info), and the record of both (text and JSON). No
 * backend in here: the HDF5 backend hands the info to its mpio driver. */
#ifndef CHUNKBENCH_HINTS_H
#define CHUNKBENCH_HINTS_H

#include <cjson/cJSON.h>
#include <mpi.h>
#include <stdio.h>

#include "core/error.h"

typedef struct cb_hint {
    char *key, *value;
} cb_hint;

/* Keys are unique: a later value replaces an earlier one. */
typedef struct cb_hints {
    cb_hint *v;
    int n, cap;
} cb_hints;

/* Add or replace key (checked against MPI_MAX_INFO_KEY / MPI_MAX_INFO_VAL;
 * `what` names where it came from in the error). */
int cb_hints_set(cb_hints *h, const char *key, const char *value, const char *what, cb_err *err);
/* "KEY=VALUE", as --hint takes it. */
int cb_hints_parse_arg(cb_hints *h, const char *arg, cb_err *err);
/* A hints file: "IOR_HINT__MPI__key=value" lines (IOR's) and "key value"
 * lines (ROMIO_HINTS'); '#' comments and blank lines are skipped. An error
 * names the file and line. */
int cb_hints_parse_file(cb_hints *h, const char *path, cb_err *err);
/* The value of key, NULL when absent. */
const char *cb_hints_get(const cb_hints *h, const char *key);
int cb_hints_copy(cb_hints *dst, const cb_hints *src, cb_err *err);
void cb_hints_free(cb_hints *h);

/* A new MPI_Info holding every hint; MPI_INFO_NULL when h is NULL or empty.
 * The caller frees a non-null one (MPI_Info_free). */
int cb_hints_to_info(const cb_hints *h, MPI_Info *info, cb_err *err);
/* Every key and value of info, into *out (emptied first). */
int cb_hints_from_info(MPI_Info info, cb_hints *out, cb_err *err);
/* What the MPI library holds for the open file fh (MPI_File_get_info), into
 * *out. Local. */
int cb_hints_read(MPI_File fh, cb_hints *out, cb_err *err);
/* The same, agreed over comm (collective): every rank returns -1 when any
 * could not read them. A rank that could not get fh passes MPI_FILE_NULL
 * with *err saying why. path names the file in messages. */
int cb_hints_read_all(MPI_File fh, MPI_Comm comm, cb_hints *out, const char *path, cb_err *err);

/* Asked for but absent from the effective list, or with another value there. */
int cb_hint_taken(const cb_hint *asked, const cb_hints *effective);
/* The effective list is the asked one, key for key and value for value:
 * the library may just have echoed it (Open MPI 4.1 does, README). */
int cb_hints_echoed(const cb_hints *asked, const cb_hints *effective);

/* {"asked": {k: v}, "effective": {k: v}, "not_taken": [k...], "echoed": bool}. */
cJSON *cb_hints_json(const cb_hints *asked, const cb_hints *effective);
/* "hints:        asked k=v, ...; effective k=v, ...; not taken: k, ..." */
void cb_hints_text(FILE *f, const cb_hints *asked, const cb_hints *effective);

#endif
