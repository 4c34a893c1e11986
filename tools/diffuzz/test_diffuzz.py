"""Tests of diffuzz's own logic (no bao, no vaultjwt needed):

    python3 -m unittest discover -s tools/diffuzz
"""

import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import diffuzz  # noqa: E402
import generator  # noqa: E402

LOGIN = ["write", "-format=json", "auth/{MOUNT}/login", "role=r", "jwt={JWT:t0}"]
ROLE = ["write", "auth/{MOUNT}/role/r", "-"]
LOOKUP = ["token", "lookup", "-format=json", "{LOGIN.auth.client_token}"]


def step(i, argv, exit="ok", stdout=None, stderr=None):
    s = {"step": i, "argv": argv, "exit": exit}
    if stdout is not None:
        s["stdout"] = stdout
    if stderr is not None:
        s["stderr"] = stderr
    return s


class Generator(unittest.TestCase):
    def test_same_seed_same_scenario(self):
        self.assertEqual(generator.generate(5, 17), generator.generate(5, 17))
        self.assertNotEqual(generator.generate(5, 17)["tokens"],
                            generator.generate(6, 17)["tokens"])

    def test_time_claims_away_from_edges(self):
        for i in range(300):
            g = generator.Gen(generator.random.Random(i), f"x{i}")
            sc = g.build()
            edges = {0}
            for skew, expl, nbfl in g.leeways:
                for x in (skew, expl, nbfl, skew + expl, skew + nbfl):
                    edges |= {x, -x}
            for t in sc["tokens"].values():
                for k, v in t.get("claims", {}).items():
                    if k in ("exp", "nbf", "iat") and isinstance(v, str) \
                            and re.fullmatch(r"[+-]\d+", v):
                        d = min(abs(int(v) - e) for e in edges)
                        self.assertGreaterEqual(d, generator.SAFE_MARGIN, (i, k, v, edges))

    def test_scenarios_have_the_harness_shape(self):
        for i in range(100):
            sc = generator.generate(1, i)
            self.assertEqual(sc["steps"][0], {"do": "enable"})
            self.assertTrue(any(s.get("do") == "login" for s in sc["steps"]))
            for t in sc["tokens"].values():
                self.assertTrue("raw" in t or t["key"] in sc["keys"])


class Compare(unittest.TestCase):
    def test_identical(self):
        r = {"steps": [step(0, LOGIN, stdout={"auth": {"client_token": "<token#1>"}})]}
        self.assertEqual(diffuzz.compare(r, json.loads(json.dumps(r))), [])

    def test_verdict_and_cascading_lookup(self):
        b = {"steps": [step(0, LOGIN, "error", stderr=["* error validating token: bad kid 5"]),
                       step(1, LOOKUP, "error", stderr=["* bad token"])]}
        h = {"steps": [step(0, LOGIN, stdout={"auth": {}}),
                       step(1, LOOKUP, stdout={"data": {}})]}
        d = diffuzz.compare(b, h)
        self.assertEqual([x["cls"] for x in d], ["verdict", "exit"])
        self.assertEqual([x["cascade"] for x in d], [False, True])
        self.assertIn("bao refuses: * error validating token: bad kid N", d[0]["sig"])
        self.assertEqual(list(diffuzz.root_sigs(d).values()), ["verdict"])

    def test_role_exit_difference_makes_later_steps_cascades(self):
        b = {"steps": [step(0, ROLE), step(1, LOGIN, stdout={"auth": {}})]}
        h = {"steps": [step(0, ROLE, "error", stderr=["* failed to parse template policy [0]"]),
                       step(1, LOGIN, "error", stderr=["* role not found"])]}
        d = diffuzz.compare(b, h)
        self.assertEqual([(x["cls"], x["cascade"]) for x in d],
                         [("exit", False), ("verdict", True)])

    def test_renumbered_placeholders_after_a_difference_are_cascades(self):
        b = {"steps": [step(0, LOGIN, stdout={"auth": {"accessor": "<accessor#1>"}}),
                       step(1, LOGIN, stdout={"auth": {"accessor": "<accessor#2>"}})]}
        h = {"steps": [step(0, LOGIN, "error", stderr=["* no"]),
                       step(1, LOGIN, stdout={"auth": {"accessor": "<accessor#1>"}})]}
        d = diffuzz.compare(b, h)
        self.assertEqual([x["cascade"] for x in d], [False, True])

    def test_text_difference_names_the_json_path(self):
        b = {"steps": [step(0, LOGIN, stdout={"auth": {"token_policies": None}})]}
        h = {"steps": [step(0, LOGIN, stdout={"auth": {"token_policies": []}})]}
        (d,) = diffuzz.compare(b, h)
        self.assertEqual(d["sig"], "text login (ok): stdout.auth.token_policies: bao=null "
                                   "vaultjwt=[]")

    def test_both_errors_with_unrelated_messages_bucket_by_bao(self):
        b = {"steps": [step(0, LOGIN, "error", stderr=["* failed to unmarshal key ID: x"])]}
        h1 = {"steps": [step(0, LOGIN, "error", stderr=["* claim \"a\" not found"])]}
        h2 = {"steps": [step(0, LOGIN, "error", stderr=["* invalid audience"])]}
        s1 = diffuzz.compare(b, h1)[0]["sig"]
        s2 = diffuzz.compare(b, h2)[0]["sig"]
        self.assertEqual(s1, s2)
        self.assertIn("<another message>", s1)


class Minimiser(unittest.TestCase):
    def test_prune_drops_unreferenced_tokens_and_keys(self):
        sc = {"name": "x", "keys": {"a": {"type": "rsa"}, "b": {"type": "ec"}},
              "tokens": {"t": {"key": "a"}, "u": {"key": "b"}, "p": {"raw": "{JWT:t}="}},
              "steps": [{"do": "enable"}, {"do": "login", "jwt": "p"}]}
        p = diffuzz.prune(sc)
        self.assertEqual(sorted(p["tokens"]), ["p", "t"])
        self.assertEqual(sorted(p["keys"]), ["a"])

    def test_chunks_go_from_all_to_single(self):
        self.assertEqual(list(diffuzz._chunks([1, 2, 3, 4])),
                         [(1, 2, 3, 4), (1, 2), (3, 4), (1,), (2,), (3,), (4,)])

    def test_slugs_are_unique_and_short(self):
        taken = set()
        sig = "verdict login: bao=error vaultjwt=ok: bao refuses: * failed to unmarshal key ID"
        a = diffuzz.slugify(sig, taken)
        b = diffuzz.slugify(sig, taken)
        self.assertNotEqual(a, b)
        self.assertTrue(re.fullmatch(r"[a-z0-9-]{1,64}", a), a)


if __name__ == "__main__":
    unittest.main()
