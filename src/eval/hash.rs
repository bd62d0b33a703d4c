//! A fast non-cryptographic hasher for the evaluator's maps (keys, items,
//! departments). The inputs are the court's own ids, not adversarial.

use std::hash::{BuildHasherDefault, Hasher};

/// The Fx hash (as used in rustc): one multiply and rotate per word.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.hash = (self.hash.rotate_left(5) ^ w).wrapping_mul(SEED);
    }
}

/// The bytes as little-endian words of eight, the last padded with zeros.
#[inline]
fn words(bytes: &[u8], mut f: impl FnMut(u64)) {
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        f(u64::from_le_bytes([
            c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
        ]));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        f(u64::from_le_bytes(b));
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        words(bytes, |w| self.add(w));
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub type FxBuild = BuildHasherDefault<FxHasher>;
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, FxBuild>;

/// One step of a fingerprint: the input word is xored in and the state
/// multiplied into 128 bits, whose halves are folded together, so that every
/// input bit reaches every output bit (a plain multiply only carries upwards:
/// keys that differ in their last bytes would collide).
#[inline]
fn fold_mul(a: u64, b: u64) -> u64 {
    let r = (a as u128).wrapping_mul(b as u128);
    (r as u64) ^ ((r >> 64) as u64)
}

/// One lane of a fingerprint: a state and its multiplier.
#[derive(Clone, Copy)]
struct Lane {
    h: u64,
    k: u64,
}

impl Lane {
    #[inline]
    fn word(&mut self, w: u64) {
        self.h = fold_mul(self.h ^ w, self.k);
    }
    #[inline]
    fn bytes(&mut self, bytes: &[u8]) {
        words(bytes, |w| self.word(w));
    }
}

const K1: u64 = 0x9e37_79b9_7f4a_7c15;
const K2: u64 = 0xc4ce_b9fe_1a85_ec53;
const K3: u64 = 0xff51_afd7_ed55_8ccd;

/// A 64-bit fingerprint of a key (a row's key, a duplicate suspect). Where
/// two keys share one, the callers confirm on the key text.
pub fn fp64(s: &str) -> u64 {
    let mut l = Lane {
        h: K1 ^ s.len() as u64,
        k: SEED,
    };
    l.bytes(s.as_bytes());
    fold_mul(l.h, K3)
}

/// A fingerprint of several values (a distinct item), fed field by field: two
/// lanes with different seeds and multipliers, 128 bits in all (a false match
/// needs both to collide, about 1 in 10^38 per pair).
pub struct ItemHasher {
    a: Lane,
    b: Lane,
}

impl Default for ItemHasher {
    fn default() -> Self {
        ItemHasher::new()
    }
}

impl ItemHasher {
    pub fn new() -> ItemHasher {
        ItemHasher {
            a: Lane { h: K1, k: SEED },
            b: Lane { h: K3, k: K2 },
        }
    }
    pub fn field(&mut self, bytes: &[u8]) {
        self.a.bytes(bytes);
        self.a.word(bytes.len() as u64);
        self.b.word(bytes.len() as u64 ^ 0x1f);
        self.b.bytes(bytes);
    }
    pub fn finish(&self) -> u128 {
        ((fold_mul(self.a.h, K3) as u128) << 64) | fold_mul(self.b.h, K1) as u128
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Ids that differ only in their last digits are where a plain multiply
    /// collides (it carries upwards only): 200,000 of each shape, no collision.
    #[test]
    fn sequential_ids_do_not_collide() {
        for shape in ["SD", "(2021)沪0114民初", "P"] {
            let mut seen = HashSet::new();
            for i in 0..200_000 {
                assert!(seen.insert(fp64(&format!("{shape}{i:08}号"))), "{shape}{i}");
            }
        }
    }

    #[test]
    fn item_fields_keep_their_boundaries() {
        let item = |fields: &[&str]| {
            let mut h = ItemHasher::new();
            for f in fields {
                h.field(f.as_bytes());
            }
            h.finish()
        };
        assert_ne!(item(&["ab", "c"]), item(&["a", "bc"]));
        assert_ne!(item(&["", "x"]), item(&["x", ""]));
        assert_eq!(item(&["a", "b"]), item(&["a", "b"]));
    }
}
