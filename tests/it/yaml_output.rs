//! `-format=yaml` as the vault CLI prints it (recorded in tests/conformance/yaml-output).

use crate::common;
use common::TestEnv;

#[test]
fn yaml_quotes_as_the_vault_cli() {
    let env = TestEnv::new();
    env.run(&["secrets", "enable", "-path=kv", "kv"]).success();
    env.cmd(&["write", "kv/x", "-"])
        .stdin(
            r#"{"num": "123", "bool": "true", "empty": "", "colon": "a: b", "yes": "yes",
                "when": "2026-11-28T23:37:49.123Z", "multi": "one\ntwo", "tab": "a\tb",
                "10": 1, "2": 2, "plain": "hello world", "list": ["x", "1"], "obj": {}}"#,
        )
        .run()
        .success();
    let out = env.run(&["read", "-format=yaml", "-field=data", "kv/x"]);
    out.success().stdout_is(
        "\"2\": 2\n\"10\": 1\nbool: \"true\"\ncolon: 'a: b'\nempty: \"\"\nlist:\n- x\n- \"1\"\nmulti: |-\n  one\n  two\nnum: \"123\"\nobj: {}\nplain: hello world\ntab: \"a\\tb\"\nwhen: \"2026-11-28T23:37:49.123Z\"\n\"yes\": \"yes\"\n",
    );
}
