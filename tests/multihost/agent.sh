#!/bin/sh
# mpirun's remote shell for tests/multihost/hosts.sh (--mca plm_rsh_agent):
# "ssh HOST CMD" becomes CMD inside HOST's namespace, under HOST's name. Only
# the fixture's own hosts are reachable this way.
host=$1
shift
case "$host" in
cbhost[0-9]*) ;;
*) echo "agent.sh: $host is not a host of tests/multihost/hosts.sh" >&2; exit 255 ;;
esac
exec ip netns exec "$host" unshare --uts sh -c "hostname $host; $*"
