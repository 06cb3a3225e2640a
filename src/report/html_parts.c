/* Pieces every section of the HTML report uses: escaping, number formats,
 * run colours, section frames and SVG axes. Shared by report_html.c,
 * report_svg.c and report_reads.c, which do not call each other's. */
#include "report/html_parts.h"

#include <math.h>

#include "report/report_html.h"
#include "report/report_html_int.h"

void cb_html_escape(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*s, out);
        }
    }
}

void cb_hfmt_sig(char *buf, size_t size, double v)
{
    if (!isfinite(v)) {
        snprintf(buf, size, "n/a");
        return;
    }
    int d = v == 0 ? 0 : 2 - (int)floor(log10(fabs(v)));
    d = d < 0 ? 0 : d > 9 ? 9 : d;
    snprintf(buf, size, "%.*f", d, v);
}

void cb_hfmt_count(char *buf, size_t size, double v)
{
    if (!isfinite(v)) {
        snprintf(buf, size, "n/a");
        return;
    }
    if (fabs(v) >= 1e15) { /* no count is this big: do not group 300 digits */
        snprintf(buf, size, "%.3g", v);
        return;
    }
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%.0f", fabs(v));
    size_t o = 0;
    if (v < 0 && o + 1 < size)
        buf[o++] = '-';
    for (int i = 0; i < n && o + 1 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0 && o + 2 < size)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = 0;
}

void cb_hfmt_dur(char *buf, size_t size, double s, double span)
{
    if (!isfinite(s)) {
        snprintf(buf, size, "n/a");
        return;
    }
    cb_time_unit u = cb_time_unit_for(span);
    char v[32];
    cb_hfmt_sig(v, sizeof v, s * u.factor);
    snprintf(buf, size, "%s %s", v, u.name);
}

/* Axis units switch at 2 ms and 2 s; a lone value reads better switching at
 * 1 ms and 1 s, which is the axis rule applied to twice the value. */
void cb_hfmt_secs(char *buf, size_t size, double s) { cb_hfmt_dur(buf, size, s, 2 * fabs(s)); }

cb_rgb cb_run_colour(int k, int n) { return cb_viridis(n < 2 ? 0.3 : 0.12 + 0.7 * k / (n - 1)); }

void cb_sec_open(FILE *f, const cb_hrun *r, const char *name, const char *heading)
{
    fprintf(f, "<section id=\"%s%s\" class=\"%s\" data-run=\"%d\">\n<h3>%s</h3>\n", name, r->suffix, name,
            r->index + 1, heading);
}

void cb_sec_close(FILE *f) { fputs("</section>\n", f); }

void cb_svg_open(FILE *f, double w, double h, const char *cls, const char *data_attrs, const char *title)
{
    fprintf(f, "<svg viewBox=\"0 0 %g %g\" width=\"%g\" height=\"%g\" class=\"%s\" %s role=\"img\" aria-label=\"", w,
            h, w, h, cls, data_attrs ? data_attrs : "");
    cb_html_escape(f, title);
    fputs("\">\n", f);
}

static void tick_label(char *buf, size_t size, double v, double step)
{
    if (step > 0)
        cb_fmt_tick(buf, size, v, step);
    else
        snprintf(buf, size, "%g", v); /* log axis: 0.001, 0.02, 5, 100 */
}

void cb_svg_xaxis(FILE *f, const cb_frame *p, const cb_scale *s, const double *ticks, int nt, double step,
                  const char *label, int grid)
{
    double yb = p->y + p->h;
    fprintf(f, "<g class=\"axis x\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", p->x, yb,
            p->x + p->w, yb);
    for (int i = 0; i < nt; i++) {
        double x = cb_scale_map(s, ticks[i]);
        char b[48];
        tick_label(b, sizeof b, ticks[i], step);
        if (grid)
            fprintf(f, "<line class=\"gl\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x, p->y, x, yb);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/><text x=\"%.1f\" y=\"%.1f\" "
                   "text-anchor=\"middle\">%s</text>\n",
                x, yb, x, yb + 5, x, yb + 18, b);
    }
    fprintf(f, "<text class=\"title\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", p->x + p->w / 2, yb + 38);
    cb_html_escape(f, label);
    fputs("</text></g>\n", f);
}

void cb_svg_yaxis(FILE *f, const cb_frame *p, const cb_scale *s, const double *ticks, int nt, double step,
                  const char *label, int grid)
{
    fprintf(f, "<g class=\"axis y\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", p->x, p->y, p->x,
            p->y + p->h);
    for (int i = 0; i < nt; i++) {
        double y = cb_scale_map(s, ticks[i]);
        char b[48];
        tick_label(b, sizeof b, ticks[i], step);
        if (grid)
            fprintf(f, "<line class=\"gl\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", p->x, y, p->x + p->w,
                    y);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/><text x=\"%.1f\" y=\"%.1f\" "
                   "text-anchor=\"end\">%s</text>\n",
                p->x - 5, y, p->x, y, p->x - 8, y + 4, b);
    }
    if (label && *label) {
        double cx = p->x - 58, cy = p->y + p->h / 2;
        fprintf(f, "<text class=\"title\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                   "transform=\"rotate(-90 %.1f %.1f)\">",
                cx, cy, cx, cy);
        cb_html_escape(f, label);
        fputs("</text>", f);
    }
    fputs("</g>\n", f);
}

