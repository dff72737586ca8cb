#!/usr/bin/env bash
# Rewind benchmarks: (a) overhead without checkpoints, (b) pause of a 1 GiB checkpoint vs FileChannel,
# (c) time to the first (resumed) instruction, (d) the checkpoint store in one JVM (2 GiB of arrays vs
# FileChannel, a 1 % change, object graphs vs Kryo; only when asked: --parts d or abcd). See bench/README.md.
#
#   bench/run.sh                 one JDK: $JAVA_HOME (else the `java` on the PATH)
#   bench/run.sh --all-jdks      JDK 17 and JDK 25 (override with REWIND_BENCH_JDKS="home1 home2")
# options: --reps N (default 5; also part d's unless --reps-d)  --reps-d N (part d, default 3)
#          --parts abc (default; any subset of abcd)  --quick (tiny sizes, a smoke test)
#          --no-build (use the jars already in rewind-core/target, rewind-cli/target and, for part d,
#                      the class path in bench/target/runtime-classpath.txt)
#          --nice N (run the driver and all its children at nice -N, e.g. 10, to take a larger share
#                    of a CPU that other users' processes compete for; needs root)
set -euo pipefail
bench="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(dirname "$bench")"
reps=5 reps_d=3 parts=abc quick="" build=1 all="" nice=()
while [ $# -gt 0 ]; do
  case "$1" in
    --all-jdks) all=1 ;;
    --reps) reps="$2"; reps_d="$2"; shift ;;
    --reps-d) reps_d="$2"; shift ;;
    --parts) parts="$2"; shift ;;
    --quick) quick="--quick" ;;
    --no-build) build="" ;;
    --nice) nice=(nice -n "-$2"); shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if [ -n "$all" ]; then
  jdks=(${REWIND_BENCH_JDKS:-/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64})
elif [ -n "${JAVA_HOME:-}" ]; then
  jdks=("$JAVA_HOME")
else
  jdks=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
fi
for j in "${jdks[@]}"; do
  [ -x "$j/bin/java" ] || { echo "run.sh: no JDK at $j" >&2; exit 2; }
done

core="$root/rewind-core/target/rewind-core-0.1.0-SNAPSHOT.jar"
cli="$root/rewind-cli/target/rewind-cli.jar"
# part (d) also builds the bench module, whose package phase writes Kryo's class path (see bench/pom.xml)
modules=rewind-core,rewind-cli
kryo_cp_file="$bench/target/runtime-classpath.txt"
case "$parts" in *d*) modules=rewind-core,rewind-cli,bench ;; esac
if [ -n "$build" ]; then
  echo "[bench] building $modules (mvn package, tests skipped)" >&2
  # Maven itself runs on the first JDK; the jars target Java 17 either way
  if ! (cd "$root" && JAVA_HOME="${jdks[0]}" mvn -q -o -B package -Dmaven.test.skip=true -pl "$modules" -am >&2); then
    echo "[bench] offline build failed; retrying online" >&2
    (cd "$root" && JAVA_HOME="${jdks[0]}" mvn -q -B package -Dmaven.test.skip=true -pl "$modules" -am >&2) \
      || { [ -f "$core" ] && [ -f "$cli" ] && echo "[bench] WARNING: build failed, using the existing jars" >&2; } \
      || exit 1
  fi
fi
[ -f "$core" ] && [ -f "$cli" ] || { echo "run.sh: $core or $cli missing; build first" >&2; exit 1; }
case "$parts" in *d*)
  [ -s "$kryo_cp_file" ] || { echo "run.sh: $kryo_cp_file missing (part d needs Kryo); build without --no-build" >&2; exit 1; } ;;
esac

# freeze the jars (other people may rebuild while we measure) and compile the programs against them
out="$bench/target/bench-run"
rm -rf "$out"
mkdir -p "$out/lib" "$out/classes" "$out/work"
cp "$core" "$out/lib/rewind-core.jar"
cp "$cli" "$out/lib/rewind-cli.jar"
# the ./rewind launcher, laid out as in the repository around the frozen jars (BenchDriver runs it with REWIND_NO_BUILD)
native_dir=dev/rewind/internal/native
mkdir -p "$out/rewind/rewind-core/target/classes/$native_dir" "$out/rewind/rewind-cli/target" "$out/rewind/examples/target/classes"
cp "$root/rewind" "$out/rewind/rewind"
cp "$out/lib/rewind-core.jar" "$out/rewind/rewind-core/target/$(basename "$core")"
cp "$out/lib/rewind-cli.jar" "$out/rewind/rewind-cli/target/rewind-cli.jar"
cp -r "$root/rewind-core/target/classes/$native_dir/." "$out/rewind/rewind-core/target/classes/$native_dir/"
"${jdks[0]}/bin/jar" tf "$out/lib/rewind-core.jar" >/dev/null && "${jdks[0]}/bin/jar" tf "$out/lib/rewind-cli.jar" >/dev/null
sources=()
for f in "$bench"/src/main/java/dev/rewind/bench/*.java; do
  [ "$(basename "$f")" = StoreBench.java ] || sources+=("$f")
done
kryo_cp=""
case "$parts" in *d*)
  # part (d): Kryo and its dependencies, frozen like the jars, and StoreBench compiled against them
  mkdir -p "$out/lib/kryo"
  IFS=: read -r -a kryo_jars < "$kryo_cp_file" || true
  for j in "${kryo_jars[@]}"; do
    cp "$j" "$out/lib/kryo/"
    kryo_cp="${kryo_cp:+$kryo_cp:}$out/lib/kryo/$(basename "$j")"
  done
  sources+=("$bench/src/main/java/dev/rewind/bench/StoreBench.java") ;;
esac
"${jdks[0]}/bin/javac" --release 17 -cp "$out/lib/rewind-core.jar${kryo_cp:+:$kryo_cp}" -d "$out/classes" "${sources[@]}"

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "host: $(uname -srm), nproc=$(nproc), $(free -g | awk '/^Mem:/ {print "memory " $2 " GiB total, " $7 " GiB available"}')"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "priority: ${nice[*]:-default (nice 0)}"
  echo "rewind-core jar sha256: $(sha256sum "$out/lib/rewind-core.jar" | cut -c1-16)"
  echo "git: $(cd "$root" && git rev-parse --short HEAD 2>/dev/null)$(cd "$root" && git diff --quiet -- rewind-core rewind-cli 2>/dev/null || echo ' (+ uncommitted changes in rewind-core/rewind-cli)')"
} | tee "$out/machine.txt"

start=$(date +%s)
for j in "${jdks[@]}"; do
  feature="$("$j/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
  echo "[bench] ===== JDK $feature ($j) =====" >&2
  "$j/bin/java" -version 2>&1 | sed 's/^/  /' | tee -a "$out/machine.txt" >&2
  # the JVM options that `rewind run` adds (the native agent's start=, or -javaagent's companions), for the
  # "agent only" column of part (a)
  agent_opts="$("$j/bin/java" -cp "$out/lib/rewind-core.jar:$out/lib/rewind-cli.jar" dev.rewind.cli.Main doctor 2>&1 \
    | sed -n 's/^JVM options added by rewind run: *//p' | head -1 || true)"
  echo "[bench] rewind run adds: $agent_opts" >&2
  ${nice[@]+"${nice[@]}"} "$j/bin/java" -cp "$out/classes" dev.rewind.bench.BenchDriver --java-home "$j" \
    --core "$out/lib/rewind-core.jar" --cli "$out/lib/rewind-cli.jar" --classes "$out/classes" \
    --work "$out/work/jdk$feature" --out "$out/results-jdk$feature.md" --reps "$reps" --parts "$parts" \
    --agent-opts "$agent_opts" --reps-d "$reps_d" --kryo-cp "$kryo_cp" --rewind "$out/rewind/rewind" $quick 2> >(tee "$out/log-jdk$feature.txt" >&2)
done
echo "[bench] done in $(( $(date +%s) - start )) s; tables in $out/results-jdk*.md, raw data in *.raw.tsv" >&2
rm -rf "$out/work"
