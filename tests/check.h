/* The one check helper of the C tests (see tests/README.md): CHECK keeps going
 * after a failure (so one run shows every broken case), CHECK_NEAR compares
 * doubles within a tolerance, and `return CHECK_DONE();` ends main with the
 * count and the exit code. */
#ifndef CHUNKBENCH_TEST_CHECK_H
#define CHUNKBENCH_TEST_CHECK_H

#include <math.h>
#include <stdio.h>

static int check_failures, check_count;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        check_count++;                                                               \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            check_failures++;                                                        \
        }                                                                            \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                                             \
    do {                                                                                                  \
        double check_a_ = (a), check_b_ = (b);                                                            \
        check_count++;                                                                                    \
        if (!(fabs(check_a_ - check_b_) <= (tol))) {                                                      \
            fprintf(stderr, "%s:%d: CHECK_NEAR failed: %s = %.17g, %s = %.17g\n", __FILE__, __LINE__, #a, \
                    check_a_, #b, check_b_);                                                              \
            check_failures++;                                                                             \
        }                                                                                                 \
    } while (0)

#define CHECK_DONE()                                                                         \
    (fprintf(check_failures ? stderr : stdout, "%d of %d checks failed\n", check_failures, \
             check_count),                                                                 \
     check_failures != 0)

#endif
