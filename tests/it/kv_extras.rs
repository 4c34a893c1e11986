//! KV v2 `subkeys/PATH` and `kv metadata patch` (recorded in
//! tests/conformance/kv-subkeys-metadata-patch).

use crate::common;
use common::TestEnv;
use serde_json::json;

#[test]
fn subkeys_show_the_shape_without_values() {
    let env = TestEnv::new();
    env.run(&["secrets", "enable", "-path=kv", "kv-v2"])
        .success();
    env.cmd(&["write", "kv/data/app", "-"])
        .stdin(r#"{"data": {"a": 1, "b": {"c": {"d": "secret"}, "e": [1]}, "g": {}}}"#)
        .run()
        .success();
    let all = env
        .run(&["read", "-format=json", "kv/subkeys/app"])
        .success()
        .json();
    assert_eq!(
        all["data"]["subkeys"],
        json!({"a": null, "b": {"c": {"d": null}, "e": null}, "g": null})
    );
    assert!(!all.to_string().contains("secret"));
    let top = env
        .run(&["read", "-format=json", "kv/subkeys/app", "depth=1"])
        .success()
        .json();
    assert_eq!(
        top["data"]["subkeys"],
        json!({"a": null, "b": null, "g": null})
    );
    env.run(&["read", "kv/subkeys/app", "depth=x"])
        .code(2)
        .stderr_has("error converting input for field \"depth\"");
    env.run(&["kv", "delete", "kv/app"]).success();
    let gone = env
        .run(&["read", "-format=json", "kv/subkeys/app"])
        .success()
        .json();
    assert_eq!(gone["data"]["subkeys"], json!(null));
}

#[test]
fn metadata_patch_merges() {
    let env = TestEnv::new();
    env.run(&["secrets", "enable", "-path=kv", "kv-v2"])
        .success();
    env.run(&["kv", "put", "kv/app", "a=1"]).success();
    env.run(&[
        "kv",
        "metadata",
        "patch",
        "-max-versions=5",
        "-custom-metadata=owner=me",
        "-custom-metadata=team=x",
        "kv/app",
    ])
    .success()
    .stdout_is("Success! Data written to: kv/metadata/app\n");
    env.run(&[
        "kv",
        "metadata",
        "patch",
        "-remove-custom-metadata=team",
        "-cas-required",
        "kv/app",
    ])
    .success();
    let m = env
        .run(&["kv", "metadata", "get", "-format=json", "kv/app"])
        .success()
        .json();
    assert_eq!(m["data"]["max_versions"], 5);
    assert_eq!(m["data"]["cas_required"], true);
    assert_eq!(m["data"]["custom_metadata"], json!({"owner": "me"}));
    assert_eq!(m["data"]["current_metadata_version"], 2);
    let before = env.snapshot();
    env.run(&["kv", "metadata", "patch", "-max-versions=2", "kv/nope"])
        .code(2)
        .stderr_has("Code: 404. Raw Message:");
    env.run(&[
        "kv",
        "metadata",
        "patch",
        "-delete-version-after=abc",
        "kv/app",
    ])
    .code(1)
    .stderr_has("time: invalid duration \"abc\"");
    assert_eq!(before, env.snapshot());
}
