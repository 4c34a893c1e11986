#!/usr/bin/env bash
# vaultjwt against the bao CLI, from one run: median wall time per CLI call of login (RS256
# static key; ES256 through a loopback JWKS with a warm cache), token create, token lookup,
# policy write and token capabilities; the ratios; spawning /bin/true; vaultjwt's peak RSS;
# login with 10 vs 100,000 stored tokens and entities; JWKS hits during warm-cache logins;
# database creds and lease revoke against a throwaway PostgreSQL (when installed);
# remote mode (vaultjwt as a client of the same bao server: kv get, token lookup, login)
# against the bao CLI.
#
# Runs on a fresh machine with a Rust toolchain and python3: builds vaultjwt (release),
# installs bao 2.7.2 the way the conformance harness does (`harness.py install-bao`: from
# PyPI into ~/.cache/vaultjwt-conformance), starts `bao server -dev` and a JWKS server on
# free loopback ports, and removes everything it created when done.
#
# Environment: N (calls per median, default 40), SEED (stored tokens/entities of the large
# store, default 100000), CONFORMANCE (the harness directory, default ../shared/conformance),
# BAO_BIN (a bao binary to use instead).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${N:-40}"
seed="${SEED:-100000}"
conformance="${CONFORMANCE:-../shared/conformance}"
if [ ! -f "$conformance/harness.py" ]; then
  # a git worktree of the project: the harness sits beside the main checkout
  common="$(git rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)"
  [ -n "$common" ] && [ -f "$common/../../shared/conformance/harness.py" ] &&
    conformance="$common/../../shared/conformance"
fi

cargo build --quiet --locked --release --bin vaultjwt --example benchkit
target_dir="${CARGO_TARGET_DIR:-target}"
case "$target_dir" in /*) ;; *) target_dir="$PWD/$target_dir" ;; esac
bao="$(python3 "$conformance/harness.py" install-bao)"

exec python3 - "$target_dir/release/vaultjwt" "$target_dir/release/examples/benchkit" \
  "$bao" "$n" "$seed" <<'PY'
import http.client, http.server, json, os, shutil, signal, socket, statistics, subprocess
import sys, tempfile, threading, time

VAULTJWT, BENCHKIT, BAO, N, SEED = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
work = tempfile.mkdtemp(prefix="vaultjwt-bench-")
procs = []


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("VAULT_", "BAO_", "VAULTJWT_"))}
    env["HOME"] = work  # never the real ~/.vault-token
    env.update(extra)
    return env


def run(cmd, env):
    """Runs cmd once (set-up, not timed); returns its stdout."""
    p = subprocess.run(cmd, env=env, cwd=work, stdin=subprocess.DEVNULL, capture_output=True)
    if p.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd[:4])} ... failed ({p.returncode}): {p.stderr.decode()[:500]}")
    return p.stdout.decode()


def timed(cmd, env):
    """Wall time of one call (posix_spawn, output to /dev/null), in seconds."""
    fa = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
          (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
          (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)]
    t = time.perf_counter()
    pid = os.posix_spawn(cmd[0], cmd, env, file_actions=fa)
    _, status = os.waitpid(pid, 0)
    wall = time.perf_counter() - t
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"bench: {' '.join(cmd[:5])} ... exited {code}")
    return wall


class Jwks:
    """A loopback JWKS server that counts its hits."""

    def __init__(self, body):
        owner = self
        self.hits = 0

        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                owner.hits += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.srv.server_address[1]}/jwks"
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()


def start_bao():
    port = free_port()
    home = os.path.join(work, "bao")
    os.makedirs(home)
    logf = open(os.path.join(home, "server.log"), "wb")
    p = subprocess.Popen([BAO, "server", "-dev", "-dev-root-token-id=root",
                          f"-dev-listen-address=127.0.0.1:{port}"],
                         stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                         env=base_env({"HOME": home}), cwd=home)
    procs.append(p)
    deadline = time.time() + 30
    while time.time() < deadline:
        if p.poll() is not None:
            sys.exit("bench: bao server exited early; see " + logf.name)
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/v1/sys/health")
            if c.getresponse().status == 200:
                return port
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("bench: bao server did not become ready")


def median_ms(v):
    return statistics.median(v) * 1000


def main():
    sys.stdout.reconfigure(line_buffering=True)
    keys = os.path.join(work, "keys")
    subprocess.run([BENCHKIT, "keys", keys], check=True)
    jwks = Jwks(open(os.path.join(keys, "jwks.json"), "rb").read())
    policy = os.path.join(work, "policy.hcl")
    with open(policy, "w") as f:
        f.write('path "secret/data/app/*" {\n  capabilities = ["read", "list"]\n}\n'
                'path "secret/data/app/admin" {\n  capabilities = ["deny"]\n}\n'
                'path "auth/token/lookup-self" {\n  capabilities = ["read"]\n}\n')

    log("bench: starting bao server -dev")
    port = start_bao()
    bao_env = base_env({"BAO_ADDR": f"http://127.0.0.1:{port}", "BAO_TOKEN": "root"})

    def setup(cli, env):
        for args in (
            ["auth", "enable", "jwt"],
            ["write", "auth/jwt/config", f"jwt_validation_pubkeys=@{keys}/rsa.pub",
             f"jwt_validation_pubkeys=@{keys}/ed.pub", "bound_issuer=https://bench.example"],
            ["write", "auth/jwt/role/bench", "role_type=jwt", "user_claim=sub",
             "bound_audiences=bench", "token_policies=default", "token_ttl=1h"],
            ["auth", "enable", "-path=jwks", "jwt"],
            ["write", "auth/jwks/config", f"jwks_url={jwks.url}"],
            ["write", "auth/jwks/role/bench", "role_type=jwt", "user_claim=sub",
             "bound_audiences=bench", "token_policies=default", "token_ttl=1h"],
            ["policy", "write", "bench", policy],
        ):
            run([cli, *args], env)
        return run([cli, "token", "create", "-policy=bench", "-field=token"], env).strip()

    def vj_home(name):
        home = os.path.join(work, name)
        env = base_env({"VAULTJWT_HOME": home})
        run([VAULTJWT, "auth", "list"], env)  # initialises; the root token is the helper's
        env["VAULTJWT_TOKEN"] = open(os.path.join(home, "token")).read().strip()
        return home, env

    log("bench: setting up bao and vaultjwt (10 stored tokens)")
    bao_app = setup(BAO, bao_env)
    small, vj_env = vj_home("small")
    vj_app = setup(VAULTJWT, vj_env)
    subprocess.run([BENCHKIT, "seed", small, "10"], check=True)

    t = time.time()
    log(f"bench: seeding a second data directory with {SEED} tokens and entities")
    large, large_env = vj_home("large")
    setup(VAULTJWT, large_env)
    subprocess.run([BENCHKIT, "seed", large, str(SEED)], check=True)
    log(f"bench: seeded in {time.time() - t:.0f} s")

    rs = f"jwt=@{keys}/rs256.jwt"
    es = f"jwt=@{keys}/es256.jwt"
    ops = [
        ("login RS256 (static key)", ["write", "auth/jwt/login", "role=bench", rs]),
        ("login ES256 (JWKS, warm cache)", ["write", "auth/jwks/login", "role=bench", es]),
        ("token create", ["token", "create", "-policy=default", "-ttl=1h"]),
        ("token lookup", ["token", "lookup"]),
        ("policy write", ["policy", "write", "bench2", policy]),
        ("token capabilities", ["token", "capabilities", "{APP}", "secret/data/app/x"]),
    ]
    # Warm both JWKS caches (and bao's connection to its storage), then count hits.
    run([VAULTJWT, *ops[1][1]], vj_env)
    run([BAO, *ops[1][1]], bao_env)
    jwks.hits = 0
    results = []
    jwks_hits_vj = 0
    true_t = []
    for name, args in ops:
        vt, bt = [], []
        va = [a.replace("{APP}", vj_app) for a in args]
        ba = [a.replace("{APP}", bao_app) for a in args]
        for _ in range(N):  # interleaved, so drift in the machine's load hits all alike
            before = jwks.hits
            vt.append(timed([VAULTJWT, *va], vj_env))
            if "JWKS" in name:
                jwks_hits_vj += jwks.hits - before
            bt.append(timed([BAO, *ba], bao_env))
            if name.startswith("login"):
                true_t.append(timed(["/bin/true"], vj_env))
        results.append((name, median_ms(vt), median_ms(bt)))
        log(f"bench: {name}: vaultjwt {median_ms(vt):.2f} ms, bao {median_ms(bt):.1f} ms")

    # The database engine (issue 14) against one throwaway PostgreSQL, when it is installed:
    # `read database/creds/bench` and `lease revoke -sync` (each revocation of a lease made
    # outside the timing).
    pg_started = False
    try:
        socket.create_connection(("127.0.0.1", 55432), timeout=1).close()
    except OSError:
        if subprocess.run(["tests/conformance/postgres.sh", "start"], capture_output=True).returncode == 0:
            pg_started = True
    try:
        socket.create_connection(("127.0.0.1", 55432), timeout=1).close()
        have_pg = True
    except OSError:
        have_pg = False
        log("bench: no PostgreSQL (apt-get install postgresql): database rows skipped")
    if have_pg:
        url = "postgresql://{{username}}:{{password}}@127.0.0.1:55432/postgres?sslmode=disable"
        for cli, env in ((VAULTJWT, vj_env), (BAO, bao_env)):
            for args in (
                ["secrets", "enable", "database"],
                ["write", "database/config/pg", "plugin_name=postgresql-database-plugin",
                 f"connection_url={url}", "username=postgres", "password=conformance-root",
                 "allowed_roles=bench"],
                ["write", "database/roles/bench", "db_name=pg", "default_ttl=1h",
                 "creation_statements=CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';"],
            ):
                run([cli, *args], env)
        vt, bt = [], []
        for _ in range(N):
            vt.append(timed([VAULTJWT, "read", "database/creds/bench"], vj_env))
            bt.append(timed([BAO, "read", "database/creds/bench"], bao_env))
        results.append(("read database/creds (PostgreSQL)", median_ms(vt), median_ms(bt)))
        log(f"bench: database creds: vaultjwt {median_ms(vt):.2f} ms, bao {median_ms(bt):.1f} ms")
        vt, bt = [], []
        for _ in range(N):
            lv = run([VAULTJWT, "read", "-field=lease_id", "database/creds/bench"], vj_env).strip()
            lb = run([BAO, "read", "-field=lease_id", "database/creds/bench"], bao_env).strip()
            vt.append(timed([VAULTJWT, "lease", "revoke", "-sync", lv], vj_env))
            bt.append(timed([BAO, "lease", "revoke", "-sync", lb], bao_env))
        results.append(("lease revoke -sync (PostgreSQL)", median_ms(vt), median_ms(bt)))
        log(f"bench: lease revoke: vaultjwt {median_ms(vt):.2f} ms, bao {median_ms(bt):.1f} ms")
        for cli, env in ((VAULTJWT, vj_env), (BAO, bao_env)):
            run([cli, "lease", "revoke", "-sync", "-prefix", "database/creds/bench"], env)
    if pg_started:
        subprocess.run(["tests/conformance/postgres.sh", "stop"], capture_output=True)

    # Remote mode: vaultjwt as a client of the same bao server, against bao's own CLI.
    remote_env = base_env({"VAULTJWT_HOME": os.path.join(work, "remote"),
                           "VAULTJWT_ADDR": f"http://127.0.0.1:{port}", "VAULTJWT_TOKEN": "root"})
    run([BAO, "kv", "put", "secret/bench", "k=v"], bao_env)
    remote_ops = [
        ("remote: kv get", ["kv", "get", "secret/bench"]),
        ("remote: token lookup", ["token", "lookup"]),
        ("remote: login RS256", ["write", "auth/jwt/login", "role=bench", rs]),
    ]
    remote_results = []
    for name, args in remote_ops:
        vt, bt = [], []
        for _ in range(N):
            vt.append(timed([VAULTJWT, *args], remote_env))
            bt.append(timed([BAO, *args], bao_env))
        remote_results.append((name, median_ms(vt), median_ms(bt)))
        log(f"bench: {name}: vaultjwt {median_ms(vt):.2f} ms, bao {median_ms(bt):.1f} ms")

    t_true = median_ms(true_t)
    # Peak RSS: GNU time forks from a small process; a child forked (or vforked) from this
    # Python process would report Python's resident size as its own peak.
    vj_rss = []
    if os.access("/usr/bin/time", os.X_OK):
        for args in (ops[0][1], ops[1][1]):
            for _ in range(5):
                p = subprocess.run(["/usr/bin/time", "-f", "%M", VAULTJWT, *args], env=vj_env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                vj_rss.append(int(p.stderr.strip().splitlines()[-1]))

    login = ["write", "auth/jwt/login", "role=bench", rs]
    run([VAULTJWT, *login], large_env)  # the first login of bench-user creates its entity
    run([VAULTJWT, *login], vj_env)
    s_t, l_t = [], []
    for _ in range(N):
        s_t.append(timed([VAULTJWT, *login], vj_env))
        l_t.append(timed([VAULTJWT, *login], large_env))
    t_small, t_large = median_ms(s_t), median_ms(l_t)

    # The report.
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print()
    print(f"machine: {os.cpu_count()} CPUs ({cpu}), Linux {os.uname().release}")
    print(f"vaultjwt vs bao {subprocess.run([BAO, 'version'], capture_output=True, text=True).stdout.split()[1]}"
          f" CLI: median wall time per call, n={N} each (interleaved)")
    print()
    print(f"| {'operation':<32} | {'vaultjwt':>9} | {'bao':>9} | {'bao/vaultjwt':>12} | {'vaultjwt/true':>13} |")
    print(f"|{'-' * 34}|{'-' * 10}:|{'-' * 10}:|{'-' * 13}:|{'-' * 14}:|")
    for name, v, b in results + remote_results:
        print(f"| {name:<32} | {v:6.2f} ms | {b:6.1f} ms | {b / v:11.1f}x | {v / t_true:12.2f}x |")
    print(f"| {'/bin/true (spawn only)':<32} | {t_true:6.2f} ms | {'':>9} | {'':>12} | {1:12.2f}x |")
    print()
    rss_max = max(vj_rss) if vj_rss else float("nan")
    if vj_rss:
        print(f"vaultjwt login peak RSS: max {rss_max / 1024:.1f} MiB over {len(vj_rss)} logins "
              f"(RS256 and ES256; /usr/bin/time %M)")
    else:
        print("vaultjwt login peak RSS: not measured (/usr/bin/time not found)")
    diff = (t_large - t_small) / t_small * 100
    print(f"vaultjwt login (RS256) with 10 stored tokens+entities: {t_small:.2f} ms; "
          f"with {SEED:,}: {t_large:.2f} ms ({diff:+.1f}%)")
    print(f"JWKS server hits during {N} warm-cache vaultjwt logins: {jwks_hits_vj}")
    print()
    rs_v, rs_b = results[0][1], results[0][2]
    es_v, es_b = results[1][1], results[1][2]
    checks = [
        (f"login >= 50x faster than bao (RS256 {rs_b / rs_v:.0f}x, ES256 {es_b / es_v:.0f}x)",
         min(rs_b / rs_v, es_b / es_v) >= 50),
        (f"login within 2.5x of /bin/true (RS256 {rs_v / t_true:.2f}x, ES256 {es_v / t_true:.2f}x)",
         max(rs_v, es_v) / t_true <= 2.5),
        (f"login peak RSS <= 10 MiB ({rss_max / 1024:.1f} MiB)", bool(vj_rss) and rss_max <= 10 * 1024),
        (f"{SEED:,} stored tokens within 10% of 10 ({diff:+.1f}%)", diff <= 10),
        (f"no JWKS request while the cache is fresh ({jwks_hits_vj})", jwks_hits_vj == 0),
        ("remote mode >= 20x faster than bao per call ("
         + ", ".join(f"{n.split(': ')[1]} {b / v:.0f}x" for n, v, b in remote_results) + ")",
         min(b / v for _, v, b in remote_results) >= 20),
    ]
    for text, ok in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {text}")


def cleanup():
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
    shutil.rmtree(work, ignore_errors=True)


try:
    main()
finally:
    cleanup()
PY
