#!/usr/bin/env bash
# The progress line's terminal test, launcher by launcher (CB_MPIEXEC:
# mpirun here, mpiexec.mpich from tests/stacks/test_mpich.sh): on a terminal
# the line is redrawn in place ("\r"), into a file or a pipe it is plain
# lines. `script` gives the run a real terminal (a pty) to write to.
source "$(dirname "$0")/lib.sh"
L=${CB_MPIEXEC:-mpirun}
f=$WORK/p.h5
"$CHUNKBENCH" create "$f" 600 600 --chunk 20,20 -q # 900 tasks
export CHUNKBENCH_PROGRESS_INTERVAL=0.001

# The in-place line: "\rwrite 900/900 tasks ..." (the pty turns \n into \r\n,
# so only a \r followed by the line's text tells).
redrawn() { grep -qa $'\rwrite [0-9]*/900 tasks' "$1"; }
plain() { ! grep -qa $'\r' "$1" && grep -qa '^write [0-9]*/900 tasks' "$1"; }

# The command runs under a shell on the pty, as from a user's prompt (the
# trailing exit keeps the shell from exec'ing the command).
run_on_tty() { # log, command...
    local log=$1; shift
    timeout 120 script -q -e -c "$*; exit \$?" "$log" >/dev/null
}

for np in 1 2; do
    run_on_tty "$WORK/tty$np.log" "$L -n $np $CHUNKBENCH write $f --rewrite" || fail "$L -n $np on a terminal: exit $?"
    redrawn "$WORK/tty$np.log" || fail "$L -n $np on a terminal: the line is not redrawn in place: $(head -c 400 "$WORK/tty$np.log" | od -c | head -8)"

    mpi "$np" "$CHUNKBENCH" write "$f" --rewrite >"$WORK/file$np.log" || fail "$L -n $np into a file"
    plain "$WORK/file$np.log" || fail "$L -n $np into a file: not plain lines: $(od -c "$WORK/file$np.log" | head -8)"

    # A terminal at the end, but a pipe in between: the line goes to `cat`.
    run_on_tty "$WORK/pipe$np.log" "$L -n $np $CHUNKBENCH write $f --rewrite | cat > $WORK/cat$np.log" ||
        fail "$L -n $np | cat: exit $?"
    plain "$WORK/cat$np.log" || fail "$L -n $np | cat: not plain lines: $(od -c "$WORK/cat$np.log" | head -8)"
done

# Without a launcher (a singleton), the same.
run_on_tty "$WORK/tty0.log" "$CHUNKBENCH write $f --rewrite" || fail "singleton on a terminal"
redrawn "$WORK/tty0.log" || fail "singleton on a terminal: the line is not redrawn in place"
"$CHUNKBENCH" write "$f" --rewrite | cat >"$WORK/cat0.log"
plain "$WORK/cat0.log" || fail "singleton | cat: not plain lines"
# -q: no line at all, terminal or not.
run_on_tty "$WORK/q.log" "$L -n 2 $CHUNKBENCH write $f --rewrite -q" || fail "-q on a terminal"
! grep -qa 'tasks .*MB/s' "$WORK/q.log" || fail "-q still prints a progress line"
"$CHUNKBENCH" verify "$f" -q || fail "verify after the runs"
finish
