/* Pieces shared by the HTML report's sections (html_parts.c). */
#ifndef CHUNKBENCH_HTML_PARTS_H
#define CHUNKBENCH_HTML_PARTS_H

#include <stddef.h>
#include <stdio.h>

#include "report/plotdata.h"

struct cb_hrun;

/* Plot area inside an SVG, in SVG units. */
typedef struct cb_frame {
    double x, y, w, h;
} cb_frame;

/* Number formats: "n/a" for NAN; 3 significant digits without exponent. */
void cb_hfmt_sig(char *buf, size_t size, double v);
void cb_hfmt_count(char *buf, size_t size, double v);
/* Seconds in the unit that suits span, e.g. "0.198 ms". */
void cb_hfmt_dur(char *buf, size_t size, double s, double span);
/* One duration in its own unit: 1.50 ms, 850 us, 2.10 s. */
void cb_hfmt_secs(char *buf, size_t size, double s);

/* Colour of run k of n in comparisons (viridis steps, darkest first). */
cb_rgb cb_run_colour(int k, int n);

/* <svg> opening with a viewBox, a class, data attributes and a title. */
void cb_svg_open(FILE *f, double w, double h, const char *cls, const char *data_attrs, const char *title);
/* Axis along the bottom (x) or the left (y) of p: ticks at values given in
 * scale units, a label under or beside, light grid lines across p. */
void cb_svg_xaxis(FILE *f, const cb_frame *p, const cb_scale *s, const double *ticks, int nt, double step,
                  const char *label, int grid);
void cb_svg_yaxis(FILE *f, const cb_frame *p, const cb_scale *s, const double *ticks, int nt, double step,
                  const char *label, int grid);

/* <section id="name+suffix" class="name"> with an h3 heading. */
void cb_sec_open(FILE *f, const struct cb_hrun *r, const char *name, const char *heading);
void cb_sec_close(FILE *f);

#endif
