//! The on-disk format of [`super::FileStorage`]'s journal, `<root>/.journal` (see the module
//! documentation of `file.rs` for how it is used).
//!
//! ```text
//! header (64 bytes):  "VJJRNL01" | applied: u64 LE | boot id (40 bytes, ASCII, 0-padded) | 8 x 0
//! records, from 64:   body_len: u32 LE | 4 x 0 | checksum of body: u64 LE | body
//! body:               ops, each: kind (b'p' put, b'd' delete) | key_len: u32 LE | key |
//!                     for a put: doc_len: u32 LE | the document, as its state file holds it
//! ```
//!
//! `applied` is the offset up to which every record has been applied to the state files (in
//! the boot named by the header). A record whose length or checksum does not check is the
//! torn tail of an append that never completed: it and anything after it are ignored. The
//! checksum is a 64-bit hash (it detects torn and garbled records; it is not a MAC).

/// One write as the journal holds it: the key and the state file's bytes (`None`: delete).
#[derive(Debug, Clone, PartialEq)]
pub struct RawOp {
    pub key: String,
    pub doc: Option<Vec<u8>>,
}

pub const MAGIC: &[u8; 8] = b"VJJRNL01";
pub const HEADER_LEN: u64 = 64;
const BOOT_LEN: usize = 40;
const RECORD_HEAD: usize = 16;

/// The decoded header.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub applied: u64,
    pub boot: String,
}

impl Header {
    pub fn encode(&self) -> [u8; HEADER_LEN as usize] {
        let mut h = [0u8; HEADER_LEN as usize];
        h[..8].copy_from_slice(MAGIC);
        h[8..16].copy_from_slice(&self.applied.to_le_bytes());
        let b = self.boot.as_bytes();
        let n = b.len().min(BOOT_LEN);
        h[16..16 + n].copy_from_slice(&b[..n]);
        h
    }

    /// `None` when the bytes are not a journal header.
    pub fn decode(h: &[u8]) -> Option<Header> {
        if h.len() < HEADER_LEN as usize || &h[..8] != MAGIC {
            return None;
        }
        let applied = u64::from_le_bytes(h[8..16].try_into().ok()?);
        let boot = &h[16..16 + BOOT_LEN];
        let end = boot.iter().position(|&c| c == 0).unwrap_or(BOOT_LEN);
        let boot = std::str::from_utf8(&boot[..end]).ok()?.to_string();
        Some(Header { applied, boot })
    }
}

/// The identity of the running kernel's boot: the page cache (and so every write not yet
/// flushed) survives exactly as long as it stays the same. Empty when unknown.
pub fn boot_id() -> String {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .map(|s| s.trim().chars().take(BOOT_LEN).collect())
        .unwrap_or_default()
}

/// A 64-bit hash over 8-byte words (fast even unoptimised): enough to tell a complete record
/// from a torn or garbled one.
fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h: u64 = (bytes.len() as u64).wrapping_mul(K) ^ 0x5851_F42D_4C95_7F2D;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let mut a = [0u8; 8];
        a.copy_from_slice(w);
        h = (h ^ u64::from_le_bytes(a)).wrapping_mul(K).rotate_left(29);
    }
    let mut a = [0u8; 8];
    a[..words.remainder().len()].copy_from_slice(words.remainder());
    h = (h ^ u64::from_le_bytes(a)).wrapping_mul(K);
    h ^ (h >> 32)
}

fn push_len(out: &mut Vec<u8>, n: usize) -> Option<()> {
    out.extend_from_slice(&u32::try_from(n).ok()?.to_le_bytes());
    Some(())
}

/// One record holding `ops`; `None` when a key or document exceeds 4 GiB.
pub fn encode(ops: &[RawOp]) -> Option<Vec<u8>> {
    let size: usize = ops
        .iter()
        .map(|o| 9 + o.key.len() + o.doc.as_ref().map_or(0, Vec::len))
        .sum();
    let mut rec = Vec::with_capacity(RECORD_HEAD + size);
    rec.extend_from_slice(&[0u8; RECORD_HEAD]);
    for op in ops {
        rec.push(if op.doc.is_some() { b'p' } else { b'd' });
        push_len(&mut rec, op.key.len())?;
        rec.extend_from_slice(op.key.as_bytes());
        if let Some(doc) = &op.doc {
            push_len(&mut rec, doc.len())?;
            rec.extend_from_slice(doc);
        }
    }
    let body = u32::try_from(rec.len() - RECORD_HEAD).ok()?;
    rec[..4].copy_from_slice(&body.to_le_bytes());
    let sum = checksum(&rec[RECORD_HEAD..]);
    rec[8..16].copy_from_slice(&sum.to_le_bytes());
    Some(rec)
}

/// Reads a u32 length at `at`.
fn len_at(b: &[u8], at: usize) -> Option<usize> {
    let w = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([w[0], w[1], w[2], w[3]]) as usize)
}

fn decode_body(body: &[u8]) -> Option<Vec<RawOp>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < body.len() {
        let kind = body[at];
        let klen = len_at(body, at + 1)?;
        let kstart = at + 5;
        let key = std::str::from_utf8(body.get(kstart..kstart.checked_add(klen)?)?).ok()?;
        at = kstart + klen;
        let doc = match kind {
            b'p' => {
                let dlen = len_at(body, at)?;
                let d = body.get(at + 4..(at + 4).checked_add(dlen)?)?.to_vec();
                at += 4 + dlen;
                Some(d)
            }
            b'd' => None,
            _ => return None,
        };
        out.push(RawOp {
            key: key.to_string(),
            doc,
        });
    }
    Some(out)
}

/// The complete records at the start of `bytes` (which begins at a record boundary), and the
/// length of the part they cover. Decoding stops at the first record that does not check.
pub fn decode(bytes: &[u8]) -> (Vec<Vec<RawOp>>, usize) {
    let mut out = Vec::new();
    let mut at = 0;
    while bytes.len() - at >= RECORD_HEAD {
        let Some(blen) = len_at(bytes, at) else {
            break;
        };
        let body = at + RECORD_HEAD;
        let Some(end) = body.checked_add(blen).filter(|&e| e <= bytes.len()) else {
            break;
        };
        let mut sum = [0u8; 8];
        sum.copy_from_slice(&bytes[at + 8..at + 16]);
        if bytes[at + 4..at + 8] != [0u8; 4]
            || checksum(&bytes[body..end]) != u64::from_le_bytes(sum)
        {
            break;
        }
        let Some(ops) = decode_body(&bytes[body..end]) else {
            break;
        };
        out.push(ops);
        at = end;
    }
    (out, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(k: &str, doc: &str) -> RawOp {
        RawOp {
            key: k.into(),
            doc: Some(doc.as_bytes().to_vec()),
        }
    }

    #[test]
    fn records_round_trip_and_a_torn_tail_is_dropped() {
        let a = vec![
            put("a/b", r#"{"x":[1,null]}"#),
            RawOp {
                key: "c".into(),
                doc: None,
            },
        ];
        let b = vec![put("z", "null")];
        let mut bytes = encode(&a).unwrap();
        let first = bytes.len();
        bytes.extend(encode(&b).unwrap());
        let all = bytes.len();
        assert_eq!(decode(&bytes), (vec![a.clone(), b.clone()], all));
        for cut in first..all {
            assert_eq!(decode(&bytes[..cut]), (vec![a.clone()], first), "cut {cut}");
        }
        for i in first..all {
            let mut flipped = bytes.clone();
            flipped[i] ^= 0x10;
            assert_eq!(decode(&flipped), (vec![a.clone()], first), "flip {i}");
        }
        assert_eq!(decode(&[]), (vec![], 0));
        assert_eq!(decode(&[0u8; 64]), (vec![], 0), "zeros are not a record");
    }

    #[test]
    fn header_round_trips() {
        let h = Header {
            applied: 1234,
            boot: "28e0390a-240a-4535-b7d3-c811c2f57693".into(),
        };
        assert_eq!(Header::decode(&h.encode()), Some(h));
        assert_eq!(Header::decode(&[0u8; 64]), None);
        assert_eq!(Header::decode(b"VJJRNL01"), None);
    }
}
