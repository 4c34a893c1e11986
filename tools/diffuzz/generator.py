"""Seeded generator of JWT-auth scenarios in the conformance harness's JSON format.

`generate(seed, index)` returns one scenario (a dict the harness's `run_all` accepts and
`load_scenarios` would load from a file). The same (seed, index) always gives the same scenario,
whatever else was generated before, so a scenario is named by its seed and index alone.

What varies (see README.md beside this file):
  * keys: RSA (RS*/PS*), EC P-256/384/521, Ed25519, kids that are custom, empty or shared;
  * config: jwt_validation_pubkeys (k=v, @file or JSON body), jwks_url, oidc_discovery_url;
    bound_issuer, jwt_supported_algs, default_role; JSON bodies with wrong types and nulls;
  * roles: role_type, user_claim (plain / JSON pointer), groups_claim, bound_audiences,
    bound_subject, bound_claims (string/glob), claim_mappings, leeways, token_* fields,
    deprecated names, verbose_oidc_logging, policy templates; wrong types and nulls in JSON bodies;
  * tokens: signing alg and key, header overrides (kid types, typ, cty, crit, extra members such
    as x5c/jwk/nonce/jku, alg mismatch), tampering, base64 padding, claims of every JSON type,
    aud as string or list, nested claims for JSON pointers, time claims kept at least
    SAFE_MARGIN seconds away from every accept/refuse edge the scenario's leeways create;
  * steps: enable, config, role, a few logins, reads (config, role, token lookup, entity, list),
    sometimes a role update.
"""

import copy
import random
import re

# a time claim is never closer than this to an edge (seconds): runs, re-runs and minimisation
# re-mint the tokens, and a scenario takes a few seconds to run on each side
SAFE_MARGIN = 90

USERS = ["alice", "bob", "carol", "Dave", "erin-ops", "frank.smith"]
AUDS = ["vault", "api", "https://vault.example.com", "other"]
TEAMS = ["blue", "red", "platform-eng", "sec"]
GROUPS = [["admins", "devs"], ["devs"], [], ["ops", "Admins"]]
POLICIES = ["dev", "ops", "Dev", "admin-team", "default"]
OFFSETS = [-86400, -7200, -3600, -1800, -900, -600, -450, -300, -240, -180, -120,
           120, 180, 240, 300, 450, 600, 900, 1800, 3600, 7200, 86400]
FAR_FUTURE = 4102444800   # 2100-01-01
FAR_PAST = 946684800      # 2000-01-01

TEMPLATES = [
    "{{ .sub }}", "team-{{ .team }}", "{{ .org.team }}-policy", "{{ lowercase .sub }}",
    "{{ uppercase .team }}", "{{ .missing_claim }}", "static",
    "{{ if eq .team \"blue\" }}blue-team{{ else }}other{{ end }}",
    "{{ range .groups }}{{ . }}{{ end }}", "{{ len .groups }}", "{{ printf \"%s-x\" .sub }}",
    "{{ replace .sub \"a\" \"b\" }}", "{{ truncate 3 .sub }}", "{{ .sub | lowercase }}",
    "{{/* c */}}plain", "{{ index . \"email\" }}", "{{ $x := .sub }}{{ $x }}",
    "{{ .sub ", "{{ nosuchfunc .sub }}", "",
]


def _w(rng, pairs):
    """Weighted choice from [(weight, value), ...]."""
    total = sum(w for w, _ in pairs)
    x = rng.uniform(0, total)
    for w, v in pairs:
        x -= w
        if x <= 0:
            return v
    return pairs[-1][1]


def _dur_seconds(v, default):
    """Effective seconds of a leeway value as the role stores it (0 -> default, <0 -> 0)."""
    if v is None:
        return default
    if isinstance(v, str):
        s = v.strip()
        if re.fullmatch(r"-?\d+", s):
            n = int(s)
        else:
            m = re.fullmatch(r"(-?)(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", s)
            if not m or not s:
                return default
            n = int(m.group(2) or 0) * 3600 + int(m.group(3) or 0) * 60 + int(m.group(4) or 0)
            if m.group(1):
                n = -n
    elif isinstance(v, bool):
        return default
    elif isinstance(v, (int, float)):
        n = int(v)
    else:
        return default
    if n == 0:
        return default
    return max(n, 0)


class Gen:
    def __init__(self, rng, name):
        self.r = rng
        self.name = name
        self.keys = {}
        self.tokens = {}
        self.steps = []
        self.issuer = {}
        self.notes = []
        self.leeways = []   # (skew, exp_leeway, nbf_leeway) of every role written

    # keys ---------------------------------------------------------------------------------
    def gen_keys(self):
        r = self.r
        n = _w(r, [(4, 1), (4, 2), (2, 3)])
        for i in range(n):
            spec = _w(r, [
                (4, {"type": "rsa"}),
                (1, {"type": "rsa", "alg": r.choice(["RS384", "RS512", "PS256", "PS384", "PS512"])}),
                (2, {"type": "ec", "curve": "P-256"}),
                (1, {"type": "ec", "curve": r.choice(["P-384", "P-521"])}),
                (2, {"type": "ed25519"}),
            ])
            spec = dict(spec)
            kid = _w(r, [(8, None), (1, f"kid-{i}"), (1, "")])
            if kid is not None:
                spec["kid"] = kid
            if r.random() < 0.1:
                spec["jwk_alg"] = False
            self.keys[f"k{i}"] = spec

    def key_alg(self, k):
        spec = self.keys[k]
        if spec["type"] == "rsa":
            return spec.get("alg", "RS256")
        if spec["type"] == "ec":
            return {"P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}[spec["curve"]]
        if spec["type"] == "ed25519":
            return "EdDSA"
        return "HS256"

    # config -------------------------------------------------------------------------------
    def gen_config(self):
        r = self.r
        self.steps.append({"do": "enable"})
        self.mode = _w(r, [(5, "static"), (3, "jwks"), (2, "discovery")])
        names = list(self.keys)
        body = {}
        if self.mode == "static":
            trusted = [k for k in names if r.random() < 0.85] or [names[0]]
            self.trusted = trusted
            body["jwt_validation_pubkeys"] = ["{PUBKEY:%s}" % k for k in trusted]
        else:
            published = [k for k in names if r.random() < 0.85] or [names[0]]
            self.trusted = published
            self.issuer["jwks"] = published
            if r.random() < 0.1:
                self.issuer["jwks_extra"] = [{"kty": "oct", "kid": "h", "k": "c2VjcmV0"}]
            if self.mode == "jwks":
                body["jwks_url"] = "{JWKS_URL}"
            else:
                body["oidc_discovery_url"] = "{ISSUER}"
        self.bound_issuer = None
        if r.random() < 0.45:
            self.bound_issuer = _w(r, [(8, "{ISSUER}"), (2, "https://other.example.com")])
            body["bound_issuer"] = self.bound_issuer
        if r.random() < 0.25:
            algs = sorted({self.key_alg(k) for k in names if r.random() < 0.7}) or ["RS256"]
            if r.random() < 0.15:
                algs.append(r.choice(["RS512", "ES256", "HS256", "none", "rs256"]))
            body["jwt_supported_algs"] = algs
        self.default_role = None
        if r.random() < 0.2:
            self.default_role = "r"
            body["default_role"] = "r"
        style = _w(r, [(5, "kv"), (4, "json"), (1, "file")])
        if style == "file" and self.mode == "static" and len(body["jwt_validation_pubkeys"]) == 1:
            k = self.trusted[0]
            argv = ["write", "auth/{MOUNT}/config", "jwt_validation_pubkeys=@{PUBKEY_FILE:%s}" % k]
            argv += [f"{f}={v}" for f, v in body.items() if f != "jwt_validation_pubkeys"
                     and isinstance(v, str)]
            self.steps.append({"argv": argv})
        elif style == "json" or style == "file":
            if r.random() < 0.3:
                self.mutate_types(body, CONFIG_TYPES)
            self.steps.append({"do": "write_json", "path": "auth/{MOUNT}/config", "body": body})
        else:
            self.steps.append({"do": "config", "params": body})
        if r.random() < 0.6:
            self.steps.append({"do": "read_config"})

    # type mutations for JSON bodies ---------------------------------------------------------
    def mutate_types(self, body, types):
        r = self.r
        n = _w(r, [(6, 1), (3, 2), (1, 3)])
        for _ in range(n):
            field = r.choice(sorted(types))
            kind = types[field]
            if r.random() < 0.25:
                body[field] = None
                self.notes.append(f"{field}=null")
                continue
            bad = {
                "bool": ["", "yes", 1, 0, "true", "1", "maybe", 2.5, [], {}],
                "int": ["abc", True, 1.5, "1h", "", "-5", [1], {"a": 1}, "30"],
                "dur": ["abc", True, 1.5, "1h30m", "", "-5", "90", "1d", [1], {"a": 1}, -1],
                "list": [{"a": 1}, 5, "a,b", True, [1, 2], ["x", None], ""],
                "map": [["a"], "x", 5, True, "a=b", [{"a": "b"}], {}],
                "str": [5, True, ["x"], {"a": 1}, 1.5, ""],
            }[kind]
            v = r.choice(bad)
            body[field] = v
            self.notes.append(f"{field}={v!r}")

    # roles --------------------------------------------------------------------------------
    def gen_role(self, name):
        r = self.r
        role = {}
        info = {"name": name}
        rt = _w(r, [(90, "jwt"), (3, None), (2, "oidc"), (2, "null"), (1, "JWT"), (1, "bogus")])
        if rt == "null":
            role["role_type"] = None
        elif rt is not None:
            role["role_type"] = rt
        uc = _w(r, [(10, "sub"), (2, "email"), (2, "/org/id"), (1, "name"), (1, "missing"),
                    (1, "/org/team"), (1, "num"), (1, "org")])
        role["user_claim"] = uc
        if uc.startswith("/") and r.random() < 0.8:
            role["user_claim_json_pointer"] = True
        info["user_claim"] = uc
        if r.random() < 0.75:
            auds = r.sample(AUDS, _w(r, [(3, 1), (1, 2)]))
            role["bound_audiences"] = auds[0] if (len(auds) == 1 and r.random() < 0.5) else auds
            info["auds"] = auds
        if r.random() < 0.15:
            role["bound_subject"] = r.choice(USERS[:3])
            info["subject"] = role["bound_subject"]
        if r.random() < 0.3:
            bc, glob = self.gen_bound_claims()
            role["bound_claims"] = bc
            info["bound_claims"] = bc
            if glob or r.random() < 0.2:
                role["bound_claims_type"] = "glob" if glob or r.random() < 0.5 else "string"
            elif r.random() < 0.05:
                role["bound_claims_type"] = "bogus"
        if not any(k in role for k in ("bound_audiences", "bound_subject", "bound_claims")) \
                and r.random() < 0.8:
            auds = [r.choice(AUDS)]
            role["bound_audiences"] = auds
            info["auds"] = auds
        if r.random() < 0.25:
            role["claim_mappings"] = _w(r, [
                (4, {"email": "email", "name": "full_name"}),
                (2, {"team": "team"}),
                (1, {"/org/team": "org_team"}),
                (1, {"team": "role"}),
                (1, {"email": "x", "name": "x"}),
                (1, {"num": "number"}),
                (1, {"groups": "groups"}),
            ])
        if r.random() < 0.25:
            role["groups_claim"] = _w(r, [(4, "groups"), (1, "/org/groups"), (1, "missing"),
                                          (1, "team"), (1, "num")])
        if r.random() < 0.2:
            skew = r.choice([0, -1, 120, 600, "2m", "10m", "300s"])
            role["clock_skew_leeway"] = skew
        if r.random() < 0.2:
            expl = r.choice([0, -1, 300, 1200, "5m", "20m"])
            role["expiration_leeway"] = expl
        if r.random() < 0.2:
            nbfl = r.choice([0, -1, 300, 1200, "5m", "20m"])
            role["not_before_leeway"] = nbfl
        if r.random() < 0.3:
            role["token_ttl"] = r.choice(["1h", "30m", 3600, "2h", "0", "90s", "1h30m"])
        if r.random() < 0.2:
            role["token_max_ttl"] = r.choice(["2h", "768h", "1000h", 7200, "24h"])
        if r.random() < 0.08:
            role["token_explicit_max_ttl"] = r.choice(["3h", "1000h", 10800])
        if r.random() < 0.08:
            role["token_period"] = r.choice(["1h", "800h", 3600])
        if r.random() < 0.1:
            role["token_num_uses"] = r.choice([0, 3, -1, 1])
        if r.random() < 0.2:
            role["token_type"] = r.choice(["service", "batch", "default", "default-service", ""])
        if r.random() < 0.35:
            role["token_policies"] = _w(r, [(3, "dev"), (2, ["dev", "ops"]), (1, "Dev, ops ,"),
                                            (1, []), (1, ["admin-team", "dev", "dev"])])
        if r.random() < 0.1:
            role["token_no_default_policy"] = r.choice([True, False])
        if r.random() < 0.1:
            role["token_bound_cidrs"] = r.choice(["127.0.0.1/32", ["10.0.0.0/8"],
                                                  "127.0.0.1", "127.0.0.1/8"])
        if r.random() < 0.06:
            role["verbose_oidc_logging"] = True
        if r.random() < 0.05:
            role["policies"] = r.choice(["Dev,ops", "dev"])
        if r.random() < 0.05:
            role["ttl"] = r.choice(["1h", 600])
        if r.random() < 0.1:
            role["token_policies_template_claims"] = True
            role["token_policies"] = r.sample(TEMPLATES, _w(r, [(3, 1), (2, 2)]))
        style = "json" if ("bound_claims" in role or "claim_mappings" in role) else "kv"
        if r.random() < 0.45:
            style = "json"
        if r.random() < 0.05:
            style = "kv"
        if style == "json" and r.random() < 0.25:
            self.mutate_types(role, ROLE_TYPES)
        # the edges of the time checks, for whatever the leeways turn out to be
        self.leeways.append((60, 150, 150))
        self.leeways.append((_dur_seconds(role.get("clock_skew_leeway"), 60),
                             _dur_seconds(role.get("expiration_leeway"), 150),
                             _dur_seconds(role.get("not_before_leeway"), 150)))
        if style == "json":
            self.steps.append({"do": "write_json", "path": f"auth/{{MOUNT}}/role/{name}",
                               "body": role})
        else:
            params = {}
            for k, v in role.items():
                if v is None:
                    continue
                if isinstance(v, list):
                    if v and r.random() < 0.5 and all(isinstance(x, str) for x in v):
                        v = ",".join(v)
                    elif not v:
                        v = ""
                params[k] = v
            self.steps.append({"do": "role", "name": name, "params": params})
        if r.random() < 0.6:
            self.steps.append({"do": "read_role", "name": name})
        return info

    def gen_bound_claims(self):
        r = self.r
        choice = _w(r, [
            (3, ({"team": r.choice(TEAMS)}, False)),
            (2, ({"team": ["blue", "red"]}, False)),
            (2, ({"email": "*@example.com"}, True)),
            (1, ({"team": "plat*", "email": "*@example.com"}, True)),
            (1, ({"/org/team": "blue"}, False)),
            (1, ({"groups": "devs"}, False)),
            (1, ({"num": 7}, False)),
            (1, ({"flag": True}, False)),
            (1, ({"team": r.choice([5, True, None, {"a": 1}, ["x", 5]])}, True)),
        ])
        return copy.deepcopy(choice[0]), choice[1]

    # tokens -------------------------------------------------------------------------------
    def safe_offsets(self):
        edges = {0}
        for skew, expl, nbfl in self.leeways or [(60, 150, 150)]:
            for x in (skew, expl, nbfl, skew + expl, skew + nbfl):
                edges.add(x)
                edges.add(-x)
        return [o for o in OFFSETS if all(abs(o - e) >= SAFE_MARGIN for e in edges)]

    def gen_tokens(self, roles):
        r = self.r
        safe = self.safe_offsets()
        past = [o for o in safe if o < 0]
        future = [o for o in safe if o > 0]
        main = roles[0]
        n = _w(r, [(2, 2), (4, 3), (3, 4), (1, 5)])
        names = list(self.keys)
        for i in range(n):
            role = r.choice(roles) if r.random() < 0.2 else main
            key = r.choice(self.trusted) if r.random() < 0.85 else r.choice(names)
            user = r.choice(USERS)
            claims = {}
            iss = "{ISSUER}"
            if self.bound_issuer and r.random() < 0.9:
                iss = self.bound_issuer
            claims["iss"] = iss
            claims["sub"] = role.get("subject") or user
            if role.get("auds"):
                auds = role["auds"]
                claims["aud"] = auds[0] if r.random() < 0.5 else list(auds)
            elif r.random() < 0.1:
                claims["aud"] = r.choice(AUDS)
            claims["iat"] = "%+d" % r.choice(past)
            claims["exp"] = "%+d" % _w(r, [(8, 3600 if 3600 in future else future[-1]),
                                           (2, r.choice(future))])
            if r.random() < 0.3:
                claims["nbf"] = "%+d" % r.choice(past)
            claims["email"] = f"{user.lower()}@example.com"
            if r.random() < 0.5:
                claims["name"] = user.title()
            team = r.choice(TEAMS)
            bc = role.get("bound_claims") or {}
            if isinstance(bc, dict):
                if isinstance(bc.get("team"), str) and "*" not in bc["team"]:
                    team = bc["team"]
                if bc.get("team") == "plat*":
                    team = "platform-eng"
                if "num" in bc:
                    claims["num"] = 7
                if "flag" in bc:
                    claims["flag"] = True
            claims["team"] = team
            if r.random() < 0.6:
                claims["groups"] = list(r.choice(GROUPS))
            if r.random() < 0.5 or str(role.get("user_claim", "")).startswith("/"):
                claims["org"] = {"id": r.choice(["u-1", "u-2"]), "team": team,
                                 "groups": ["g1", "g2"]}
            if r.random() < 0.2:
                claims["num"] = r.choice([7, 3.5, -1, 12345678901])
            spec = {"key": key, "claims": claims}
            self.mutate_token(spec, past, future)
            self.tokens[f"t{i}"] = spec
        if r.random() < 0.08 and self.mode == "static":
            # key confusion: HMAC with the public PEM of a trusted key as its secret
            self.keys["hs"] = {"type": "hmac", "secret_from_pubkey": self.trusted[0],
                               "pem_newline": r.choice([True, False])}
            base = copy.deepcopy(self.tokens["t0"])
            base["key"] = "hs"
            base.pop("alg", None)
            self.tokens["hs"] = base
        if r.random() < 0.08:
            # base64 padding after the signature segment
            self.tokens["pad"] = {"raw": "{JWT:t0}" + r.choice(["=", "=="])}

    def mutate_token(self, spec, past, future):
        r = self.r
        claims = spec["claims"]
        header = {}
        n = _w(r, [(4, 0), (5, 1), (2, 2)])
        for _ in range(n):
            m = _w(r, [
                (3, "aud"), (2, "sub"), (2, "iss"), (3, "time"), (3, "claim_type"),
                (4, "kid"), (2, "typ"), (3, "extra_header"), (2, "crit"), (2, "alg"),
                (2, "tamper"), (1, "drop"),
            ])
            if m == "aud":
                claims["aud"] = _w(r, [(2, "nope"), (2, ["nope", "other"]), (1, None), (1, 5),
                                       (1, []), (1, [5]), (1, ["vault", "api"])])
                if claims["aud"] is None:
                    del claims["aud"]
            elif m == "sub":
                claims["sub"] = _w(r, [(2, "mallory"), (1, 42), (1, None), (1, ""), (1, ["a"])])
                if claims["sub"] is None:
                    del claims["sub"]
            elif m == "iss":
                claims["iss"] = _w(r, [(2, "https://evil.example.com"), (1, 5), (1, None),
                                       (1, "")])
                if claims["iss"] is None:
                    del claims["iss"]
            elif m == "time":
                which = r.choice(["exp", "nbf", "iat"])
                v = _w(r, [
                    (3, "%+d" % r.choice(past if which == "exp" else future)),
                    (2, None), (1, "123"), (1, FAR_FUTURE + 0.5), (1, True),
                    (1, FAR_PAST if which == "exp" else FAR_FUTURE), (1, str(FAR_FUTURE)),
                ])
                if v is None:
                    claims.pop(which, None)
                else:
                    claims[which] = v
            elif m == "claim_type":
                c = r.choice(["team", "groups", "email", "org", "num", "name"])
                claims[c] = _w(r, [(1, 5), (1, True), (1, None), (1, {"a": "b"}), (1, ["blue"]),
                                   (1, [1, 2]), (1, "devs"), (1, 2.5), (1, "")])
            elif m == "kid":
                header["kid"] = _w(r, [(2, 5), (1, True), (1, {"a": 1}), (1, ["k0"]),
                                       (3, ""), (2, "unknown-kid"), (2, None), (1, 1.5)])
            elif m == "typ":
                header["typ"] = _w(r, [(2, "at+jwt"), (1, 5), (1, None), (1, "JOSE"),
                                       (1, "jwt"), (1, ["JWT"])])
            elif m == "extra_header":
                k, v = _w(r, [
                    (1, ("cty", "JWT")), (1, ("x5u", "https://example.com/x")),
                    (1, ("jku", "https://example.com/jwks")), (2, ("nonce", r.choice([5, "n", {}]))),
                    (2, ("jwk", r.choice([{"kty": "RSA"}, "abc", {"kty": "oct", "k": "c2VjcmV0"}]))),
                    (2, ("x5c", r.choice(["abc", ["abc"], [5], [], ["MIIB"]]))),
                    (1, ("x5t", 5)), (1, ("b64", r.choice([True, False]))),
                    (1, ("zip", "DEF")), (1, ("custom", {"nested": [1, 2]})),
                    (1, ("alg2", "RS256")), (1, ("epk", {})),
                ])
                header[k] = v
            elif m == "crit":
                header["crit"] = _w(r, [(1, []), (1, ["b64"]), (2, ["exp"]), (1, "b64"),
                                        (1, ["custom"]), (1, [5]), (1, None)])
                if header["crit"] == ["custom"]:
                    header["custom"] = 1
            elif m == "alg":
                kspec = self.keys[spec["key"]]
                if kspec["type"] == "rsa" and r.random() < 0.6:
                    spec["alg"] = r.choice(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"])
                else:
                    header["alg"] = r.choice(["RS256", "ES256", "HS256", "none", "EdDSA", 5,
                                              "rs256"])
            elif m == "tamper":
                t = r.choice(["bad_signature", "alg_none", "strip_signature", "truncate",
                              "header_swap", "payload_swap"])
                spec["tamper"] = t
                if t == "header_swap":
                    spec["swap_header"] = r.choice([{"kid": "other"}, {"typ": "at+jwt"},
                                                    {"alg": "RS384"}])
                elif t == "payload_swap":
                    spec["swap_claims"] = {"sub": "mallory"}
            elif m == "drop":
                c = r.choice(sorted(claims))
                del claims[c]
        if header:
            spec["header"] = header

    # steps --------------------------------------------------------------------------------
    def gen_logins(self, roles):
        r = self.r
        role_names = [x["name"] for x in roles]
        toks = list(self.tokens)
        r.shuffle(toks)
        did_lookup = False
        for t in toks:
            step = {"do": "login", "jwt": t}
            which = _w(r, [(85, "r"), (10, "other"), (3, "none"), (2, "unknown")])
            if which == "r":
                step["role"] = "r"
            elif which == "other":
                step["role"] = r.choice(role_names)
            elif which == "unknown":
                step["role"] = "nope"
            elif self.default_role is None and r.random() < 0.5:
                step["role"] = "r"
            self.steps.append(step)
            if r.random() < 0.4:
                self.steps.append({"do": "lookup"})
                did_lookup = True
            elif r.random() < 0.1:
                self.steps.append({"do": "entity"})
        if not did_lookup and r.random() < 0.5:
            self.steps.append({"do": "lookup"})

    def build(self):
        r = self.r
        self.gen_keys()
        self.gen_config()
        roles = [self.gen_role("r")]
        if r.random() < 0.2:
            roles.append(self.gen_role("r2"))
        self.gen_tokens(roles)
        self.gen_logins(roles)
        if r.random() < 0.1:
            # an update without role_type resets it to oidc (bao quirk) or changes a field
            params = r.choice([{"token_ttl": "2h"}, {"role_type": "jwt", "token_ttl": "2h"},
                               {"role_type": "jwt", "bound_subject": ""}])
            self.steps.append({"do": "role", "name": "r", "params": params})
            self.steps.append({"do": "read_role", "name": "r"})
            self.steps.append({"do": "login", "role": "r", "jwt": next(iter(self.tokens))})
        if r.random() < 0.1:
            self.steps.append({"do": "list_roles"})
        sc = {
            "name": self.name,
            "description": f"diffuzz-generated ({self.mode}"
                           + (", types: " + "; ".join(self.notes) if self.notes else "") + ")",
            "keys": self.keys,
            "tokens": self.tokens,
            "steps": self.steps,
        }
        if self.issuer:
            sc["issuer"] = self.issuer
        return sc


CONFIG_TYPES = {"bound_issuer": "str", "jwt_supported_algs": "list", "default_role": "str",
                "jwt_validation_pubkeys": "list", "jwks_url": "str"}
ROLE_TYPES = {
    "role_type": "str", "user_claim": "str", "user_claim_json_pointer": "bool",
    "groups_claim": "str", "bound_audiences": "list", "bound_subject": "str",
    "bound_claims": "map", "bound_claims_type": "str", "claim_mappings": "map",
    "clock_skew_leeway": "dur", "expiration_leeway": "dur", "not_before_leeway": "dur",
    "token_ttl": "dur", "token_max_ttl": "dur", "token_period": "dur",
    "token_explicit_max_ttl": "dur", "token_num_uses": "int", "token_policies": "list",
    "token_no_default_policy": "bool", "token_type": "str", "token_bound_cidrs": "list",
    "verbose_oidc_logging": "bool", "token_policies_template_claims": "bool",
}


def generate(seed, index, prefix="dz"):
    """Scenario number `index` of run `seed`, named `<prefix><seed>-<index>`."""
    rng = random.Random(f"diffuzz:{seed}:{index}")
    return Gen(rng, f"{prefix}{seed}-{index:04d}").build()
