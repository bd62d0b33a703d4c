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

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b));
        }
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

/// A 128-bit fingerprint of a key, for duplicate detection without keeping
/// the key's text: two independent 64-bit hashes (a false duplicate needs a
/// collision of both, about 1 in 10^38 per pair).
pub fn fingerprint(s: &str) -> u128 {
    let mut a = FxHasher { hash: 0 };
    a.write(s.as_bytes());
    a.write_usize(s.len());
    // FNV-1a, independent of Fx.
    let mut b: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in s.as_bytes() {
        b ^= *byte as u64;
        b = b.wrapping_mul(0x0000_0100_0000_01b3);
    }
    ((a.finish() as u128) << 64) | b as u128
}

/// A 64-bit fingerprint of a key (FNV-1a mixed with Fx). Where two keys share
/// one, the caller compares the text: fingerprints only speed things up.
pub fn fp64(s: &str) -> u64 {
    let f = fingerprint(s);
    (f as u64) ^ ((f >> 64) as u64).rotate_left(29)
}

/// A fingerprint of several values (a distinct item), fed field by field:
/// two Fx hashes with different seeds, eight bytes a step.
pub struct ItemHasher {
    a: FxHasher,
    b: FxHasher,
}

impl Default for ItemHasher {
    fn default() -> Self {
        ItemHasher::new()
    }
}

impl ItemHasher {
    pub fn new() -> ItemHasher {
        ItemHasher {
            a: FxHasher { hash: 0 },
            b: FxHasher {
                hash: 0x9e37_79b9_7f4a_7c15,
            },
        }
    }
    pub fn field(&mut self, bytes: &[u8]) {
        self.a.write(bytes);
        self.a.write_usize(bytes.len());
        self.b.write_usize(bytes.len());
        self.b.write(bytes);
        self.b.add(0x1f);
    }
    pub fn finish(&self) -> u128 {
        ((self.a.finish() as u128) << 64) | self.b.finish().rotate_left(17) as u128
    }
}
