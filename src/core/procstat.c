#include "core/procstat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cb_procstat_of(long long pid, cb_procstat *out)
{
    char path[64], buf[1024];
    memset(out, 0, sizeof *out);
    snprintf(path, sizeof path, "/proc/%lld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    /* "pid (comm) state ppid ...": comm may hold spaces and parentheses. */
    char *p = strrchr(buf, ')');
    if (!p || sscanf(p + 1, " %c %lld", &out->state, &out->ppid) != 2)
        return -1;
    p++;
    for (int field = 3; field < 22 && p; field++)
        p = strchr(p + 1, ' ');
    out->start = p ? strtoull(p + 1, NULL, 10) : 0;
    return 0;
}

void cb_boot_id(char *buf, unsigned cap)
{
    buf[0] = 0;
    FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");
    if (!f)
        return;
    if (fgets(buf, (int)cap, f))
        buf[strcspn(buf, "\n")] = 0;
    fclose(f);
}
