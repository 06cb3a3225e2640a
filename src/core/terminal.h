/* Does the user see this output on a terminal? Launchers put pipes or ptys
 * between a rank and the user; this looks through them without knowing any
 * launcher by name. */
#ifndef CHUNKBENCH_TERMINAL_H
#define CHUNKBENCH_TERMINAL_H

/* 1 when what is written to fd (this process's stdout or stderr) reaches a
 * terminal, 0 when it goes into a file, a pipe to another program, or
 * cannot be told. */
int cb_fd_reaches_terminal(int fd);

#endif
