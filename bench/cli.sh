#!/usr/bin/env bash
# Median wall time per CLI call of `token lookup` and `auth list` (N calls each, default 30),
# in a throwaway data directory. BIN=path overrides the binary (default: a release build).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${N:-30}"
if [ -z "${BIN:-}" ]; then
  cargo build --quiet --locked --release
  target_dir="${CARGO_TARGET_DIR:-target}"
  case "$target_dir" in /*) ;; *) target_dir="$PWD/$target_dir" ;; esac
  BIN="$target_dir/release/vaultjwt"
fi
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export VAULTJWT_HOME="$home/data" HOME="$home"
unset VAULTJWT_TOKEN VAULTJWT_FORMAT VAULTJWT_COMPAT
"$BIN" auth enable jwt >/dev/null
python3 - "$BIN" "$n" <<'PY'
import statistics, subprocess, sys, time
bin, n = sys.argv[1], int(sys.argv[2])
for args in (["token", "lookup"], ["auth", "list"]):
    first = subprocess.run([bin, *args], capture_output=True)
    if first.returncode != 0:
        print(f"vaultjwt {' '.join(args):<14} skipped: {first.stderr.decode().strip()[:80]}")
        continue
    times = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run([bin, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t)
    print(f"vaultjwt {' '.join(args):<14} median {statistics.median(times)*1000:7.1f} ms "
          f"(min {min(times)*1000:.1f}, max {max(times)*1000:.1f}, n={n})")
PY
