#include "report/json_stream.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

__extension__ typedef unsigned __int128 u128;

/* ---- numbers ---- */

static int print_int(char *buf, long long v)
{
    char tmp[24];
    int n = 0, neg = v < 0;
    unsigned long long u = neg ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do
        tmp[n++] = (char)('0' + u % 10);
    while (u /= 10);
    int len = 0;
    if (neg)
        buf[len++] = '-';
    while (n)
        buf[len++] = tmp[--n];
    buf[len] = 0;
    return len;
}

/* The exact decimal value of d > 0 (finite): digits (most significant first,
 * no leading zeros) times 10^(-*k). 0 when the digits need more than 128
 * bits: the caller falls back to snprintf. */
static int exact_digits(double d, char dig[48], int *k)
{
    int e2;
    double m = frexp(d, &e2);
    uint64_t M = (uint64_t)ldexp(m, 53); /* exact: d = M * 2^(e2-53) */
    e2 -= 53;
    if (M == 0)
        return 0;
    int tz = __builtin_ctzll(M);
    M >>= tz;
    e2 += tz;
    int mbits = 64 - __builtin_clzll(M);
    u128 N;
    if (e2 >= 0) {
        if (mbits + e2 > 127)
            return 0;
        N = (u128)M << e2;
        *k = 0;
    } else {
        /* d = M * 5^-e2 / 10^-e2 */
        int kk = -e2;
        if (kk > 55 || mbits + (int)(kk * 2.321928094887362) + 1 > 127)
            return 0;
        static u128 pow5[56];
        if (!pow5[0]) {
            pow5[0] = 1;
            for (int i = 1; i < 56; i++)
                pow5[i] = pow5[i - 1] * 5;
        }
        N = M * pow5[kk];
        *k = kk;
    }
    /* Base 10^19 limbs, then each limb's digits (64-bit arithmetic). */
    const uint64_t e19 = 10000000000000000000ull;
    uint64_t limb[3];
    int nl = 0;
    while (N > UINT64_MAX) { /* at most twice */
        u128 q = N / e19;
        limb[nl++] = (uint64_t)(N - q * e19);
        N = q;
    }
    limb[nl++] = (uint64_t)N;
    char tmp[24];
    int n = 0, t = 0;
    uint64_t r = limb[nl - 1];
    do
        tmp[t++] = (char)('0' + r % 10);
    while (r /= 10);
    while (t)
        dig[n++] = tmp[--t];
    /* Two digits a step: this loop is most of the time of a streamed status. */
    static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                                "25262728293031323334353637383940414243444546474849"
                                "50515253545556575859606162636465666768697071727374"
                                "75767778798081828384858687888990919293949596979899";
    for (int l = nl - 2; l >= 0; l--) {
        r = limb[l];
        for (int i = 17; i >= 1; i -= 2, r /= 100)
            memcpy(dig + n + i, pairs + 2 * (r % 100), 2);
        dig[n] = (char)('0' + r);
        n += 19;
    }
    return n;
}

/* d's exact digits (D of them, / 10^k) rounded to prec significant digits
 * r[0..prec-1] as the C library rounds (to nearest, ties to even); the
 * decimal exponent of r[0] is returned. */
static int round_digits(char r[24], int prec, const char *dig, int D, int k)
{
    int X = D - 1 - k;
    for (int i = 0; i < prec; i++)
        r[i] = i < D ? dig[i] : '0';
    if (D > prec) {
        int up = dig[prec] > '5';
        if (dig[prec] == '5') {
            int rest = 0;
            for (int i = prec + 1; i < D && !rest; i++)
                rest = dig[i] != '0';
            up = rest || (r[prec - 1] - '0') % 2;
        }
        int i = prec - 1;
        for (; up && i >= 0; i--) {
            if (r[i] == '9') {
                r[i] = '0';
            } else {
                r[i]++;
                up = 0;
            }
        }
        if (up) { /* 999.. -> 1000.. */
            r[0] = '1';
            for (int j = 1; j < prec; j++)
                r[j] = '0';
            X++;
        }
    }
    return X;
}

/* snprintf(buf, 32, "%1.*g", prec, d) for finite d != 0, from its digits
 * rounded by round_digits. */
static int exact_g(char *buf, double d, int prec, const char *r, int X)
{
    int last = prec - 1; /* the last significant digit kept: %g drops trailing zeros */
    char *o = buf;
    if (d < 0)
        *o++ = '-';
    if (X < -4 || X >= prec) {
        while (last > 0 && r[last] == '0')
            last--;
        *o++ = r[0];
        if (last > 0) {
            *o++ = '.';
            memcpy(o, r + 1, (size_t)last);
            o += last;
        }
        *o++ = 'e';
        *o++ = X < 0 ? '-' : '+';
        int ax = X < 0 ? -X : X;
        if (ax < 10)
            *o++ = '0';
        o += print_int(o, ax);
    } else if (X >= 0) {
        while (last > X && r[last] == '0')
            last--;
        memcpy(o, r, (size_t)X + 1);
        o += X + 1;
        if (last > X) {
            *o++ = '.';
            memcpy(o, r + X + 1, (size_t)(last - X));
            o += last - X;
        }
    } else {
        while (last > 0 && r[last] == '0')
            last--;
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -X - 1; i++)
            *o++ = '0';
        memcpy(o, r, (size_t)last + 1);
        o += last + 1;
    }
    *o = 0;
    return (int)(o - buf);
}

/* The double nearest to the decimal r[0..prec-1] * 10^(X-prec+1), which is
 * what strtod reads from exact_g's text, when one IEEE operation gives it
 * correctly rounded (Clinger's fast path: the integer and the power of ten
 * both exact in a double); 0 otherwise. */
static int fast_value(const char *r, int prec, int X, int neg, double *v)
{
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
#if FLT_EVAL_METHOD != 0
    (void)r, (void)prec, (void)X, (void)neg, (void)v;
    return 0; /* extended precision in between: not one rounding */
#else
    uint64_t R = 0;
    for (int i = 0; i < prec; i++)
        R = R * 10 + (uint64_t)(r[i] - '0');
    if (R > (1ull << 53))
        return 0;
    int e = X - prec + 1;
    if (e > 22 || e < -22)
        return 0;
    double m = (double)R;
    *v = e >= 0 ? m * p10[e] : m / p10[-e];
    if (neg)
        *v = -*v;
    return 1;
#endif
}

/* cJSON's compare_double: equal within DBL_EPSILON, relative. */
static int near(double a, double b)
{
    double max = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= max * DBL_EPSILON;
}

int cb_json_number(char *buf, double d)
{
    if (isnan(d) || isinf(d)) {
        strcpy(buf, "null");
        return 4;
    }
    if (d == 0 && signbit(d)) { /* "-0" or "0" by cJSON's version: ask it */
        cJSON n = {.type = cJSON_Number, .valuedouble = d, .valueint = 0};
        cJSON_PrintPreallocated(&n, buf, 32, 0);
        return (int)strlen(buf);
    }
    /* An int prints as its digits ("%1.15g" and newer cJSON's "%d" agree). */
    int vi = d >= INT_MAX ? INT_MAX : d <= (double)INT_MIN ? INT_MIN : (int)d;
    if (d == (double)vi)
        return print_int(buf, vi);
    char dig[48], r[24];
    int k = 0, D = exact_digits(fabs(d), dig, &k);
    if (!D) {
        int n = snprintf(buf, 32, "%1.15g", d);
        if (!near(strtod(buf, NULL), d))
            n = snprintf(buf, 32, "%1.17g", d);
        return n;
    }
    int X = round_digits(r, 15, dig, D, k);
    double back;
    int fast = fast_value(r, 15, X, d < 0, &back);
    if (!fast || near(back, d)) {
        int n = exact_g(buf, d, 15, r, X);
        if (fast || near(strtod(buf, NULL), d))
            return n;
    }
    X = round_digits(r, 17, dig, D, k);
    return exact_g(buf, d, 17, r, X);
}

/* ---- the document ---- */

enum { NCOLS = 8 }; /* start, done, status, x, y, nrow, ncol, writer: report.c's task_list */

static double column_value(const cb_task *t, int c)
{
    switch (c) {
    case 0: return t->start;
    case 1: return t->done;
    case 2: return t->status;
    case 3: return t->x;
    case 4: return t->y;
    case 5: return t->nrow;
    default: return t->ncol;
    }
}

int cb_json_stream(FILE *f, const cJSON *doc, const cb_table *tab, const cb_summary *s)
{
    char *text = cJSON_Print(doc);
    if (!text)
        return -1;
    /* The lazy task_list holds one raw marker per column (a byte cJSON
     * escapes in every string, so found nowhere else): each becomes the
     * column's numbers, as cJSON prints an array's items. */
    enum { CAP = 1 << 16 };
    char *buf = malloc(CAP);
    if (!buf) {
        cJSON_free(text);
        return -1;
    }
    const char *at = text;
    int col = 0;
    for (const char *m; (m = strchr(at, CB_JSON_COLUMN_MARK[0])) != NULL; at = m + 1, col++) {
        fwrite(at, 1, (size_t)(m - at), f);
        size_t len = 0;
        for (int64_t i = 0; i < tab->ntasks && col < NCOLS; i++) {
            const cb_task *t = &tab->tasks[i];
            double v = col < NCOLS - 1 ? column_value(t, col) : (double)cb_report_writer_index(s, t->pod);
            if (len > CAP - 64) {
                fwrite(buf, 1, len, f);
                len = 0;
            }
            if (i) { /* cJSON's separator in a formatted array */
                buf[len++] = ',';
                buf[len++] = ' ';
            }
            len += (size_t)cb_json_number(buf + len, v);
        }
        fwrite(buf, 1, len, f);
    }
    fputs(at, f);
    fputc('\n', f);
    free(buf);
    cJSON_free(text);
    return 0;
}
