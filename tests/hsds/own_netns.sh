# Sourced by a test script: cb_own_netns "$0" "$@" runs the script again in a
# network namespace of its own (loopback only) and exits with its status.
# HSDS binds fixed ports (5101, 6101-6102), so two servers on one loopback
# collide; in its own namespace the HSDS test shares no port with the other
# tests and ctest runs it beside them (tests/CMakeLists.txt, CB_OWN_NETNS=1).
# PyPI is reachable only from the host's namespace: the venv is made first.
# Without CB_OWN_NETNS the script runs where it is.
cb_own_netns() {
    [ "${CB_OWN_NETNS:-0}" = 1 ] || return 0
    [ -z "${CB_NETNS_INNER:-}" ] || return 0
    local ns=cbtest$$ rc
    ip netns add "$ns" || { echo "FAIL: cannot make the network namespace $ns (ip netns add); configure without it: CB_OWN_NETNS is set by cmake when root can"; exit 1; }
    trap 'ip netns del '"$ns"' 2>/dev/null' EXIT
    ip netns exec "$ns" ip link set lo up
    "$CB_SRC/scripts/hsds_up.sh" --install-only >/dev/null || { echo "FAIL: the HSDS venv could not be made"; exit 1; }
    CB_NETNS_INNER=$ns ip netns exec "$ns" bash "$@"
    rc=$?
    exit $rc
}
