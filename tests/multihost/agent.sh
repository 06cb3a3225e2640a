#!/bin/sh
# mpirun's remote shell for tests/multihost/hosts.sh (--mca plm_rsh_agent):
# "ssh HOST CMD" becomes CMD inside HOST's namespace, under HOST's name. Only
# the fixture's own hosts are reachable this way.
# MH_FAKE_CLOCK="HOST LIB OFFSET" runs HOST's processes (its orted and ranks)
# with libfaketime LIB preloaded and the wall clock OFFSET away (FAKETIME
# syntax, e.g. +30): a host whose clock differs. The monotonic clock stays
# true, so MPI's own timers are unaffected.
host=$1
shift
case "$host" in
cbhost[0-9]*) ;;
*) echo "agent.sh: $host is not a host of tests/multihost/hosts.sh" >&2; exit 255 ;;
esac
cmd="hostname $host; $*"
if [ -n "${MH_FAKE_CLOCK:-}" ]; then
    # shellcheck disable=SC2086 # HOST LIB OFFSET, split on purpose
    set -- $MH_FAKE_CLOCK
    if [ "$1" = "$host" ]; then
        exec ip netns exec "$host" unshare --uts env LD_PRELOAD="$2" FAKETIME="$3" DONT_FAKE_MONOTONIC=1 sh -c "$cmd"
    fi
fi
exec ip netns exec "$host" unshare --uts sh -c "$cmd"
