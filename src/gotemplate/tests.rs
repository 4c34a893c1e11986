//! Cases ported from Go's `text/template` tests (exec_test.go, parse_test.go, lex_test.go),
//! adapted to JSON data: numbers in the data are float64, as `encoding/json` decodes them.

use super::*;
use serde_json::json;

fn data() -> serde_json::Value {
    json!({
        "X": "x",
        "U": {"V": "v"},
        "I": 17,
        "F": 1.5,
        "Big": 1000000,
        "B": true,
        "SI": [3, 4, 5],
        "SIEmpty": [],
        "SB": [true, false],
        "MSI": {"one": 1, "two": 2, "three": 3},
        "MSIone": {"one": 1},
        "MSIEmpty": {},
        "NIL": null,
        "Str": "It'd be nice.",
        "SS": ["a", "b"],
        "Nested": {"a": {"b": "deep"}},
        "Empty3": [7, 8],
        "Tmpl": "{{.X}}"
    })
}

fn run(t: &str) -> Result<String, String> {
    run_with(t, MissingKey::Invalid)
}

fn run_with(t: &str, m: MissingKey) -> Result<String, String> {
    let tmpl = Template::parse("t", t, funcs::openbao)?;
    tmpl.execute(&data(), m)
}

/// (name, template, expected output or None for an error)
const EXEC: &[(&str, &str, Option<&str>)] = &[
    ("empty", "", Some("")),
    ("text", "some text", Some("some text")),
    ("nil action", "{{nil}}", None),
    (".X", "-{{.X}}-", Some("-x-")),
    (".U.V", "-{{.U.V}}-", Some("-v-")),
    ("map .one", "{{.MSI.one}}", Some("1")),
    ("map .WRONG args", "{{.MSI.one 1}}", None),
    ("map .WRONG type", "{{.MSI.one.x}}", None),
    ("missing key", "{{.MSI.nope}}", Some("<no value>")),
    ("dot float", "<{{.I}}>", Some("<17>")),
    ("dot float frac", "<{{.F}}>", Some("<1.5>")),
    ("big float", "{{.Big}}", Some("1e+06")),
    ("dot bool", "{{.B}}", Some("true")),
    ("dot slice", "{{.SI}}", Some("[3 4 5]")),
    ("dot map", "{{.MSI}}", Some("map[one:1 three:3 two:2]")),
    ("dot nil", "{{.NIL}}", Some("<no value>")),
    ("$", "{{$.X}}", Some("x")),
    ("$.U.V", "{{$.U.V}}", Some("v")),
    ("declare in action", "{{$x := $.U.V}}{{$x}}", Some("v")),
    ("simple assignment", "{{$x := 2}}{{$x = 3}}{{$x}}", Some("3")),
    ("nested assignment", "{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{$x}}", Some("3")),
    (
        "nested assignment changes the last declaration",
        "{{$x := 1}}{{if true}}{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{end}}{{$x}}",
        Some("1"),
    ),
    ("if true", "{{if true}}TRUE{{end}}", Some("TRUE")),
    ("if false", "{{if false}}TRUE{{else}}FALSE{{end}}", Some("FALSE")),
    ("if nil", "{{if nil}}TRUE{{end}}", None),
    ("if on typed nil", "{{if .NIL}}TRUE{{else}}FALSE{{end}}", Some("FALSE")),
    ("if 1", "{{if 1}}NON-ZERO{{else}}ZERO{{end}}", Some("NON-ZERO")),
    ("if 0", "{{if 0}}NON-ZERO{{else}}ZERO{{end}}", Some("ZERO")),
    ("if 1.5", "{{if 1.5}}NON-ZERO{{else}}ZERO{{end}}", Some("NON-ZERO")),
    ("if 0.0", "{{if .MSIEmpty}}NON-ZERO{{else}}ZERO{{end}}", Some("ZERO")),
    ("if 1+0i", "{{if 1+0i}}NON-ZERO{{else}}ZERO{{end}}", Some("NON-ZERO")),
    ("if emptystring", "{{if \"\"}}NON-EMPTY{{else}}EMPTY{{end}}", Some("EMPTY")),
    ("if string", "{{if \"notempty\"}}NON-EMPTY{{else}}EMPTY{{end}}", Some("NON-EMPTY")),
    ("if emptyslice", "{{if .SIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}", Some("EMPTY")),
    ("if slice", "{{if .SI}}NON-EMPTY{{else}}EMPTY{{end}}", Some("NON-EMPTY")),
    ("if emptymap", "{{if .MSIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}", Some("EMPTY")),
    ("if map", "{{if .MSI}}NON-EMPTY{{else}}EMPTY{{end}}", Some("NON-EMPTY")),
    (
        "if $x with $y int",
        "{{if $x := true}}{{with $y := .I}}{{$x}},{{$y}}{{end}}{{end}}",
        Some("true,17"),
    ),
    ("if else if", "{{if false}}FALSE{{else if true}}TRUE{{end}}", Some("TRUE")),
    (
        "if else chain",
        "{{if eq 1 3}}1{{else if eq 2 3}}2{{else if eq 3 3}}3{{end}}",
        Some("3"),
    ),
    ("print", "{{print \"hello, print\"}}", Some("hello, print")),
    ("print 123", "{{print 1 2 3}}", Some("1 2 3")),
    ("print nil", "{{print nil}}", Some("<nil>")),
    ("println", "{{println 1 2 3}}", Some("1 2 3\n")),
    ("printf int", "{{printf \"%04x\" 127}}", Some("007f")),
    ("printf float", "{{printf \"%g\" 3.5}}", Some("3.5")),
    ("printf complex", "{{printf \"%g\" 1+7i}}", Some("(1+7i)")),
    ("printf string", "{{printf \"%s\" \"hello\"}}", Some("hello")),
    ("printf function", "{{printf \"%#q\" \"x\"}}", Some("`x`")),
    (
        "printf lots",
        "{{printf \"%d %s %g %s\" 127 \"hello\" 7-3i .X}}",
        Some("127 hello (7-3i) x"),
    ),
    ("printf float data", "{{with .I}}{{printf \"%d\" .}}{{end}}", Some("%!d(float64=17)")),
    ("printf .F", "{{printf \"%.2f\" .F}}", Some("1.50")),
    (
        "html",
        "{{html \"<script>alert(\\\"XSS\\\");</script>\"}}",
        Some("&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;"),
    ),
    (
        "html pipeline",
        "{{printf \"<script>alert(\\\"XSS\\\");</script>\" | html}}",
        Some("&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;"),
    ),
    ("html nil", "{{html .NIL}}", Some("&lt;no value&gt;")),
    ("js", "{{js .Str}}", Some("It\\'d be nice.")),
    (
        "urlquery",
        "{{\"http://www.example.org/\"|urlquery}}",
        Some("http%3A%2F%2Fwww.example.org%2F"),
    ),
    ("not", "{{not true}} {{not false}}", Some("false true")),
    ("and", "{{and false 0}} {{and 1 0}} {{and 0 true}} {{and 1 1}}", Some("false 0 0 1")),
    ("or", "{{or 0 0}} {{or 1 0}} {{or 0 true}} {{or 1 1}}", Some("0 1 true 1")),
    ("or short-circuit", "{{or 1 (len 3)}}", Some("1")),
    ("and short-circuit", "{{and 0 (len 3)}}", Some("0")),
    ("or evaluates", "{{or 0 (len 3)}}", None),
    ("and pipe-true", "{{1 | and 1}}", Some("1")),
    ("and pipe-false", "{{0 | and 1}}", Some("0")),
    ("or pipe-true", "{{1 | or 0}}", Some("1")),
    ("or pipe-false", "{{0 | or 0}}", Some("0")),
    ("and undef", "{{and 1 .Unknown}}", Some("<no value>")),
    ("or undef", "{{or 0 .Unknown}}", Some("<no value>")),
    ("boolean if", "{{if and true 1 `hi`}}TRUE{{else}}FALSE{{end}}", Some("TRUE")),
    ("boolean if not", "{{if and true 1 `hi` | not}}TRUE{{else}}FALSE{{end}}", Some("FALSE")),
    ("with true", "{{with true}}{{.}}{{end}}", Some("true")),
    ("with false", "{{with false}}{{.}}{{else}}FALSE{{end}}", Some("FALSE")),
    ("with 1", "{{with 1}}{{.}}{{else}}ZERO{{end}}", Some("1")),
    ("with 0", "{{with 0}}{{.}}{{else}}ZERO{{end}}", Some("ZERO")),
    ("with $x int", "{{with $x := .I}}{{$x}}{{end}}", Some("17")),
    ("with $x struct.U.V", "{{with $x := $}}{{$x.U.V}}{{end}}", Some("v")),
    ("with variable and action", "{{with $x := $}}{{$y := $.U.V}}{{$y}}{{end}}", Some("v")),
    ("with else with", "{{with 0}}{{.}}{{else with true}}{{.}}{{end}}", Some("true")),
    (
        "with else with chain",
        "{{with 0}}{{.}}{{else with false}}{{.}}{{else with \"notempty\"}}{{.}}{{end}}",
        Some("notempty"),
    ),
    ("with field of string", "{{with .X}}{{.Y}}{{end}}", None),
    ("range []int", "{{range .SI}}-{{.}}-{{end}}", Some("-3--4--5-")),
    ("range empty no else", "{{range .SIEmpty}}-{{.}}-{{end}}", Some("")),
    ("range []int else", "{{range .SI}}-{{.}}-{{else}}EMPTY{{end}}", Some("-3--4--5-")),
    ("range empty else", "{{range .SIEmpty}}-{{.}}-{{else}}EMPTY{{end}}", Some("EMPTY")),
    (
        "range []int break else",
        "{{range .SI}}-{{.}}-{{break}}NOTREACHED{{else}}EMPTY{{end}}",
        Some("-3-"),
    ),
    (
        "range []int continue else",
        "{{range .SI}}-{{.}}-{{continue}}NOTREACHED{{else}}EMPTY{{end}}",
        Some("-3--4--5-"),
    ),
    ("range []bool", "{{range .SB}}-{{.}}-{{end}}", Some("-true--false-")),
    ("range map", "{{range .MSI}}-{{.}}-{{end}}", Some("-1--3--2-")),
    ("range empty map no else", "{{range .MSIEmpty}}-{{.}}-{{end}}", Some("")),
    ("range map else", "{{range .MSI}}-{{.}}-{{else}}EMPTY{{end}}", Some("-1--3--2-")),
    ("range empty map else", "{{range .MSIEmpty}}-{{.}}-{{else}}EMPTY{{end}}", Some("EMPTY")),
    ("range empty interface", "{{range .Empty3}}-{{.}}-{{else}}EMPTY{{end}}", Some("-7--8-")),
    ("range empty nil", "{{range .NIL}}-{{.}}-{{else}}EMPTY{{end}}", Some("EMPTY")),
    ("range $x SI", "{{range $x := .SI}}<{{$x}}>{{end}}", Some("<3><4><5>")),
    ("range $x $y SI", "{{range $x, $y := .SI}}<{{$x}}={{$y}}>{{end}}", Some("<0=3><1=4><2=5>")),
    ("range $x MSIone", "{{range $x := .MSIone}}<{{$x}}>{{end}}", Some("<1>")),
    ("range $x $y MSIone", "{{range $x, $y := .MSIone}}<{{$x}}={{$y}}>{{end}}", Some("<one=1>")),
    ("declare in range", "{{range $x := .SI}}<{{$foo:=$x}}{{$x}}>{{end}}", Some("<3><4><5>")),
    ("range quick break", "{{range .SI}}{{break}}{{.}}{{end}}", Some("")),
    ("range int", "{{range 5}}{{.}}{{end}}", Some("01234")),
    ("range $x int", "{{range $i := 3}}{{$i}}{{end}}", Some("012")),
    ("range int 2 vars", "{{range $i, $x := 3}}{{$i}}{{end}}", None),
    ("range float", "{{range .I}}{{.}}{{end}}", None),
    ("range string", "{{range .X}}{{.}}{{end}}", None),
    (
        "range assign",
        "{{$x := 0}}{{$y := 0}}{{range $x, $y = .SI}}{{end}}{{$x}} {{$y}}",
        Some("2 5"),
    ),
    ("len string", "{{len \"abc\"}}", Some("3")),
    ("len slice", "{{len .SI}}", Some("3")),
    ("len map", "{{len .MSI}}", Some("3")),
    ("len int", "{{len 3}}", None),
    ("len nil field", "{{len .NIL}}", None),
    ("index slice", "{{index .SI 2}}", Some("5")),
    ("index map", "{{index .MSI \"two\"}}", Some("2")),
    ("index map missing", "{{index .MSI \"XXX\"}}", Some("<no value>")),
    ("index string", "{{index \"abc\" 1}}", Some("98")),
    ("index out of range", "{{index .SI 10}}", None),
    ("index at len", "{{index .SI 3}}", None),
    ("index map by int", "{{index .MSI 1}}", None),
    ("index slice by float", "{{index .SI .I}}", None),
    ("index nested", "{{index .Nested \"a\" \"b\"}}", Some("deep")),
    ("index root", "{{index . \"X\"}}", Some("x")),
    ("slice all", "{{slice .SI}}", Some("[3 4 5]")),
    ("slice 1", "{{slice .SI 1}}", Some("[4 5]")),
    ("slice 1 2", "{{slice .SI 1 2}}", Some("[4]")),
    ("slice string", "{{slice \"abc\" 1 2}}", Some("b")),
    ("slice bad", "{{slice .SI 2 1}}", None),
    ("eq ints", "{{eq 1 1}} {{eq 1 2}}", Some("true false")),
    ("eq strings", "{{eq \"a\" .X}} {{eq .X \"x\"}}", Some("false true")),
    ("eq floats", "{{eq .F 1.5}}", Some("true")),
    ("eq multi", "{{eq 1 3 1}}", Some("true")),
    ("eq float data vs int", "{{eq .I 17}}", None),
    ("eq float data vs float", "{{eq .I 17.0}}", Some("true")),
    ("eq int string", "{{eq 1 \"a\"}}", None),
    ("eq nil nil", "{{eq .NIL nil}}", Some("true")),
    ("eq nil string", "{{eq .NIL \"x\"}}", Some("false")),
    ("eq slices", "{{eq .SI .SI}}", None),
    ("eq missing arg", "{{eq 1}}", None),
    ("ne", "{{ne 1 2}} {{ne \"a\" \"a\"}}", Some("true false")),
    ("lt", "{{lt 1 2}} {{lt \"b\" \"a\"}} {{lt 1.5 2.5}}", Some("true false true")),
    ("le gt ge", "{{le 2 2}} {{gt 3 2}} {{ge 2 3}}", Some("true true false")),
    ("lt bool", "{{lt true false}}", None),
    ("lt mixed", "{{lt 1 1.5}}", None),
    ("lt byte int", "{{lt (index \"a\" 0) 100}}", Some("true")),
    ("pipeline", "{{\"x\" | printf \"%s-%s\" \"a\"}}", Some("a-x")),
    ("pipeline field", "{{.X | printf \"%q\"}}", Some("\"x\"")),
    ("parens", "{{printf \"%s\" (printf \"%s\" \"x\")}}", Some("x")),
    ("chain", "{{(index .Nested \"a\").b}}", Some("deep")),
    ("chain of nil", "{{(nil).X}}", None),
    ("comment", "{{/* comment */}}x", Some("x")),
    ("trim comment", "a {{- /* c */ -}} b", Some("ab")),
    ("trim", "{{23 -}} < {{- 45}}", Some("23<45")),
    ("trim newline", "a\n  {{- \"b\" -}}\n  c", Some("abc")),
    ("variable $", "{{$}}", Some("map[B:true Big:1e+06 Empty3:[7 8] F:1.5 I:17 MSI:map[one:1 three:3 two:2] MSIEmpty:map[] MSIone:map[one:1] NIL:<nil> Nested:map[a:map[b:deep]] SB:[true false] SI:[3 4 5] SIEmpty:[] SS:[a b] Str:It'd be nice. Tmpl:{{.X}} U:map[V:v] X:x]")),
    ("define", "{{define \"T1\"}}ONE{{end}}{{template \"T1\"}}", Some("ONE")),
    ("define dot", "{{define \"T\"}}<{{.}}>{{end}}{{template \"T\" .X}}", Some("<x>")),
    ("block", "{{block \"B\" .X}}[{{.}}]{{end}}", Some("[x]")),
    ("template undefined", "{{template \"nope\"}}", None),
    ("call", "{{call .X}}", None),
    ("char constant", "{{'a'}}", Some("97")),
    ("hex int", "{{0x10}}", Some("16")),
    ("float const", "{{1e3}}", Some("1000")),
    ("underscores", "{{1_000}}", Some("1000")),
    ("string escapes", "{{\"a\\tb\\u00e9\"}}", Some("a\tbé")),
    ("raw string", "{{`a\\n`}}", Some("a\\n")),
    ("field on map value nil", "{{.NIL.x}}", None),
    ("can't give arg", "{{.X 1}}", None),
    ("non-function", "{{1 2}}", None),
    // OpenBao's helpers.
    ("lowercase", "{{.X | uppercase}}{{lowercase \"ABC\"}}", Some("Xabc")),
    ("replace", "{{replace \"-\" \"_\" \"a-b-c\"}}", Some("a_b_c")),
    ("replace pipe", "{{\"a-b\" | replace \"-\" \"_\"}}", Some("a_b")),
    ("truncate", "{{\"abcdef\" | truncate 3}}", Some("abc")),
    ("truncate short", "{{\"ab\" | truncate 3}}", Some("ab")),
    ("truncate 0", "{{\"ab\" | truncate 0}}", None),
    ("truncate float", "{{\"ab\" | truncate .I}}", None),
    (
        "truncate_sha256",
        "{{\"abcdefghijklmnop\" | truncate_sha256 10}}",
        Some("ab936d7cdc"),
    ),
    ("sha256", "{{sha256 \"a\"}}", Some("ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb")),
    ("base64", "{{base64 \"a\"}}|{{decode_base64 \"YQ==\"}}", Some("YQ==|a")),
    ("hex", "{{hex \"a\"}}|{{decode_hex \"61\"}}", Some("61|a")),
    ("decode_base64 bad", "{{decode_base64 \"!\"}}", None),
    ("glob", "{{if glob \"release/*\" \"release/1\"}}yes{{end}}", Some("yes")),
    ("glob no", "{{glob \"a*\" \"b\"}}", Some("false")),
    ("lowercase float", "{{lowercase .I}}", None),
];

#[test]
fn exec_table() {
    let mut failures = Vec::new();
    for (name, t, want) in EXEC {
        let got = run(t);
        match (want, &got) {
            (Some(w), Ok(g)) if w == g => {}
            (None, Err(_)) => {}
            _ => failures.push(format!("{name}: {t:?}: want {want:?}, got {got:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// (template, exact error)
const EXEC_ERRORS: &[(&str, &str)] = &[
    ("{{nil}}", "template: t:1:2: executing \"t\" at <nil>: nil is not a command"),
    (
        "{{.X.Y}}",
        "template: t:1:4: executing \"t\" at <.X.Y>: can't evaluate field Y in type interface {}",
    ),
    (
        "{{with .X}}{{.Y}}{{end}}",
        "template: t:1:13: executing \"t\" at <.Y>: can't evaluate field Y in type string",
    ),
    (
        "{{.NIL.x}}",
        "template: t:1:6: executing \"t\" at <.NIL.x>: nil pointer evaluating interface {}.x",
    ),
    (
        "{{eq .I 17}}",
        "template: t:1:2: executing \"t\" at <eq .I 17>: error calling eq: incompatible types for comparison: float64 and int",
    ),
    (
        "{{lowercase .I}}",
        "template: t:1:12: executing \"t\" at <.I>: wrong type for value; expected string; got float64",
    ),
    (
        "{{.I | lowercase}}",
        "template: t:1:7: executing \"t\" at <lowercase>: wrong type for value; expected string; got float64",
    ),
    (
        "{{\"ab\" | truncate 0}}",
        "template: t:1:9: executing \"t\" at <truncate 0>: error calling truncate: max length must be > 0 but was 0",
    ),
    (
        "{{truncate \"3\" .X}}",
        "template: t:1:11: executing \"t\" at <\"3\">: expected integer; found \"3\"",
    ),
    (
        "{{lowercase}}",
        "template: t:1:2: executing \"t\" at <lowercase>: wrong number of args for lowercase: want 1 got 0",
    ),
    (
        "{{index .SI 10}}",
        "template: t:1:2: executing \"t\" at <index .SI 10>: error calling index: index out of range: 10",
    ),
    (
        "{{range .I}}{{end}}",
        "template: t:1:8: executing \"t\" at <.I>: range can't iterate over 17",
    ),
    (
        "x\n{{template \"nope\"}}",
        "template: t:2:11: executing \"t\" at <{{template \"nope\"}}>: template \"nope\" not defined",
    ),
    (
        "{{define \"d\"}}{{.X.Y}}{{end}}{{template \"d\" .}}",
        "template: t:1:18: executing \"d\" at <.X.Y>: can't evaluate field Y in type interface {}",
    ),
    (
        "{{.X 1}}",
        "template: t:1:2: executing \"t\" at <.X>: X is not a method but has arguments",
    ),
    (
        "{{1 2}}",
        "template: t:1:2: executing \"t\" at <1>: can't give argument to non-function 1",
    ),
    (
        "{{call .X}}",
        "template: t:1:2: executing \"t\" at <call .X>: error calling call: non-function .X of type string",
    ),
    (
        "{{len 3}}",
        "template: t:1:2: executing \"t\" at <len 3>: error calling len: len of type int",
    ),
    (
        "{{$x := 1}}{{$x = .X}}{{$x | printf \"%d\"}}",
        "",
    ),
];

#[test]
fn exec_error_texts() {
    let mut failures = Vec::new();
    for (t, want) in EXEC_ERRORS {
        let got = run(t);
        if want.is_empty() {
            if got.is_err() {
                failures.push(format!("{t:?}: want success, got {got:?}"));
            }
            continue;
        }
        match &got {
            Err(e) if e == want => {}
            _ => failures.push(format!("{t:?}:\n  want {want:?}\n  got  {got:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn missingkey_modes() {
    assert_eq!(
        run_with("{{.nope}}", MissingKey::Invalid).unwrap(),
        "<no value>"
    );
    assert_eq!(
        run_with("{{.nope}}", MissingKey::Zero).unwrap(),
        "<no value>"
    );
    assert_eq!(
        run_with("{{.nope}}", MissingKey::Error).unwrap_err(),
        "template: t:1:2: executing \"t\" at <.nope>: map has no entry for key \"nope\""
    );
    assert_eq!(
        run_with("{{.U.nope}}", MissingKey::Error).unwrap_err(),
        "template: t:1:4: executing \"t\" at <.U.nope>: map has no entry for key \"nope\""
    );
    // A present null is not missing.
    assert_eq!(
        run_with("{{.NIL}}", MissingKey::Error).unwrap(),
        "<no value>"
    );
}

/// (template, exact parse error)
const PARSE_ERRORS: &[(&str, &str)] = &[
    ("{{end}}", "template: t:1: unexpected {{end}}"),
    ("{{else}}", "template: t:1: unexpected {{else}}"),
    ("{{if .X}}", "template: t:1: unexpected EOF"),
    ("{{range}}", "template: t:1: missing value for range"),
    ("{{.X", "template: t:1: unclosed action"),
    ("{{.X\n}}", ""),
    ("{{$x}}", "template: t:1: undefined variable \"$x\""),
    (
        "{{nofunc}}",
        "template: t:1: function \"nofunc\" not defined",
    ),
    (
        "{{printf | true}}",
        "template: t:1: non executable command in pipeline stage 2",
    ),
    ("{{)}}", "template: t:1: unexpected right paren"),
    ("{{(1}}", "template: t:1: unclosed left paren"),
    ("{{3k}}", "template: t:1: bad number syntax: \"3k\""),
    ("{{\"\\z\"}}", "template: t:1: invalid syntax"),
    (
        "{{define \"a\"}}a{{end}}{{define \"a\"}}b{{end}}",
        "template: t:1: template: multiple definition of template \"a\"",
    ),
    ("{{break}}", "template: t:1: {{break}} outside {{range}}"),
    (
        "{{range .SI}}{{continue 1}}{{end}}",
        "template: t:1: unexpected \"1\" in {{continue}}",
    ),
    ("{{.X.}}", "template: t:1: unexpected <.> in operand"),
    (
        "{{/* x */ }}",
        "template: t:1: comment ends before closing delimiter",
    ),
    ("{{/* x", "template: t:1: unclosed comment"),
    ("{{\"x}}", "template: t:1: unterminated quoted string"),
    ("{{`x}}", "template: t:1: unterminated raw quoted string"),
    ("{{'a}}", "template: t:1: unterminated character constant"),
    ("{{a:b}}", "template: t:1: function \"a\" not defined"),
    ("{{$x:b}}", "template: t:1: undefined variable \"$x\""),
    ("{{1.X}}", "template: t:1: bad number syntax: \"1.X\""),
    (
        "{{\"a\".X}}",
        "template: t:1: unexpected . after term \"\\\"a\\\"\"",
    ),
    ("{{.X|}}", ""),
    ("{{if}}{{end}}", "template: t:1: missing value for if"),
    (
        "{{with .X}}{{else}}{{else}}{{end}}",
        "template: t:1: expected end; found {{else}}",
    ),
    (
        "{{range $x, $y, $z := .}}{{end}}",
        "template: t:1: too many declarations in range",
    ),
    (
        "{{$x, $y := 1}}",
        "template: t:1: too many declarations in command",
    ),
    (
        "{{range $x, 1 := .}}{{end}}",
        "template: t:1: range can only initialize variables",
    ),
    (
        "{{template .X}}",
        "template: t:1: unexpected \".X\" in template clause",
    ),
    ("a\nb\n{{.X", "template: t:3: unclosed action"),
    ("{{.X\n\n", "template: t:3: unclosed action started at t:1"),
    (
        "{{\n.X | \"x\"}}",
        "template: t:2: non executable command in pipeline stage 2",
    ),
    ("{{@}}", "template: t:1: unexpected \"@\" in command"),
    (
        "{{\u{1}}}",
        "template: t:1: unrecognized character in action: U+0001",
    ),
    ("{{.X€}}", "template: t:1: bad character U+20AC '€'"),
    ("{{08}}", "template: t:1: integer overflow: \"08\""),
    (
        "{{99999999999999999999}}",
        "template: t:1: integer overflow: \"99999999999999999999\"",
    ),
    (
        "{{ 1 | printf }}x{{end}}",
        "template: t:1: unexpected {{end}}",
    ),
    (
        "{{\"very long string here\" \"\n}}",
        "template: t:1: unterminated quoted string",
    ),
    (
        "{{if true}}{{define \"x\"}}{{end}}{{end}}",
        "template: t:1: unexpected <define> in command",
    ),
];

#[test]
fn parse_error_texts() {
    let mut failures = Vec::new();
    for (t, want) in PARSE_ERRORS {
        let got = Template::parse("t", t, funcs::openbao).map(|_| ());
        if want.is_empty() {
            if let Err(e) = got {
                failures.push(format!("{t:?}: want success, got {e:?}"));
            }
            continue;
        }
        match &got {
            Err(e) if e == want => {}
            _ => failures.push(format!("{t:?}:\n  want {want:?}\n  got  {got:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn openbao_wrapping() {
    assert_eq!(openbao::new_template("").err().unwrap(), "missing template");
    assert_eq!(
        openbao::new_template("{{ .a").err().unwrap(),
        "unable to parse template: template: template:1: unclosed action"
    );
    let t = openbao::new_template("{{ .a.b }}").unwrap();
    assert_eq!(
        openbao::generate(&t, &json!({"a": {}}), MissingKey::Error).unwrap_err(),
        "unable to apply template: template: template:1:5: executing \"template\" at <.a.b>: map has no entry for key \"b\""
    );
}

#[test]
fn deep_nesting_is_refused_not_a_crash() {
    let deep = format!("{{{{{}1{}}}}}", "(".repeat(5000), ")".repeat(5000));
    assert_eq!(
        Template::parse("t", &deep, funcs::openbao).err().unwrap(),
        "template: t:1: max expression depth exceeded"
    );
    let ifs = format!("{}x{}", "{{if 1}}".repeat(5000), "{{end}}".repeat(5000));
    assert!(Template::parse("t", &ifs, funcs::openbao).is_err());
    // Recursion through {{template}} stops with Go's error.
    let rec = "{{define \"a\"}}{{template \"a\" .}}{{end}}{{template \"a\" .}}";
    let e = run(rec).unwrap_err();
    assert!(
        e.ends_with("exceeded maximum template depth (100000)"),
        "{e}"
    );
}

#[test]
fn random_templates_never_panic() {
    use rand::{Rng, SeedableRng};
    let alphabet: Vec<char> = "{}-. |()\"`\\$:=,abc_01'/*\ni".chars().collect();
    let words = [
        "{{", "}}", "{{-", "-}}", "if", "else", "end", "range", "with", "define", "template",
        "block", "break", "continue", ".SI", ".X", ".MSI", "index", "len", "eq", "printf", "$x",
        ":=", "nil", "true", "1", "1.5", "\"s\"", "slice", "and", "or", "not", "call", "print",
    ];
    let mut rng = rand::rngs::StdRng::seed_from_u64(13);
    for _ in 0..20_000 {
        let n = rng.gen_range(0..14);
        let mut s = String::new();
        for _ in 0..n {
            if rng.gen_bool(0.6) {
                s.push_str(words[rng.gen_range(0..words.len())]);
                s.push(' ');
            } else {
                s.push(alphabet[rng.gen_range(0..alphabet.len())]);
            }
        }
        let _ = run(&s);
        let _ = run_with(&s, MissingKey::Error);
    }
}

#[test]
fn range_two_vars_visible_in_body() {
    assert_eq!(
        run("{{ range $i, $g := .SS }}{{ if $i }}_{{ end }}{{ $g }}{{ end }}").unwrap(),
        "a_b"
    );
}
