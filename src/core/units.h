/* The units figures are given in. An MB is 10^6 bytes, as in IOR's and fio's
 * MB/s and in the seed test's figures (not MiB). */
#ifndef CHUNKBENCH_UNITS_H
#define CHUNKBENCH_UNITS_H

#define CB_BYTES_PER_MB 1e6
#define CB_MS_PER_S 1e3 /* milliseconds per second */
#define CB_US_PER_S 1e6 /* microseconds per second */

#endif
