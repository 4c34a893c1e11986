#!/usr/bin/env python3
"""`jwt explain` against `login`, over the conformance scenarios (driven by tests/it/explain.rs).

Runs every scenario of a directory with the conformance harness (keys, tokens, the loopback
IdP, placeholders: all the harness's own code), against vaultjwt in strict mode. Before each
login step (`write ... auth/<mount>/login ...`) it runs `jwt explain -format=json` with the
same arguments and stdin, then the login, and checks:

* explain exits 0 exactly when login succeeds, 2 when it fails;
* on failure: explain's `error` is login's error message, the first failing check carries that
  message and shows both what is expected and what the token has;
* on success: explain's `would_issue` has exactly the policies, token_policies,
  identity_policies, metadata and TTL that login issues, and the alias name that the login's
  entity then holds on the mount; the groups it says are joined are then the entity's;
* explain changed nothing in the data directory but the mount's key cache.

  explain_scenarios.py --cli target/debug/vaultjwt --harness DIR/harness.py --scenarios DIR
Prints one line per compared step and a summary; exit 0 when everything matched.
"""

import argparse
import hashlib
import importlib.util
import json
import os
import re
import sys

LOGIN_PATH = re.compile(r"^auth/(.+)/login$")


def load_harness(path):
    spec = importlib.util.spec_from_file_location("harness", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def snapshot(home):
    """Digest of every stored file but the key caches (`.../cache/...`), the token helper and the
    storage's bookkeeping (`.lock`, `.journal`, `.tmp/`: a cache write is journaled too)."""
    out = {}
    root = os.path.join(home, "storage")
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            rel = os.path.relpath(p, root)
            if "/cache/" in "/" + rel or f.endswith(".lock") or rel.startswith("."):
                continue
            with open(p, "rb") as fh:
                out[rel] = hashlib.sha256(fh.read()).hexdigest()
    return out


def api_errors(stderr):
    """The `* message` lines of an API error."""
    return [l.strip()[2:] for l in stderr.splitlines() if l.strip().startswith("* ")]


def login_auth(out):
    """The `auth` of a login's output: JSON, or the table form (`token_policies  [a b]`)."""
    try:
        return json.loads(out)["auth"]
    except ValueError:
        pass
    auth = {}
    for line in out.splitlines():
        parts = line.split(None, 1)
        if len(parts) != 2:
            continue
        key, value = parts
        if key in ("policies", "token_policies", "identity_policies"):
            auth[key] = [p.strip("\"") for p in value.strip("[]").split()]
        elif key == "token_duration":
            auth["lease_duration"] = value
        elif key.startswith("token_meta_"):
            auth.setdefault("metadata", {})[key[len("token_meta_"):]] = value
    auth["_table"] = True
    return auth


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--harness", required=True)
    ap.add_argument("--scenarios", required=True)
    ap.add_argument("--only", default=None)
    args = ap.parse_args()
    h = load_harness(args.harness)
    cli = os.path.abspath(args.cli)
    problems = []
    stats = {"failing": 0, "passing": 0}

    class ExplainBackend(h.HomeBackend):
        def begin(self, name):
            super().begin(name)
            self.scenario = name
            self.root_token = None

        def run(self, argv, stdin, as_token, cwd):
            if self.root_token is None:
                helper = os.path.join(self.home, "token")
                if os.path.exists(helper):
                    with open(helper) as f:
                        self.root_token = f.read().strip()
            login = self.login_args(argv)
            if login is None:
                return super().run(argv, stdin, as_token, cwd)
            mount, kv = login
            before = snapshot(self.home)
            explain_argv = ["jwt", "explain", "-format=json", f"-path={mount}"] + kv
            erc, eout, eerr = super().run(explain_argv, stdin, self.root_token, cwd)
            after = snapshot(self.home)
            rc, out, err = super().run(argv, stdin, as_token, cwd)
            self.compare(argv, (erc, eout, eerr), (rc, out, err), before, after, mount)
            return rc, out, err

        @staticmethod
        def login_args(argv):
            if not argv or argv[0] != "write":
                return None
            # flags (-format=json, -force) come before the path; key=value pairs and "-" after
            positional = [a for a in argv[1:] if not (a.startswith("-") and a != "-")]
            if not positional:
                return None
            m = LOGIN_PATH.match(positional[0].strip("/"))
            if not m:
                return None
            return m.group(1), positional[1:]

        def compare(self, argv, explained, logged, before, after, mount):
            erc, eout, eerr = explained
            rc, out, err = logged
            where = f"{self.scenario}: {' '.join(a[:40] for a in argv)}"

            def bad(msg):
                problems.append(f"{where}: {msg}")

            if before != after:
                changed = sorted(set(before.items()) ^ set(after.items()))
                bad(f"explain changed storage: {changed[:4]}")
            try:
                data = json.loads(eout) if eout.strip() else None
            except ValueError:
                data = None
            if rc == 0:
                stats["passing"] += 1
                if erc != 0 or data is None:
                    bad(f"login succeeded, explain exited {erc}: {eerr.strip()[-300:]} {eout[-300:]}")
                    return
                if data.get("error") is not None:
                    bad(f"login succeeded, explain says: {data.get('error')}")
                    return
                auth = login_auth(out)
                w = data.get("would_issue") or {}
                for k in ("policies", "token_policies", "identity_policies"):
                    if sorted(w.get(k) or []) != sorted(auth.get(k) or []):
                        bad(f"{k}: explain {w.get(k)} != login {auth.get(k)}")
                if (w.get("metadata") or {}) != (auth.get("metadata") or {}):
                    bad(f"metadata: explain {w.get('metadata')} != login {auth.get('metadata')}")
                if not auth.get("_table") and w.get("ttl") != auth.get("lease_duration"):
                    bad(f"ttl: explain {w.get('ttl')} != login {auth.get('lease_duration')}")
                alias = w.get("alias") or {}
                if alias.get("metadata") != (auth.get("metadata") or {}):
                    bad(f"alias metadata {alias.get('metadata')} != {auth.get('metadata')}")
                entity_id = auth.get("entity_id")
                if entity_id:
                    rc2, o2, e2 = super().run(
                        ["read", "-format=json", f"identity/entity/id/{entity_id}"],
                        None, self.root_token, None)
                    ent = json.loads(o2)["data"] if rc2 == 0 else {}
                    names = [a["name"] for a in ent.get("aliases") or []
                             if a.get("mount_accessor") == alias.get("mount_accessor")]
                    if names != [alias.get("name")]:
                        bad(f"alias: explain {alias.get('name')!r}, entity has {names}")
                    groups = set()
                    for gid in ent.get("direct_group_ids") or []:
                        rc3, o3, _ = super().run(
                            ["read", "-format=json", f"identity/group/id/{gid}"],
                            None, self.root_token, None)
                        if rc3 == 0:
                            groups.add(json.loads(o3)["data"]["name"])
                    for g in w.get("groups_joined") or []:
                        if g not in groups:
                            bad(f"explain says group {g} is joined; entity's groups: {groups}")
                print(f"ok   {where}: would issue {w.get('policies')} as {alias.get('name')!r}")
                return
            stats["failing"] += 1
            want = api_errors(err)
            if erc != 2:
                bad(f"login failed ({want}), explain exited {erc}")
                return
            if data is None:
                # the request itself failed (no such mount, a field not a string, ...)
                if api_errors(eerr) != want:
                    bad(f"explain request error {api_errors(eerr)} != login's {want}")
                else:
                    print(f"ok   {where}: both refused the request: {want}")
                return
            got = data.get("error")
            if [got] != want and "\n".join(want) != got:
                bad(f"explain error {got!r} != login's {want}")
                return
            failing = [c for c in data.get("checks", []) if c.get("result") == "fail"]
            if not failing:
                bad("no failing check")
                return
            first = failing[0]
            if first.get("error") != got:
                bad(f"first failing check {first.get('check')} says {first.get('error')!r}, not {got!r}")
            if not first.get("expected") or not first.get("actual"):
                bad(f"check {first.get('check')} lacks a value: {first}")
            print(f"ok   {where}: {first.get('check')} fails: {got[:90]}")

    scs = h.filter_scenarios(h.load_scenarios(args.scenarios), args.only)
    backend = ExplainBackend(cli, compat="openbao")
    try:
        for sc, res, warns in h.run_all(backend, scs):
            if res is None:
                problems.append(f"{sc['name']}: harness error: {warns}")
    finally:
        backend.close()
    for p in problems:
        print(f"MISMATCH {p}")
    print(f"{len(scs)} scenarios; {stats['failing']} failing and {stats['passing']} passing "
          f"logins compared; {len(problems)} mismatches")
    return 0 if not problems and stats["failing"] and stats["passing"] else 1


if __name__ == "__main__":
    sys.exit(main())
