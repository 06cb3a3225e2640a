/* The program's version, for every layer (the user agent, stored metadata). */
#ifndef CHUNKBENCH_VERSION_H
#define CHUNKBENCH_VERSION_H

#define CB_VERSION_STRING "0.1.0"

#endif
