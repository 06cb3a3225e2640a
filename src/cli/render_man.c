/* Renders chunkbench(1) from the program's own --help texts, at build time,
 * so the installed man page says what the installed program says. No MPI:
 * it only prints the usage strings. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/config.h"

/* The help text as literal roff lines: backslashes doubled, and a line
 * starting with '.' or '\'' (roff requests) guarded with \&. */
static void put_text(const char *s)
{
    int bol = 1;
    for (; *s; s++) {
        if (bol && (*s == '.' || *s == '\''))
            fputs("\\&", stdout);
        if (*s == '\\')
            fputs("\\e", stdout);
        else
            putchar(*s);
        bol = *s == '\n';
    }
    if (!bol)
        putchar('\n');
}

/* What `chunkbench COMMAND --help` prints (CB_CMD_NONE: the overview). */
static void put_help(cb_cmd cmd)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return;
    cb_config cfg = {.cmd = cmd};
    cb_print_help(f, &cfg);
    fclose(f);
    put_text(text);
    free(text);
}

int main(void)
{
    static const struct {
        cb_cmd cmd;
        const char *name;
    } cmds[] = {
        {CB_CMD_CREATE, "create"}, {CB_CMD_WRITE, "write"},     {CB_CMD_STATUS, "status"},
        {CB_CMD_VERIFY, "verify"}, {CB_CMD_READ, "read"},       {CB_CMD_RUN, "run"},
        {CB_CMD_REPORT, "report"}, {CB_CMD_COMPARE, "compare"},
    };
    printf(".TH CHUNKBENCH 1 \"\" \"chunkbench %s\" \"User Commands\"\n", CB_VERSION_STRING);
    printf(".SH NAME\nchunkbench \\- parallel chunked-dataset write and read benchmark (HDF5, HSDS)\n");
    printf(".SH SYNOPSIS\n.nf\n");
    put_help(CB_CMD_NONE);
    printf(".fi\n.SH COMMANDS\n");
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        printf(".SS %s\n.nf\n", cmds[i].name);
        put_help(cmds[i].cmd);
        printf(".fi\n");
    }
    printf(".SH SEE ALSO\nThe README of the chunkbench sources.\n");
    return 0;
}
