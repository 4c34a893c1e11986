//! FileStorage put/get cost with 10 and with 100,000 existing keys, to show that the cost of
//! one operation does not grow with the number of keys; and the cost of a login's writes (9
//! documents) as one batch (`Storage::apply`: one journal record, one fdatasync) against 9
//! single puts. Prints medians; asserts nothing.
//!
//! `cargo bench --bench storage` (optimised) or `cargo bench --bench storage --profile dev`.

use std::path::Path;
use std::time::{Duration, Instant};
use vaultjwt::storage::{FileStorage, Op, Storage};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// Creates `n` keys `bench/k<i>` the way FileStorage lays them out (`<root>/bench/_k<i>.json`),
/// without an fsync per file, so setting up 100,000 keys takes seconds rather than minutes.
fn populate(root: &Path, n: usize) {
    let dir = root.join("bench");
    std::fs::create_dir_all(&dir).expect("create bench dir");
    let doc = serde_json::to_vec(&serde_json::json!({"role_type": "jwt", "user_claim": "sub"}))
        .expect("encode");
    for i in 0..n {
        std::fs::write(dir.join(format!("_k{i}.json")), &doc).expect("write key");
    }
}

fn run(n: usize) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("storage");
    populate(&root, n);
    let s = FileStorage::open(&root, true).expect("open");
    let value = serde_json::json!({"role_type": "jwt", "bound_audiences": ["vault"], "n": 1});
    let puts: Vec<Duration> = (0..200)
        .map(|i| {
            let t = Instant::now();
            s.put(&format!("bench/new{i}"), &value).expect("put");
            t.elapsed()
        })
        .collect();
    let nine = |i: usize| -> Vec<Op> {
        (0..9)
            .map(|j| Op::Put(format!("login{j}/b{i}"), value.clone()))
            .collect()
    };
    let batches: Vec<Duration> = (0..100)
        .map(|i| {
            let ops = nine(i);
            let t = Instant::now();
            s.apply(&ops).expect("apply");
            t.elapsed()
        })
        .collect();
    let singles: Vec<Duration> = (100..200)
        .map(|i| {
            let ops = nine(i);
            let t = Instant::now();
            for op in &ops {
                s.apply(std::slice::from_ref(op)).expect("put");
            }
            t.elapsed()
        })
        .collect();
    drop(s); // the lock is per open file: release it before reopening
             // Reads are cached per open storage: time each get on a fresh one.
    let gets: Vec<Duration> = (0..500)
        .map(|i| {
            let o = FileStorage::open(&root, false).expect("open");
            let t = Instant::now();
            let v = o.get(&format!("bench/k{}", (i * 7919) % n)).expect("get");
            let e = t.elapsed();
            std::hint::black_box(v);
            e
        })
        .collect();
    let open: Vec<Duration> = (0..20)
        .map(|_| {
            let t = Instant::now();
            let o = FileStorage::open(&root, false).expect("open");
            std::hint::black_box(&o);
            t.elapsed()
        })
        .collect();
    println!(
        "{n:>7} keys: put median {:>9.1?}  get median {:>9.1?}  open median {:>9.1?}  \
         9 writes as one batch {:>9.1?}, as 9 puts {:>9.1?}",
        median(puts),
        median(gets),
        median(open),
        median(batches),
        median(singles)
    );
}

fn main() {
    // `cargo test --benches` runs this too: keep it quick there.
    let quick = std::env::args().any(|a| a == "--quick");
    run(10);
    run(if quick { 1_000 } else { 100_000 });
}
