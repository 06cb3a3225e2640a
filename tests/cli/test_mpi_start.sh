#!/usr/bin/env bash
# How chunkbench starts Open MPI (src/cli/main.c): a singleton (no launcher)
# takes the ob1 messaging layer and, on Open MPI 4, no daemon; under mpirun
# the layer is Open MPI's own choice; a user's setting always wins. Open MPI
# says which components it loaded (pml_base_verbose) and strace sees the
# daemon's exec; singletons started together each have their own session
# directory. Skipped (77) where chunkbench is not built with Open MPI.
source "$(dirname "$0")/../hdf5/lib.sh"
# What the tests' environment sets for speed is what is under test here.
unset OMPI_MCA_pml OMPI_MCA_ess_singleton_isolated
ver=$("$CHUNKBENCH" --version)
grep -q '^MPI: Open MPI' <<<"$ver" || { echo "SKIP: chunkbench is not built with Open MPI"; exit 77; }
ompi5=0
grep -q '^MPI: Open MPI v[5-9]' <<<"$ver" && ompi5=1

f=$WORK/s.h5
"$CHUNKBENCH" create "$f" 20 20 --chunk 10,10 -q || fail "create"

# loaded PML components of one start: the names Open MPI opened
loaded() { grep -o 'components_open: found loaded component [a-z0-9]*' "$1" | awk '{print $NF}' | sort -u | tr '\n' ' '; }

# A singleton: ob1 only (cm, whose psm2 probe sleeps 0.2 s, is never opened).
OMPI_MCA_pml_base_verbose=10 timeout 120 "$CHUNKBENCH" status "$f" > "$WORK/out" 2> "$WORK/v1" || fail "singleton status"
[ "$(loaded "$WORK/v1")" = "ob1 " ] || fail "singleton opened PML components '$(loaded "$WORK/v1")', want only ob1"
grep -q '^complete:' "$WORK/out" || fail "singleton status printed no table: $(head -3 "$WORK/out")"

# Under mpirun the choice is Open MPI's: it opens its other PMLs too (cm where built).
OMPI_MCA_pml_base_verbose=10 mpi 1 "$CHUNKBENCH" status "$f" > "$WORK/v2" 2>&1 || fail "status under mpirun"
[ "$(loaded "$WORK/v2")" != "ob1 " ] || fail "under mpirun chunkbench chose the PML itself"

# The user's own setting wins: excluding only 'v' leaves Open MPI to open the rest.
OMPI_MCA_pml='^v' OMPI_MCA_pml_base_verbose=10 timeout 120 "$CHUNKBENCH" status "$f" > /dev/null 2> "$WORK/v3" ||
  fail "singleton with the user's OMPI_MCA_pml"
[ "$(loaded "$WORK/v3")" != "ob1 " ] || fail "the user's OMPI_MCA_pml=^v was overridden"

# Open MPI 4: no orted for a singleton, unless the user asks for one.
if [ "$ompi5" = 0 ]; then
  strace -f -qq -e trace=execve -o "$WORK/st1" timeout 120 "$CHUNKBENCH" status "$f" > /dev/null 2>&1 || fail "singleton under strace"
  grep -q 'execve("[^"]*orted"' "$WORK/st1" && fail "a singleton started orted: $(grep orted "$WORK/st1" | head -2)"
  OMPI_MCA_ess_singleton_isolated=0 strace -f -qq -e trace=execve -o "$WORK/st2" timeout 120 "$CHUNKBENCH" status "$f" > /dev/null 2>&1 ||
    fail "singleton with a daemon under strace"
  grep -q 'execve("[^"]*orted"' "$WORK/st2" || fail "OMPI_MCA_ess_singleton_isolated=0 was overridden: no orted started"

  # Singletons started together (server-schedule writers): with one session
  # directory for all (jf.0/1/0 of every isolated singleton), 3 % of such
  # starts died in orte_init. Each has its own under TMPDIR, gone at exit.
  tmp=$WORK/tmp; mkdir -p "$tmp"
  for j in 1 2 3 4 5 6; do
    ( for i in $(seq 1 60); do
        TMPDIR=$tmp timeout 60 "$CHUNKBENCH" status "$f" > "$WORK/c$j.out" 2>&1 || { echo "start $i: $(grep -m2 -i 'error\|mkdir' "$WORK/c$j.out" | tr '\n' ' ')"; exit 1; }
      done ) > "$WORK/c$j.fail" & 
  done
  wait
  for j in 1 2 3 4 5 6; do
    [ ! -s "$WORK/c$j.fail" ] || fail "6 singletons at once, loop $j: $(cat "$WORK/c$j.fail")"
  done
  [ -z "$(ls -A "$tmp")" ] || fail "singletons left in TMPDIR: $(ls -A "$tmp" | tr '\n' ' ')"
  TMPDIR=$tmp strace -f -qq -e trace=mkdir -o "$WORK/st3" timeout 120 "$CHUNKBENCH" status "$f" > /dev/null 2>&1 || fail "singleton under strace (mkdir)"
  grep -q "mkdir(\"$tmp/chunkbench-mpi\.[^/\"]*/ompi\." "$WORK/st3" || fail "the singleton's session directory is not its own: $(grep -m3 ompi "$WORK/st3")"
  # A user's own OMPI_MCA_orte_tmpdir_base: the private directory is made inside it.
  mkdir -p "$WORK/base"
  OMPI_MCA_orte_tmpdir_base=$WORK/base strace -f -qq -e trace=mkdir -o "$WORK/st4" timeout 120 "$CHUNKBENCH" status "$f" > /dev/null 2>&1 || fail "singleton with the user's tmpdir base"
  grep -q "mkdir(\"$WORK/base/chunkbench-mpi\.[^/\"]*/ompi\." "$WORK/st4" || fail "the user's OMPI_MCA_orte_tmpdir_base was not used: $(grep -m3 ompi "$WORK/st4")"
  [ -z "$(ls -A "$WORK/base")" ] || fail "a singleton left its directory in the user's base: $(ls -A "$WORK/base")"
fi
finish
