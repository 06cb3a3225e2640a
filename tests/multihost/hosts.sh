#!/usr/bin/env bash
# Several hosts on one machine, for MPI runs across hosts over plain TCP.
#
# Each host is a network namespace (cbhost1, cbhost2, ...) with `lo` up and
# one veth into a bridge that lives in its own namespace (cbhost-sw); the
# addresses are on a private subnet (MH_SUBNET.0/24, default 10.167.213) that
# exists only inside these namespaces. Host names resolve through
# /etc/netns/<host>/hosts, which `ip netns exec` shows as /etc/hosts inside
# the namespace only, so the machine's own /etc/hosts is never touched.
# Processes get their host's name from a UTS namespace of their own. The file
# system stays shared, like a cluster's parallel file system.
#
# As a library (tests):   source tests/multihost/hosts.sh
#                         mh_up 2 || exit $?      # 77: namespaces cannot be made here (skip)
#                         mh_mpirun -n 4 prog ... # mpirun across the hosts, MH_SLOTS (2) ranks each
#                         mh_on cbhost2 cmd ...   # one command on one host
#                         (mh_up removes everything again on every exit of the calling shell)
# As a command:           tests/multihost/hosts.sh up N | run -- MPIRUN-ARGS... | on HOST CMD... | down | status
#
# Needs root (CAP_NET_ADMIN), iproute2 and util-linux's unshare. Everything
# it makes carries the prefix "cbhost"; `down` removes exactly that. A run
# killed without teardown (SIGKILL) leaves its hosts behind: the next `up`
# removes them when the process that made them is gone, and refuses, naming
# the owner, while it lives.

MH_PREFIX=cbhost
MH_SWITCH=${MH_PREFIX}-sw
MH_SUBNET=${MH_SUBNET:-10.167.213}
MH_SLOTS=${MH_SLOTS:-2}
MH_TIMEOUT=${MH_TIMEOUT:-180}
MH_OWNER_FILE=${MH_OWNER_FILE:-/run/chunkbench-multihost.owner}
MH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MH_HOSTS=()

mh__say() { echo "multihost: $*" >&2; }

# Ours: the switch and numbered hosts, nothing else that happens to start alike.
mh__ours() { ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${MH_PREFIX}(-sw|[0-9]+)$" || true; }

# "pid start-time": a pid alone could have been reused by now.
mh__ident() { local pid=$1; [ -r "/proc/$pid/stat" ] && echo "$pid $(awk '{print $22}' "/proc/$pid/stat")"; }

mh__owner_alive() {
    [ -r "$MH_OWNER_FILE" ] || return 1
    local pid start
    read -r pid start <"$MH_OWNER_FILE" || return 1
    [ -n "$pid" ] && [ "$(mh__ident "$pid")" = "$pid $start" ]
}

mh_down() {
    local ns pid
    for ns in $(mh__ours); do
        # Processes still inside (an mpirun that outlived its test) would keep
        # the namespace's addresses alive; they are ours, stop them by id.
        for pid in $(ip netns pids "$ns" 2>/dev/null); do
            [ "$pid" != $$ ] && kill -9 "$pid" 2>/dev/null
        done
        ip netns del "$ns" 2>/dev/null || mh__say "could not remove namespace $ns"
    done
    rm -rf /etc/netns/${MH_PREFIX}[0-9]* /etc/netns/"$MH_SWITCH"
    rmdir /etc/netns 2>/dev/null || true
    rm -f "$MH_OWNER_FILE"
    MH_HOSTS=()
    return 0
}

# The subnet must be unused by the machine itself, or traffic could leave the
# namespaces.
mh__subnet_free() { ! grep -q "inet ${MH_SUBNET//./\\.}\." <<<"$(ip -4 addr show 2>/dev/null)"; }

# mh__up N OWNER_PID: N hosts, cbhost1..N at MH_SUBNET.1..N, owned by
# OWNER_PID. Returns 77 when this machine cannot make network namespaces, 1 on
# any other failure (after removing what it made).
mh__up() {
    local n=$1 owner=$2 tool
    if ! [[ "$n" =~ ^[1-9][0-9]?$ ]]; then mh__say "bad host count '$n'"; return 1; fi
    for tool in ip unshare; do
        command -v "$tool" >/dev/null || { mh__say "$tool is missing (Debian: iproute2, util-linux)"; return 1; }
    done
    if [ -n "$(mh__ours)" ]; then
        if [ "$(mh__ident "$owner")" = "$(cat "$MH_OWNER_FILE" 2>/dev/null)" ]; then
            mh_down # this shell's own hosts: made anew
        elif mh__owner_alive; then
            mh__say "hosts $(mh__ours | tr '\n' ' ')exist and belong to the running process $(cut -d' ' -f1 "$MH_OWNER_FILE"); refusing (run one multi-host test at a time)"
            return 1
        elif [ -r "$MH_OWNER_FILE" ]; then
            mh__say "removing stale hosts of a run that ended: $(mh__ours | tr '\n' ' ')"
            mh_down
        else
            mh__say "namespaces $(mh__ours | tr '\n' ' ')exist but no run of this fixture owns them; remove them with: $MH_DIR/hosts.sh down"
            return 1
        fi
    fi
    if ! ip netns add "$MH_SWITCH" 2>/dev/null; then
        mh__say "SKIP: cannot make network namespaces here (needs root with CAP_NET_ADMIN)"
        return 77
    fi
    mh__ident "$owner" >"$MH_OWNER_FILE"
    if ! mh__subnet_free; then
        mh__say "subnet $MH_SUBNET.0/24 is in use on this machine; set MH_SUBNET to a free one"
        mh_down; return 1
    fi
    if ! mh__make "$n"; then
        mh__say "could not make $n hosts"
        mh_down; return 1
    fi
    MH_HOSTS=(); local i
    for i in $(seq 1 "$n"); do MH_HOSTS+=("$MH_PREFIX$i"); done
    return 0
}

# The bridge in the switch namespace, then each host's lo and veth into it.
mh__make() {
    local n=$1 i h hosts
    ip netns exec "$MH_SWITCH" ip link set lo up &&
        ip netns exec "$MH_SWITCH" ip link add br0 type bridge &&
        ip netns exec "$MH_SWITCH" ip link set br0 up || return 1
    hosts=$(printf '127.0.0.1 localhost\n'; for i in $(seq 1 "$n"); do echo "$MH_SUBNET.$i $MH_PREFIX$i"; done)
    for i in $(seq 1 "$n"); do
        h=$MH_PREFIX$i
        ip netns add "$h" &&
            mkdir -p "/etc/netns/$h" && echo "$hosts" >"/etc/netns/$h/hosts" &&
            ip netns exec "$h" ip link set lo up &&
            ip netns exec "$h" ip link add eth0 type veth peer name "p$i" netns "$MH_SWITCH" &&
            ip netns exec "$MH_SWITCH" ip link set "p$i" master br0 &&
            ip netns exec "$MH_SWITCH" ip link set "p$i" up &&
            ip netns exec "$h" ip addr add "$MH_SUBNET.$i/24" dev eth0 &&
            ip netns exec "$h" ip link set eth0 up || return 1
    done
}

# mh_on HOST CMD...: CMD inside HOST, under HOST's name.
mh_on() {
    local h=$1; shift
    ip netns exec "$h" unshare --uts sh -c 'hostname "$0"; exec "$@"' "$h" "$@"
}

# mh_mpirun MPIRUN-ARGS...: mpirun started on the first host, MH_SLOTS slots on
# each, over TCP on the hosts' subnet only; bounded by MH_TIMEOUT seconds.
# MH_RUN_HOSTS="cbhost2 cbhost3" runs on those hosts alone.
mh_mpirun() {
    [ ${#MH_HOSTS[@]} -gt 0 ] || { mh__say "mh_mpirun before mh_up"; return 1; }
    local hl hosts
    read -r -a hosts <<<"${MH_RUN_HOSTS:-${MH_HOSTS[*]}}"
    hl=$(printf "%s:$MH_SLOTS," "${hosts[@]}")
    mh_on "${hosts[0]}" timeout "$MH_TIMEOUT" mpirun --mca plm_rsh_agent "$MH_DIR/agent.sh" \
        --mca btl tcp,self,vader --mca btl_tcp_if_include "$MH_SUBNET.0/24" \
        --mca oob_tcp_if_include "$MH_SUBNET.0/24" -H "${hl%,}" "$@"
}

# A library user's shell removes the hosts on every way out, after its own
# EXIT trap (if it set one before mh_up).
# Only hosts this shell owns: an mh_up refused because another live run owns
# the hosts must leave them standing.
mh__on_exit() {
    local rc=$?
    set +e
    [ "$(mh__ident $$)" = "$(cat "$MH_OWNER_FILE" 2>/dev/null)" ] && mh_down
    eval "${MH_PREV_EXIT:-}"
    exit $rc
}
mh__trap() {
    local prev; prev=$(trap -p EXIT)
    [ "$prev" = "trap -- 'mh__on_exit' EXIT" ] && return 0 # set by an earlier mh_up
    MH_PREV_EXIT=
    if [ -n "$prev" ]; then eval "set -- $prev"; MH_PREV_EXIT=$3; fi
    trap mh__on_exit EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP
}

# mh_up N: N hosts for this shell, removed again when it exits.
mh_up() { mh__trap; mh__up "${1:?mh_up N}" $$; }

[ "${BASH_SOURCE[0]}" != "$0" ] && return 0

# As a command.
set -uo pipefail
usage() { echo "usage: $0 up N | run [--] MPIRUN-ARGS... | on HOST CMD... | down | status" >&2; exit 2; }
[ $# -ge 1 ] || usage
cmd=$1; shift
case "$cmd" in
up)
    [ $# -eq 1 ] || usage
    # The hosts outlive this script: the calling shell owns them.
    mh__up "$1" "$PPID"; rc=$?
    [ $rc -eq 0 ] && echo "hosts up: $(mh__ours | grep -v sw | sort -V | tr '\n' ' ')(subnet $MH_SUBNET.0/24; remove with: $0 down)"
    exit $rc ;;
run)
    [ "${1:-}" = -- ] && shift
    mapfile -t MH_HOSTS < <(mh__ours | grep -v -- -sw | sort -V)
    [ ${#MH_HOSTS[@]} -gt 0 ] || { mh__say "no hosts: run $0 up N first"; exit 1; }
    mh_mpirun "$@" ;;
on)
    [ $# -ge 2 ] || usage
    mh_on "$@" ;;
down)
    mh_down ;;
status)
    mh__ours | sort -V ;;
*) usage ;;
esac
