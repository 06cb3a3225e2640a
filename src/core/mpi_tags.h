/* Every MPI message tag of the project, in one place, so no two protocols
 * share one by accident. Collectives and one-sided calls take none. */
#ifndef CHUNKBENCH_MPI_TAGS_H
#define CHUNKBENCH_MPI_TAGS_H

enum {
    /* core/clock.c: rank 0 estimates each rank's clock offset by ping-pong. */
    CB_TAG_CLOCK_PING = 77,   /* rank 0 -> peer: rank 0's time */
    CB_TAG_CLOCK_PONG = 78,   /* peer -> rank 0: the peer's time */
    CB_TAG_CLOCK_OFFSET = 79, /* rank 0 -> peer: the peer's estimated offset */
};

#endif
