#!/usr/bin/env python3
"""diffuzz: a differential fuzzer for vaultjwt against bao, on top of the conformance harness.

  diffuzz.py run --seed N --count K [--cli PATH] [--out DIR] [--save]
  diffuzz.py gen --seed N --count K --out DIR      # only write the generated scenarios
  diffuzz.py replay SCENARIO.json [--cli PATH]      # run one scenario file on both sides, show diff

`run` generates K scenarios (generator.py), runs them with bao (the harness's BaoBackend, one dev
server) and with vaultjwt (HomeBackend, strict mode: VAULTJWT_COMPAT=openbao), compares the
normalized results step by step, re-runs each differing scenario on both sides to rule out
flakiness, buckets the differences by signature, minimises the first member of each bucket
(delta debugging over steps, tokens, claims, header members, fields) and writes the reproducers
to --out (default target/diffuzz/), or with --save to tests/conformance/scenarios/diffuzz-*.json
together with bao's recordings in tests/conformance/expected/ (made by the harness's record).

The harness is imported (never copied) from --harness, default ../shared/conformance/harness.py
relative to the project root. See README.md beside this file.
"""

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_HARNESS = os.path.join(os.path.dirname(ROOT), "shared", "conformance", "harness.py")
sys.path.insert(0, HERE)

import generator  # noqa: E402

H = None  # the harness module, once loaded


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# harness loading (and its venv bootstrap)
# --------------------------------------------------------------------------------------------


def bootstrap(harness):
    """The harness needs `cryptography`; when this Python lacks it, the harness builds its own
    venv (it does that on any invocation, before reading its arguments) and we re-execute this
    script with that venv's Python."""
    try:
        import cryptography  # noqa: F401
        return
    except ImportError:
        pass
    if os.environ.get("DIFFUZZ_BOOTSTRAPPED"):
        sys.exit("diffuzz: cryptography still missing inside the harness's venv")
    log("diffuzz: cryptography missing; letting the harness build its venv")
    subprocess.run([sys.executable, harness, "--help"], stdout=subprocess.DEVNULL, check=False)
    cache = os.path.expanduser(os.environ.get("VAULTJWT_CONFORMANCE_CACHE",
                                              "~/.cache/vaultjwt-conformance"))
    py = os.path.join(cache, "venv", "bin", "python")
    if not os.path.exists(py):
        sys.exit(f"diffuzz: the harness did not create {py}; install `cryptography` (pip)")
    os.environ["DIFFUZZ_BOOTSTRAPPED"] = "1"
    os.execv(py, [py, os.path.abspath(__file__)] + sys.argv[1:])


def load_harness(path):
    global H
    if not os.path.exists(path):
        sys.exit(f"diffuzz: no harness at {path} (give --harness PATH)")
    bootstrap(path)
    spec = importlib.util.spec_from_file_location("vaultjwt_conformance_harness", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    H = mod
    return mod


# --------------------------------------------------------------------------------------------
# running both sides
# --------------------------------------------------------------------------------------------


class Sides:
    """One bao dev server (BaoBackend) and one HomeBackend for the whole run; each batch of
    scenarios runs on both at the same time (two threads: the work is in subprocesses)."""

    def __init__(self, cli, bao=None, compat="openbao"):
        self.bao = H.BaoBackend(H.ensure_bao(bao))
        self.home = H.HomeBackend(os.path.abspath(cli), compat=compat)
        self.runs = 0

    def run_one_side(self, backend, scs):
        out = {}
        for sc, res, warns in H.run_all(backend, scs):
            out[sc["name"]] = res if res is not None else {"broken": warns[0]}
        return out

    def run(self, scs):
        """-> {name: (bao_result, home_result)}"""
        got = {}

        def side(label, backend):
            got[label] = self.run_one_side(backend, scs)
        t = threading.Thread(target=side, args=("bao", self.bao))
        t.start()
        side("home", self.home)
        t.join()
        self.runs += len(scs)
        return {sc["name"]: (got["bao"].get(sc["name"]), got["home"].get(sc["name"]))
                for sc in scs}

    def run_bao(self, scs):
        return self.run_one_side(self.bao, scs)

    def close(self):
        self.bao.close()
        self.home.close()


# --------------------------------------------------------------------------------------------
# differences and signatures
# --------------------------------------------------------------------------------------------

STATEFUL = {"enable", "config", "role", "write", "delete", "policy"}


def step_kind(argv):
    a = [x for x in argv if not x.startswith("-format")]
    if a[:2] == ["auth", "enable"]:
        return "enable"
    if a[:2] == ["token", "lookup"]:
        return "lookup"
    if len(a) >= 2:
        path = a[1]
        if path.endswith("/login"):
            return "login"
        if a[0] == "write" and path.endswith("/config"):
            return "config"
        if a[0] == "write" and "/role/" in path:
            return "role"
        if a[0] == "read" and "/role/" in path:
            return "read_role"
        if a[0] == "read" and path.endswith("/config"):
            return "read_config"
        if a[0] == "read" and path.startswith("identity/"):
            return "entity"
        if a[0] == "list":
            return "list_roles"
    return a[0] if a else "?"


PLACEHOLDER_RE = re.compile(r"<([a-z_]+)#\d+>")
JWT_PH_RE = re.compile(r"\{(JWT|PUBKEY|PUBKEY_FILE|JWT_FILE|FILE):[^{}]*\}")
NUM_RE = re.compile(r"\d+")
SPACE_RE = re.compile(r"\s+")


def norm_text(s, limit=110):
    s = PLACEHOLDER_RE.sub(r"<\1>", str(s))
    # the generator's field and claim names: one bucket per kind of message, not per field
    s = re.sub(r'(field|claim|key) "[^"]*"', r'\1 "…"', s)
    s = JWT_PH_RE.sub(r"{\1}", s)
    s = NUM_RE.sub("N", s)
    s = SPACE_RE.sub(" ", s).strip()
    return s if len(s) <= limit else s[:limit] + "…"


def short_value(v):
    if v is MISSING:
        return "<absent>"
    if isinstance(v, str):
        return json.dumps(norm_text(v, 70), ensure_ascii=False)
    if isinstance(v, (dict, list)) and len(json.dumps(v)) > 40:
        return type(v).__name__
    return norm_text(json.dumps(v, sort_keys=True), 40)


MISSING = object()


def first_json_diff(a, b, path=""):
    """First differing leaf of two normalized JSON values, sorted-key order: (path, va, vb)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            va, vb = a.get(k, MISSING), b.get(k, MISSING)
            if va is MISSING or vb is MISSING:
                if va != vb:
                    return (f"{path}.{k}", va, vb)
                continue
            d = first_json_diff(va, vb, f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list) and isinstance(b, list):
        for i in range(max(len(a), len(b))):
            va = a[i] if i < len(a) else MISSING
            vb = b[i] if i < len(b) else MISSING
            if va is MISSING or vb is MISSING:
                return (f"{path}[]", va, vb)
            d = first_json_diff(va, vb, f"{path}[]")
            if d:
                return d
        return None
    if a == b and type(a) is type(b):
        return None
    return (path or ".", a, b)


def error_line(res):
    """The line that says what went wrong: the last '* ' line, else the last stderr line."""
    err = res.get("stderr") or []
    stars = [x for x in err if x.startswith("* ")]
    if stars:
        return stars[0] if len(stars) == 1 else " / ".join(stars)
    if err:
        return err[-1]
    out = res.get("stdout")
    if isinstance(out, list) and out:
        return out[-1]
    return ""


def step_signature(kind, b, h):
    """(class, signature) of one differing step; class is verdict / exit / text."""
    if b.get("exit") != h.get("exit"):
        cls = "verdict" if kind == "login" else "exit"
        if b["exit"] == "error":
            detail = "bao refuses: " + norm_text(error_line(b))
        else:
            detail = "vaultjwt refuses: " + norm_text(error_line(h))
        return cls, f"{cls} {kind}: bao={b['exit']} vaultjwt={h['exit']}: {detail}"
    if b.get("stdout") != h.get("stdout"):
        d = first_json_diff(b.get("stdout"), h.get("stdout"), "stdout")
        if d:
            p, va, vb = d
            p = re.sub(r"\.(metadata|bound_claims|claim_mappings|custom_metadata)\.[^.\[]+",
                       r".\1.*", p)
            return "text", (f"text {kind} ({b['exit']}): {p}: bao={short_value(va)} "
                            f"vaultjwt={short_value(vb)}")
    sb, sh = b.get("stderr") or [], h.get("stderr") or []
    for i in range(max(len(sb), len(sh))):
        lb = sb[i] if i < len(sb) else None
        lh = sh[i] if i < len(sh) else None
        if lb != lh:
            nb, nh = norm_text(lb or "<none>"), norm_text(lh or "<none>")
            if len(os.path.commonprefix([nb, nh])) < 20:
                # another message altogether (another check failed first, or another layer
                # answered): bucket by bao's message, whatever vaultjwt said instead
                nh = "<another message>"
            return "text", f"text {kind} ({b['exit']}): stderr: bao={nb} | vaultjwt={nh}"
    return "text", f"text {kind}: other"


def denumber(x):
    return PLACEHOLDER_RE.sub(r"<\1>", json.dumps(x, sort_keys=True))


def compare(bres, hres):
    """Per-step differences of one scenario's two results.

    -> list of dicts {step, kind, cls, sig, cascade}; cascade=True for a difference that follows
    from an earlier one (state diverged after a config/role write differed in exit status, or a
    step reads the result of a login/previous step that differed)."""
    if bres is None or hres is None or "broken" in bres or "broken" in hres:
        why = (bres or {}).get("broken") or (hres or {}).get("broken") or "no result"
        return [{"step": -1, "kind": "harness", "cls": "broken", "sig": f"broken: {why}",
                 "cascade": False}]
    out = []
    any_differs = False
    diverged = False
    login_differs = False
    prev_differs = False
    for b, h in zip(bres["steps"], hres["steps"]):
        argv = b["argv"]
        kind = step_kind(argv)
        text = json.dumps([argv, b.get("stdin"), b.get("as_token")])
        same = (b.get("exit") == h.get("exit") and b.get("stdout") == h.get("stdout")
                and b.get("stderr") == h.get("stderr"))
        if not same:
            cls, sig = step_signature(kind, b, h)
            # placeholders are numbered in order of appearance: after an earlier difference
            # (a token minted on one side only), the same output can carry other numbers
            renumbered = any_differs and denumber(
                [b.get("exit"), b.get("stdout"), b.get("stderr")]) == denumber(
                [h.get("exit"), h.get("stdout"), h.get("stderr")])
            cascade = renumbered or diverged or ("{LOGIN" in text and login_differs) or \
                ("{LAST" in text and prev_differs)
            any_differs = True
            out.append({"step": b["step"], "kind": kind, "cls": cls, "sig": sig,
                        "cascade": cascade})
            if kind in STATEFUL and b.get("exit") != h.get("exit"):
                diverged = True
        if kind == "login":
            login_differs = not same
        prev_differs = not same
    if len(bres["steps"]) != len(hres["steps"]):
        out.append({"step": -1, "kind": "harness", "cls": "broken",
                    "sig": "broken: step counts differ", "cascade": False})
    return out


def root_sigs(diffs):
    return {d["sig"]: d["cls"] for d in diffs if not d["cascade"]}


# --------------------------------------------------------------------------------------------
# minimisation
# --------------------------------------------------------------------------------------------

REF_RE = re.compile(r"\{(JWT|JWT_FILE|PUBKEY|PUBKEY_FILE):([^{}]*)\}")


def refs_in(obj, kinds):
    s = json.dumps(obj)
    return {m.group(2) for m in REF_RE.finditer(s) if m.group(1) in kinds}


def prune(sc):
    """Drop tokens and keys nothing refers to (no run needed)."""
    sc = json.loads(json.dumps(sc))
    used_tokens = set()
    for st in sc["steps"]:
        if isinstance(st, dict) and st.get("do") == "login":
            j = st.get("jwt", "")
            if not j.startswith(("{", "@")):
                used_tokens.add(j)
    used_tokens |= refs_in(sc["steps"], {"JWT", "JWT_FILE"})
    changed = True
    while changed:   # raw tokens refer to other tokens
        changed = False
        for t in list(used_tokens):
            for r in refs_in(sc["tokens"].get(t, {}), {"JWT", "JWT_FILE"}):
                if r not in used_tokens:
                    used_tokens.add(r)
                    changed = True
    sc["tokens"] = {k: v for k, v in sc.get("tokens", {}).items() if k in used_tokens}
    used_keys = refs_in(sc["steps"], {"PUBKEY", "PUBKEY_FILE"})
    for t in sc["tokens"].values():
        if "key" in t:
            used_keys.add(t["key"])
    iss = sc.get("issuer", {})
    uses_issuer_keys = any(x in json.dumps(sc["steps"]) for x in ("{JWKS_URL}", "oidc_discovery"))
    if uses_issuer_keys:
        used_keys |= set(iss.get("jwks") or [])
    for k in list(used_keys):
        src = sc.get("keys", {}).get(k, {}).get("secret_from_pubkey")
        if src:
            used_keys.add(src)
    sc["keys"] = {k: v for k, v in sc.get("keys", {}).items() if k in used_keys}
    if "issuer" in sc:
        if not uses_issuer_keys:
            del sc["issuer"]
        elif "jwks" in iss:
            iss["jwks"] = [k for k in iss["jwks"] if k in sc["keys"]]
    return sc


def _chunks(keys):
    """Removal sets over `keys`: all of them, halves, quarters, ..., single ones."""
    n = len(keys)
    size = n
    seen = set()
    while size >= 1:
        for start in range(0, n, size):
            part = tuple(keys[start:start + size])
            if part and part not in seen:
                seen.add(part)
                yield part
        size //= 2


def _without(obj, path, keys):
    """Deep copy of obj with `keys` removed from the dict/list found at `path`, or None when
    that is no longer possible."""
    c = json.loads(json.dumps(obj))
    cur = c
    try:
        for p in path:
            cur = cur[p]
        if isinstance(cur, list):
            for k in sorted(keys, reverse=True):
                del cur[k]
        else:
            for k in keys:
                del cur[k]
    except (KeyError, IndexError, TypeError):
        return None
    return c


def field_ops(sc):
    """Removals (path, keys) inside a scenario, biggest first per container: the fields of
    config/role writes, token options, header members and claims, key options."""
    conts = []
    for i, st in enumerate(sc["steps"]):
        if isinstance(st, dict):
            for holder in ("params", "body"):
                if isinstance(st.get(holder), dict):
                    conts.append((["steps", i, holder], st[holder]))
                    for k, v in st[holder].items():
                        if isinstance(v, (list, dict)) and len(v) > 1:
                            conts.append((["steps", i, holder, k], v))
    for tname, t in sc.get("tokens", {}).items():
        opts = [f for f in ("tamper", "alg", "kid", "swap_header", "swap_claims") if f in t]
        if opts:
            conts.append((["tokens", tname], {f: 1 for f in opts}))
        if isinstance(t.get("header"), dict):
            conts.append((["tokens", tname, "header"], t["header"]))
        if isinstance(t.get("claims"), dict):
            conts.append((["tokens", tname, "claims"], t["claims"]))
            for k, v in t["claims"].items():
                if isinstance(v, (list, dict)) and len(v) > 1:
                    conts.append((["tokens", tname, "claims", k], v))
    for kname, k in sc.get("keys", {}).items():
        opts = {f: 1 for f in ("kid", "jwk_alg", "alg") if f in k}
        if opts:
            conts.append((["keys", kname], opts))
    iss = sc.get("issuer", {})
    if isinstance(iss.get("jwks"), list) and len(iss["jwks"]) > 1:
        conts.append((["issuer", "jwks"], iss["jwks"]))
    if "jwks_extra" in iss:
        conts.append((["issuer"], {"jwks_extra": 1}))
    ops = []
    for path, cont in conts:
        keys = list(range(len(cont))) if isinstance(cont, list) else list(cont)
        for part in _chunks(keys):
            ops.append((path, part))
    for i, st in enumerate(sc["steps"]):
        if isinstance(st, dict) and st.get("do") == "login" and "role" in st:
            ops.append((["steps", i], ("role",)))
    return ops


def minimise(sides, sc, sig, budget_s=120, max_tests=150):
    """Delta debugging, greedy: keep any smaller variant in which `sig` is still a root
    difference. Steps first (chunks, restarting after each success), then passes over the
    field removals until one pass changes nothing (or the budget is spent)."""
    cur = prune(sc)
    t0 = time.time()
    tests = 0

    def out_of_budget():
        return tests >= max_tests or time.time() - t0 >= budget_s

    def keeps(c):
        nonlocal tests
        tests += 1
        res = sides.run([c])[c["name"]]
        return sig in root_sigs(compare(*res))

    def attempt(c):
        if c is None or not c["steps"]:
            return None
        c = prune(c)
        if json.dumps(c, sort_keys=True) == json.dumps(cur, sort_keys=True):
            return None
        return c if keeps(c) else None

    # steps: the difference's own step and what it needs remain
    progress = True
    while progress and not out_of_budget():
        progress = False
        n = len(cur["steps"])
        for part in _chunks(list(range(n))):
            if len(part) == n or out_of_budget():
                continue
            c = attempt(_without(cur, ["steps"], part))
            if c is not None:
                cur = c
                progress = True
                break
    progress = True
    while progress and not out_of_budget():
        progress = False
        for path, part in field_ops(cur):
            if out_of_budget():
                break
            c = attempt(_without(cur, path, part))
            if c is not None:
                cur = c
                progress = True
    return cur, tests, time.time() - t0


# --------------------------------------------------------------------------------------------
# run
# --------------------------------------------------------------------------------------------


SLUG_STOP = {"bao", "vaultjwt", "n", "ok", "error", "validating", "verifying", "token",
             "signature", "oidc", "malformed", "jwt", "stderr", "stdout", "the", "a", "to", "of",
             "in", "json", "go", "value", "type", "input", "for", "field", "converting",
             "failed", "unable", "template", "data", "auth", "another", "message", "at", "by",
             "is", "not", "must", "be", "into", "and", "or", "refuses"}


def slugify(sig, taken):
    """A file-name slug from a signature: the class, the step kind, which side refuses (for
    verdict/exit), then the distinctive words of the message."""
    s = sig.lower().replace("oidc: malformed jwt:", "jwks").replace("go-jose/go-jose:", "")
    s = re.sub(r"<[a-z_]+>|\{[a-z_]+\}|\S*…", "", s)
    words = [w for w in re.split(r"[^a-z0-9]+", s) if w]
    head, rest = words[:2], words[2:]
    if head and head[0] in ("verdict", "exit"):
        side = "vaultjwt-refuses" if "vaultjwt refuses" in sig else "bao-refuses"
        head.append(side)
    rest = [w for w in rest if w not in SLUG_STOP and not w.isdigit()]
    seen = []
    for w in rest:
        if w not in seen:
            seen.append(w)
    s = "-".join(head + seen)[:64].rstrip("-") or "difference"
    s = s.rsplit("-", 1)[0] if len(s) == 64 and "-" in s else s
    base, i = s, 2
    while s in taken:
        s = f"{base}-{i}"
        i += 1
    taken.add(s)
    return s


def dump(obj):
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def existing_slugs(scen_dir):
    out = set()
    if os.path.isdir(scen_dir):
        for f in os.listdir(scen_dir):
            if f.startswith("diffuzz-") and f.endswith(".json"):
                out.add(f[len("diffuzz-"):-len(".json")])
    return out


def existing_signatures(scen_dir):
    """Signatures already saved (kept in the saved scenarios' descriptions)."""
    out = {}
    if os.path.isdir(scen_dir):
        for f in os.listdir(scen_dir):
            if f.startswith("diffuzz-") and f.endswith(".json"):
                try:
                    with open(os.path.join(scen_dir, f)) as fh:
                        d = json.load(fh).get("description", "")
                except (OSError, ValueError):
                    continue
                m = re.search(r"signature: (.*)$", d)
                if m:
                    out[m.group(1)] = f
    return out


def cmd_run(args):
    load_harness(args.harness)
    cli = args.cli
    if not os.access(cli, os.X_OK):
        sys.exit(f"diffuzz: {cli} is not an executable (build it, or give --cli)")
    out_dir = os.path.abspath(args.out)
    os.makedirs(out_dir, exist_ok=True)
    t_start = time.time()
    scs = [generator.generate(args.seed, i) for i in range(args.start, args.start + args.count)]
    if args.only:
        pat = re.compile(args.only)
        scs = [sc for sc in scs if pat.search(sc["name"])]
    if args.keep_scenarios:
        gdir = os.path.join(out_dir, "generated")
        os.makedirs(gdir, exist_ok=True)
        for sc in scs:
            with open(os.path.join(gdir, sc["name"] + ".json"), "w") as f:
                f.write(dump(sc))
    sides = Sides(cli, bao=args.bao, compat=args.compat)
    by_name = {sc["name"]: sc for sc in scs}
    try:
        # 1. run everything on both sides, in batches (progress on stderr)
        results = {}
        for i in range(0, len(scs), args.batch):
            batch = scs[i:i + args.batch]
            results.update(sides.run(batch))
            log(f"diffuzz: {min(i + args.batch, len(scs))}/{len(scs)} scenarios run "
                f"({time.time() - t_start:.0f}s)")
        differing = {}
        identical = 0
        broken = []
        for name, (b, h) in results.items():
            diffs = compare(b, h)
            if not diffs:
                identical += 1
            elif any(d["cls"] == "broken" for d in diffs):
                broken.append((name, diffs[0]["sig"]))
            else:
                differing[name] = diffs
        # 2. triage: re-run each differing scenario on both sides; keep what reproduces, and
        # only where bao answers the same twice (Go map order makes some texts random)
        stable = {}
        unstable = {}
        names = sorted(differing)
        for i in range(0, len(names), args.batch):
            batch = [by_name[n] for n in names[i:i + args.batch]]
            again = sides.run(batch)
            for sc in batch:
                n = sc["name"]
                b2, h2 = again[n]
                b1, h1 = results[n]
                first = root_sigs(differing[n])
                second = root_sigs(compare(b2, h2))
                bao_same = b1 and b2 and b1.get("steps") == b2.get("steps")
                keep = {s: c for s, c in first.items() if s in second}
                lost = set(first) - set(keep)
                if bao_same and keep:
                    stable[n] = keep
                if lost or not bao_same:
                    unstable[n] = ("bao answered differently twice" if not bao_same
                                   else "not reproduced: " + "; ".join(sorted(lost)))
        log(f"diffuzz: triage done ({time.time() - t_start:.0f}s): {len(stable)} scenarios "
            f"with reproducible differences, {len(unstable)} with flaky parts")
        # 3. buckets by signature (root differences only; cascades counted per scenario)
        buckets = {}
        for n in sorted(stable):
            for sig, cls in stable[n].items():
                b = buckets.setdefault(sig, {"sig": sig, "cls": cls, "scenarios": []})
                b["scenarios"].append(n)
        cascades = {n: sum(1 for d in differing[n] if d["cascade"]) for n in stable}
        order = {"verdict": 0, "exit": 1, "text": 2}
        blist = sorted(buckets.values(),
                       key=lambda b: (order.get(b["cls"], 3), -len(b["scenarios"]), b["sig"]))
        with open(os.path.join(out_dir, f"buckets-seed{args.seed}.json"), "w") as f:
            f.write(dump({"buckets": blist, "unstable": unstable, "identical": identical,
                          "broken": broken}))
        # 4. minimise each bucket's first member
        saved_sigs = existing_signatures(args.scenarios_dir) if args.save else {}
        taken = existing_slugs(args.scenarios_dir) | existing_slugs(
            os.path.join(out_dir, "reproducers"))
        rdir = os.path.join(out_dir, "reproducers")
        os.makedirs(rdir, exist_ok=True)
        t_min = time.time()
        for b in blist:
            b["slug"] = None
            if args.no_minimise:
                continue
            if time.time() - t_min > args.minimise_budget:
                b["note"] = "not minimised: --minimise-budget spent"
                continue
            if args.minimise_classes != "all" and b["cls"] not in args.minimise_classes.split(","):
                continue
            if b["sig"] in saved_sigs:
                b["note"] = f"already saved as {saved_sigs[b['sig']]}"
                continue
            first = b["scenarios"][0]
            slug = slugify(b["sig"], taken)
            try:
                small, tests, secs = minimise(sides, by_name[first], b["sig"],
                                              budget_s=args.per_bucket_budget)
            except Exception as e:  # a minimiser bug must not lose the run's buckets
                b["note"] = f"minimiser failed: {type(e).__name__}: {e}"
                log(f"diffuzz: {b['note']}")
                continue
            small = dict(small)
            small["name"] = "diffuzz-" + slug
            small["description"] = (
                f"diffuzz reproducer (seed {args.seed}, minimised from {first}: "
                f"{len(by_name[first]['steps'])} -> {len(small['steps'])} steps). "
                f"bao and vaultjwt (strict mode) differ here; signature: {b['sig']}")
            # the new name changes the mount path: check it still reproduces
            res = sides.run([small])[small["name"]]
            if b["sig"] not in root_sigs(compare(*res)):
                b["note"] = "minimised reproducer lost the difference after renaming"
            b["slug"] = slug
            b["reproducer"] = os.path.join(rdir, small["name"] + ".json")
            b["min_steps"] = len(small["steps"])
            with open(b["reproducer"], "w") as f:
                f.write(dump(small))
            log(f"diffuzz: minimised [{b['cls']}] {b['sig'][:100]} -> {len(small['steps'])} "
                f"steps ({tests} runs, {secs:.0f}s)")
    finally:
        sides.close()
    # 5. save: scenario files + bao's recordings through the harness's record
    if args.save:
        to_save = [b for b in blist if b.get("reproducer") and "lost" not in b.get("note", "")]
        if args.save_classes != "all":
            wanted = set(args.save_classes.split(","))
            to_save = [b for b in to_save if b["cls"] in wanted]
        save_reproducers(args, to_save)
    # 6. report
    report = {
        "seed": args.seed, "start": args.start, "count": len(scs), "cli": cli,
        "identical": identical, "broken": broken, "unstable": unstable,
        "seconds": round(time.time() - t_start),
        "buckets": [{k: v for k, v in b.items()} for b in blist],
        "cascades": cascades,
    }
    with open(os.path.join(out_dir, f"report-seed{args.seed}.json"), "w") as f:
        f.write(dump(report))
    print_summary(args, report, blist)
    fail = False
    if args.fail_on != "none":
        fatal = {"verdict": {"verdict"}, "exit": {"verdict", "exit"},
                 "any": {"verdict", "exit", "text"}}[args.fail_on]
        fail = any(b["cls"] in fatal for b in blist) or bool(broken)
    return 1 if fail else 0


def print_summary(args, report, blist):
    print(f"diffuzz: seed {args.seed}, scenarios {args.start}..{args.start + args.count - 1}, "
          f"{report['seconds']}s; cli {report['cli']}")
    for cls in ("verdict", "exit", "text"):
        bs = [b for b in blist if b["cls"] == cls]
        if not bs:
            continue
        title = {"verdict": "VERDICT differences (a login accepted on one side, refused on the "
                            "other)",
                 "exit": "exit-status differences (config/role/read steps)",
                 "text": "text differences (same exit status)"}[cls]
        print(f"\n{title}: {len(bs)} buckets")
        for b in bs:
            ex = b["scenarios"][0]
            print(f"  [{len(b['scenarios']):3d}] {b['sig']}")
            extra = f" -> {b['reproducer']} ({b['min_steps']} steps)" if b.get("reproducer") else ""
            note = f" ({b['note']})" if b.get("note") else ""
            print(f"        e.g. {ex}{extra}{note}")
    if report["broken"]:
        print(f"\nbroken scenarios (harness errors): {len(report['broken'])}")
        for n, why in report["broken"][:10]:
            print(f"  {n}: {why}")
    if report["unstable"]:
        print(f"\nflaky differences dropped in triage: {len(report['unstable'])} scenarios")
        for n, why in sorted(report["unstable"].items())[:10]:
            print(f"  {n}: {why[:160]}")
    nv = sum(1 for b in blist if b["cls"] == "verdict")
    print(f"\ndiffuzz: {report['count']} scenarios, {report['identical']} identical, "
          f"{len(blist)} buckets ({nv} verdict)")


def save_reproducers(args, bl):
    scen_dir, exp_dir = args.scenarios_dir, args.expected_dir
    os.makedirs(scen_dir, exist_ok=True)
    os.makedirs(exp_dir, exist_ok=True)
    names = []
    for b in bl:
        with open(b["reproducer"]) as f:
            sc = json.load(f)
        path = os.path.join(scen_dir, sc["name"] + ".json")
        if os.path.exists(path):
            log(f"diffuzz: {path} exists; not overwritten")
            continue
        with open(path, "w") as f:
            f.write(dump(sc))
        names.append(sc["name"])
        b["saved"] = path
    if not names:
        return
    only = "^(" + "|".join(re.escape(n) for n in names) + ")$"
    ns = argparse.Namespace(scenarios=scen_dir, out=exp_dir, bao=args.bao, only=only,
                            strict=False)
    rc = H.cmd_record(ns)
    if rc:
        log("diffuzz: the harness's record reported broken scenarios")


# --------------------------------------------------------------------------------------------
# gen / replay
# --------------------------------------------------------------------------------------------


def cmd_gen(args):
    os.makedirs(args.out, exist_ok=True)
    for i in range(args.start, args.start + args.count):
        sc = generator.generate(args.seed, i)
        with open(os.path.join(args.out, sc["name"] + ".json"), "w") as f:
            f.write(dump(sc))
    print(f"diffuzz: {args.count} scenarios written to {args.out}")
    return 0


def cmd_replay(args):
    load_harness(args.harness)
    scs = []
    for p in args.files:
        with open(p) as f:
            sc = json.load(f)
        sc.setdefault("name", os.path.splitext(os.path.basename(p))[0])
        scs.append(sc)
    sides = Sides(args.cli, bao=args.bao, compat=args.compat)
    try:
        res = sides.run(scs)
    finally:
        sides.close()
    n_same = 0
    for sc in scs:
        diffs = compare(*res[sc["name"]])
        if not diffs:
            n_same += 1
            print(f"{sc['name']}: identical")
            continue
        print(f"{sc['name']}: {len(diffs)} differing steps")
        for d in diffs:
            print(f"  step {d['step']}{' (cascade)' if d['cascade'] else ''}: {d['sig']}")
    print(f"diffuzz: {len(scs)} scenarios, {n_same} identical")
    return 0


def cmd_minimise(args):
    """Minimise reproducer files further (their signature is in their description), e.g. after
    a run whose per-bucket budget ran out; the result replaces each file (or goes to --out)."""
    load_harness(args.harness)
    sides = Sides(args.cli, bao=args.bao, compat=args.compat)
    try:
        for p in args.files:
            with open(p) as f:
                sc = json.load(f)
            m = re.search(r"signature: (.*)$", sc.get("description", ""))
            if not m:
                log(f"diffuzz: {p}: no signature in its description; skipped")
                continue
            before = len(json.dumps(sc))
            small, tests, secs = minimise(sides, sc, m.group(1), budget_s=args.budget,
                                          max_tests=args.max_tests)
            small = dict(small, description=sc["description"])
            res = sides.run([small])[small["name"]]
            if m.group(1) not in root_sigs(compare(*res)):
                log(f"diffuzz: {p}: the minimised scenario lost the difference; kept as it was")
                continue
            dest = os.path.join(args.out, os.path.basename(p)) if args.out else p
            with open(dest, "w") as f:
                f.write(dump(small))
            print(f"{dest}: {before} -> {len(json.dumps(small))} bytes, "
                  f"{len(small['steps'])} steps ({tests} runs, {secs:.0f}s)")
    finally:
        sides.close()
    return 0


def cmd_save(args):
    """Copy reproducers (e.g. OUT/reproducers/*.json of a run without --save) into the project's
    scenarios and record them with bao through the harness."""
    load_harness(args.harness)
    bl = []
    taken = existing_slugs(args.scenarios_dir)
    tmp = tempfile.mkdtemp(prefix="diffuzz-save-")
    for p in args.files:
        with open(p) as f:
            sc = json.load(f)
        if not sc.get("name", "").startswith("diffuzz-"):
            sys.exit(f"diffuzz: {p}: not a diffuzz reproducer (name must start with diffuzz-)")
        m = re.search(r"signature: (.*)$", sc.get("description", ""))
        if m and args.reslug:
            sc["name"] = "diffuzz-" + slugify(m.group(1), taken)
            p = os.path.join(tmp, sc["name"] + ".json")
            with open(p, "w") as f:
                f.write(dump(sc))
        bl.append({"reproducer": p})
    save_reproducers(args, bl)
    for b in bl:
        if b.get("saved"):
            print(f"saved {b['saved']}")
    return 0


def main():
    default_cli = os.path.join(ROOT, "target", "debug", "vaultjwt")
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--harness", default=os.environ.get("DIFFUZZ_HARNESS", DEFAULT_HARNESS),
                    help="path of the conformance harness (imported)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="generate, run on both sides, triage, bucket, minimise")
    r.add_argument("--seed", type=int, required=True)
    r.add_argument("--count", type=int, default=50)
    r.add_argument("--start", type=int, default=0, help="first scenario index")
    r.add_argument("--only", help="regex on scenario names: run only those of the range")
    r.add_argument("--cli", default=default_cli)
    r.add_argument("--bao", help="bao binary (default: the harness's choice)")
    r.add_argument("--compat", default="openbao", help="VAULTJWT_COMPAT for vaultjwt")
    r.add_argument("--out", default=os.path.join(ROOT, "target", "diffuzz"))
    r.add_argument("--batch", type=int, default=10)
    r.add_argument("--save", action="store_true",
                   help="write reproducers to tests/conformance and record them with bao")
    r.add_argument("--save-classes", default="all",
                   help="with --save: comma list of classes to save (verdict,exit,text)")
    r.add_argument("--scenarios-dir", default=os.path.join(ROOT, "tests", "conformance",
                                                           "scenarios"))
    r.add_argument("--expected-dir", default=os.path.join(ROOT, "tests", "conformance",
                                                          "expected"))
    r.add_argument("--no-minimise", action="store_true")
    r.add_argument("--minimise-classes", default="all",
                   help="comma list of classes to minimise (verdict,exit,text)")
    r.add_argument("--minimise-budget", type=float, default=3600,
                   help="seconds for minimising all buckets")
    r.add_argument("--per-bucket-budget", type=float, default=120)
    r.add_argument("--keep-scenarios", action="store_true",
                   help="also write every generated scenario under OUT/generated")
    r.add_argument("--fail-on", choices=["none", "verdict", "exit", "any"], default="none",
                   help="exit 1 when a bucket of this class (or worse) is found")
    r.set_defaults(fn=cmd_run)
    g = sub.add_parser("gen", help="only write the generated scenarios")
    g.add_argument("--seed", type=int, required=True)
    g.add_argument("--count", type=int, default=50)
    g.add_argument("--start", type=int, default=0)
    g.add_argument("--out", required=True)
    g.set_defaults(fn=cmd_gen)
    p = sub.add_parser("replay", help="run scenario files on both sides and show differences")
    p.add_argument("files", nargs="+")
    p.add_argument("--cli", default=default_cli)
    p.add_argument("--bao")
    p.add_argument("--compat", default="openbao")
    p.set_defaults(fn=cmd_replay)
    mn = sub.add_parser("minimise", help="minimise reproducer files further")
    mn.add_argument("files", nargs="+")
    mn.add_argument("--cli", default=default_cli)
    mn.add_argument("--bao")
    mn.add_argument("--compat", default="openbao")
    mn.add_argument("--budget", type=float, default=180, help="seconds per file")
    mn.add_argument("--max-tests", type=int, default=200)
    mn.add_argument("--out", help="write here instead of over the files")
    mn.set_defaults(fn=cmd_minimise)
    sv = sub.add_parser("save", help="save reproducer files into tests/conformance and record "
                                     "them with bao")
    sv.add_argument("files", nargs="+")
    sv.add_argument("--reslug", action="store_true",
                    help="rename each reproducer from the signature in its description")
    sv.add_argument("--bao")
    sv.add_argument("--scenarios-dir", default=os.path.join(ROOT, "tests", "conformance",
                                                            "scenarios"))
    sv.add_argument("--expected-dir", default=os.path.join(ROOT, "tests", "conformance",
                                                           "expected"))
    sv.set_defaults(fn=cmd_save)
    args = ap.parse_args()
    try:
        sys.exit(args.fn(args))
    except KeyboardInterrupt:   # the backends were closed on the way out
        sys.exit(130)


if __name__ == "__main__":
    main()
