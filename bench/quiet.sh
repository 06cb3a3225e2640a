# Sourced by the bench scripts. The VM's 2 CPUs are shared: before each
# measurement, quiet LABEL waits (up to QUIET_WAIT s) until the CPUs were at
# least QUIET_IDLE % idle over 0.3 s, and logs what it saw to $OUT/load.txt.
idle_pct() {
    local a b
    read -r _ a1 a2 a3 a4 a5 a6 a7 a8 _ < /proc/stat; sleep 0.3
    read -r _ b1 b2 b3 b4 b5 b6 b7 b8 _ < /proc/stat
    a=$(( (b1+b2+b3+b4+b5+b6+b7+b8) - (a1+a2+a3+a4+a5+a6+a7+a8) ))
    b=$(( (b4+b5) - (a4+a5) ))
    echo $(( a > 0 ? 100 * b / a : 100 ))
}
quiet() { # label
    local t0=$SECONDS idle
    while idle=$(idle_pct); (( idle < QUIET_IDLE && SECONDS - t0 < QUIET_WAIT )); do sleep 0.5; done
    echo "$1 idle_before=$idle% waited=$(( SECONDS - t0 ))s load=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/load.txt"
}
