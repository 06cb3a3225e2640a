#!/usr/bin/env bash
# The option table as the program prints it (chunkbench --options-tsv) against
# what it does: every row is accepted by the commands it names and refused, in
# one line, by the others; each command's --help lists exactly its rows; the
# README's list is the table; exact names only; -- ends options; a valued
# option comes once. Parse-only: `... --help` stops after the options before it.
source "$(dirname "$0")/../hdf5/lib.sh"
# One process, no MPI daemon, no network transports: these runs only parse
# (and make one small file), and start twice as fast so.
export OMPI_MCA_ess_singleton_isolated=1 OMPI_MCA_pml=ob1 OMPI_MCA_btl=self
COMMANDS="create write status verify read run report compare"

RUNS=0
run() { # ARGS...: run the program (bounded: a parse must not spin), $rc and $WORK/out, $WORK/err
  rc=0 RUNS=$((RUNS + 1))
  (cd "$WORK" && timeout 20 "$CHUNKBENCH" "$@") > "$WORK/out" 2> "$WORK/err" || rc=$?
}
ok() { # ARGS...: exit 0, no error
  run "$@"
  if [ "$rc" -ne 0 ] || grep -q "chunkbench: error:" "$WORK/err"; then
    fail "chunkbench $*: exit $rc (want 0): $(head -c 300 "$WORK/err")"
    return 1
  fi
}
refused() { # MESSAGE ARGS...: exit 2, exactly one error line, containing MESSAGE
  local msg=$1; shift
  run "$@"
  local lines; lines=$(grep -c "^chunkbench: error:" "$WORK/err" || true)
  if [ "$rc" -ne 2 ] || [ "$lines" -ne 1 ] || ! grep -qF -- "$msg" "$WORK/err"; then
    fail "chunkbench $*: exit $rc (want 2), $lines error lines, want \"$msg\": $(head -c 300 "$WORK/err")"
  fi
}
has() { case ",$1," in *",$2,"*) return 0 ;; esac; return 1; } # LIST WORD

"$CHUNKBENCH" --options-tsv > "$WORK/table.tsv" || fail "--options-tsv"
rows=$(wc -l < "$WORK/table.tsv")
[ "$rows" -ge 30 ] || fail "--options-tsv printed $rows rows"
awk -F'\t' 'NF != 5 { exit 1 }' "$WORK/table.tsv" || fail "--options-tsv: a row without 5 fields"

# The README's option list is the table.
"$CHUNKBENCH" --options-markdown > "$WORK/table.md" || fail "--options-markdown"
sed -n '/^<!-- The table below is `chunkbench --options-markdown`/,/^<!-- end of options -->/p' "$CB_SRC/README.md" |
  sed '1d;$d' > "$WORK/readme.md"
[ -s "$WORK/readme.md" ] || fail "README.md has no option list between the markers"
diff -u "$WORK/readme.md" "$WORK/table.md" > "$WORK/md.diff" ||
  fail "README.md's option list differs from chunkbench --options-markdown (paste that in):
$(head -40 "$WORK/md.diff")"
[ "$(grep -c '^| `' "$WORK/table.md")" -eq "$rows" ] || fail "--options-markdown has not one line per row"

# Each command's --help lists exactly its rows, in the table's order.
for cmd in $COMMANDS; do
  ok "$cmd" --help || continue
  grep -q "^usage: .*chunkbench $cmd " "$WORK/out" || fail "$cmd --help: no usage line"
  sed -nE 's/^  (-(.), )?--([a-z0-9-]+).*/\2 \3/p' "$WORK/out" | sed 's/^ /- /' > "$WORK/help.$cmd"
  awk -F'\t' -v c="$cmd" '("," $4 ",") ~ ("," c ",") { print $2 " " $1 }' "$WORK/table.tsv" > "$WORK/want.$cmd"
  diff -u "$WORK/want.$cmd" "$WORK/help.$cmd" > "$WORK/help.diff" ||
    fail "$cmd --help does not list exactly the table's rows for $cmd: $(cat "$WORK/help.diff")"
done

# Every row: accepted by its commands (long, --name=value and short forms),
# refused by every command that no row of that name is for.
declare -A takers accept_long accept_eq accept_short short_refused
while IFS=$'\t' read -r name short kind cmds value; do
  takers[$name]="${takers[$name]:+${takers[$name]},}$cmds"
done < "$WORK/table.tsv"
while IFS=$'\t' read -r name short kind cmds value; do
  case $name in
    help | version)
      for c in ${cmds//,/ }; do
        ok "$c" "--$name" -q --bogus || continue # it ends the parse: what follows is not read
        grep -q "^usage: \|^chunkbench [0-9]" "$WORK/out" || fail "$c --$name printed: $(head -c 200 "$WORK/out")"
        [ "$short" = - ] || ok "$c" "-$short"
      done
      continue ;;
  esac
  for c in ${cmds//,/ }; do
    if [ "$kind" = flag ]; then
      accept_long[$c]+=" --$name"
      [ "$short" = - ] || accept_short[$c]+=" -$short"
    else
      accept_long[$c]+=" --$name $value"
      accept_eq[$c]+=" --$name=$value"
      [ "$short" = - ] || accept_short[$c]+=" -$short $value"
    fi
  done
  for c in $COMMANDS; do
    has "${takers[$name]}" "$c" && continue
    if [ "$kind" = flag ]; then set -- "--$name"; else set -- "--$name" "$value"; fi
    refused "option --$name does not apply to $c; see chunkbench $c --help" "$c" "$@"
    [ "$short" = - ] || [ -n "${short_refused[$name]:-}" ] || refused "option --$name does not apply to $c" "$c" "-$short" ${value:+"$value"}
    short_refused[$name]=1
  done
done < "$WORK/table.tsv"
# All of a command's options at once, each in every form it has (the values
# are the table's samples; --help ends the parse before the cross-option rules).
for c in $COMMANDS; do
  # shellcheck disable=SC2086 # the lists are words
  ok "$c" ${accept_long[$c]} --help
  ok "$c" ${accept_eq[$c]:-} --help
  ok "$c" ${accept_short[$c]:-} --help
done

# Exact names only: every name cut short is unknown (not a positional
# argument, not the option it begins), with the option meant named.
while IFS=$'\t' read -r name short kind cmds value; do
  cut=${name%?}
  grep -q "^$cut"$'\t' "$WORK/table.tsv" && continue
  c=${cmds%%,*}
  refused "unknown option '--$cut'" "$c" "--$cut" ${value:+"$value"}
done < "$WORK/table.tsv"
refused "unknown option '--dty' (did you mean --dtype?)" create t.h5 10 10 --dty f4
refused "unknown option '--dty' (did you mean --dtype?)" create t.h5 10 10 --dty=f4
refused "unknown option '-x' in '-x.h5'" status -x.h5
refused "option --force takes no value" create t.h5 10 10 --force=yes
[ -e "$WORK/t.h5" ] && fail "a refused command left a file behind"

# A valued option comes once; its two values are named. Flags and KEY=VALUE
# options (pair: --hint) and repeatable strings (texts: --filter) may repeat.
while IFS=$'\t' read -r name short kind cmds value; do
  [ "$kind" = flag ] && continue
  if [ "$kind" = pair ] || [ "$kind" = texts ]; then ok "${cmds%%,*}" "--$name" "$value" "--$name=$value" --help; continue; fi
  c=${cmds%%,*} second=$value
  case $kind in int|size) second=$((value + 1)) ;; text) second=y ;; esac
  refused "--$name given twice ('$value' and '$second'); give it once" "$c" "--$name" "$value" "--$name=$second"
done < "$WORK/table.tsv"
ok create -q -q --help

# -- ends the options: a target may start with -, and the parse ends (it spun before).
refused "a.h5 does not exist" status -- a.h5
ok create -q -- -x.h5 10 20 && [ -f "$WORK/-x.h5" ] || fail "create -- -x.h5 made no file"
ok status -- -x.h5 && grep -qx "pending:     1" "$WORK/out" || fail "status -- -x.h5: $(head -c 300 "$WORK/out")"
ok status -v -- -x.h5 && grep -q "pending:" "$WORK/out" || fail "status -v -- -x.h5"
refused "unexpected argument '--json'" status -- -x.h5 --json
refused "unexpected argument '-q'" status -- -x.h5 -q
echo "$rows options, $RUNS runs"
finish
