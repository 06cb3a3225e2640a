/* The command-line options: one table, one row per option, and the walker
 * that parses argv with it. --help, the "does not apply" errors and the
 * README's option list are all printed from the same rows. */
#ifndef CHUNKBENCH_OPTIONS_H
#define CHUNKBENCH_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/config.h"

/* Which commands accept an option: a bit per cb_cmd. */
#define CB_IN(c) (1u << (c))
#define CB_IN_CREATE CB_IN(CB_CMD_CREATE)
#define CB_IN_WRITE CB_IN(CB_CMD_WRITE)
#define CB_IN_STATUS CB_IN(CB_CMD_STATUS)
#define CB_IN_VERIFY CB_IN(CB_CMD_VERIFY)
#define CB_IN_RUN CB_IN(CB_CMD_RUN)
#define CB_IN_REPORT CB_IN(CB_CMD_REPORT)
#define CB_IN_COMPARE CB_IN(CB_CMD_COMPARE)
#define CB_IN_READ CB_IN(CB_CMD_READ)
#define CB_IN_ALL                                                                                                 \
    (CB_IN_CREATE | CB_IN_WRITE | CB_IN_STATUS | CB_IN_VERIFY | CB_IN_RUN | CB_IN_REPORT | CB_IN_COMPARE |      \
     CB_IN_READ)

typedef enum {
    CB_ARG_FLAG,   /* no value: sets an int to 1 */
    CB_ARG_INT,    /* a whole number in [lo, hi] */
    CB_ARG_SIZE,   /* bytes in [lo, hi], K/M/G suffixes (binary) */
    CB_ARG_REAL,   /* a finite number in [rlo, rhi] */
    CB_ARG_TEXT,   /* a string, kept as given (a path, a URL, a name) */
    CB_ARG_CHOICE, /* one name of `choices`, stored as its value */
    CB_ARG_LIST,   /* comma-separated whole numbers in [lo, hi], one per int64_t of the field */
    CB_ARG_PAIR,   /* KEY=VALUE, repeatable: appended to a cb_texts field */
    CB_ARG_TEXTS,  /* a string, repeatable: appended to a cb_texts field in the order given */
} cb_arg_kind;

typedef struct cb_choice {
    const char *name;
    int value;
    unsigned cmds; /* commands that take this choice; 0: every command of the option */
    int alias;     /* accepted, but not listed in help or errors */
} cb_choice;

typedef struct cb_option {
    const char *name; /* long name, without the dashes */
    char short_name;  /* 0: none */
    cb_arg_kind kind;
    unsigned cmds;    /* CB_IN_* of the commands that accept it */
    size_t at, size;  /* the cb_config field it sets (CB_FIELD) */
    size_t given_at;  /* an int of cb_config set to 1 when given; 0: none (offset 0 is cmd) */
    const char *arg;  /* the value's name in help (LIST: its parts, "ROWS,COLS") */
    const char *help; /* one paragraph; --help wraps it */
    int64_t lo, hi;   /* INT, SIZE, LIST */
    double rlo, rhi;  /* REAL */
    const cb_choice *choices; /* CHOICE: ended by a row with a NULL name */
    int ends;         /* answered by itself (help, version): the parse stops here */
} cb_option;

#define CB_FIELD(m) .at = offsetof(cb_config, m), .size = sizeof(((cb_config *)0)->m)

/* What the walker saw, by row: the value given (flags: their name; NULL: not
 * given). For the repeat check and the rules between options (cli.c). */
typedef struct cb_opt_seen {
    const char *value[64];
} cb_opt_seen;

/* Start values of every field an option sets (the defaults --help names). */
void cb_options_defaults(cb_config *cfg);

/* Parse argv[first..argc) for cfg->cmd: options into cfg, positional
 * arguments in order into pos (room for argc entries), their count into
 * *npos. "--" ends the options; so does one that `ends` (--help). */
int cb_options_parse(int argc, char **argv, int first, cb_config *cfg, char **pos, int *npos, cb_opt_seen *seen,
                     cb_err *err);

/* Whether the option `name` (long name) was given. */
int cb_option_given(const cb_opt_seen *seen, const char *name);

/* The options of cmd, one per line, as --help shows them. */
void cb_options_help(FILE *out, cb_cmd cmd);
/* Every row as a Markdown table (the README's option list). */
void cb_options_markdown(FILE *out);
/* Every row, tab-separated: name, short, kind, commands, argument, a valid sample value (for tests). */
void cb_options_tsv(FILE *out);

/* Strict whole number: all of s, in [lo, hi]; K/M/G (binary) when sized. */
int cb_parse_int(const char *what, const char *s, int64_t lo, int64_t hi, int sized, int64_t *out, cb_err *err);

#endif
