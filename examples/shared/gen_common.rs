//! What the two data generators (`gen.rs`, `gen_quality.rs`) share: the
//! calendar, the PRNG, the stack buffer a field is formatted in, and the CSV
//! sink of one table. Included by each with `#[path]`.
#![allow(dead_code)]

use std::error::Error;
use std::fs::File;
use std::path::Path;

pub type Res<T = ()> = Result<T, Box<dyn Error>>;

pub const DAY: i64 = 86_400;
pub const HOUR: i64 = 3_600;
pub const MIN: i64 = 60;

/// The command line as `(flag, value)` pairs (`--flag value` or
/// `--flag=value`), each flag one of `known`; `None` for `-h`/`--help`.
pub fn flags(
    argv: impl Iterator<Item = String>,
    known: &[&str],
) -> Result<Option<Vec<(String, String)>>, String> {
    let mut out = Vec::new();
    let mut it = argv;
    while let Some(arg) = it.next() {
        if arg == "-h" || arg == "--help" {
            return Ok(None);
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        if !known.contains(&flag.as_str()) {
            return Err(format!("unknown argument `{arg}`"));
        }
        let value = match inline {
            Some(v) => v,
            None => it.next().ok_or_else(|| format!("`{flag}` needs a value"))?,
        };
        out.push((flag, value));
    }
    Ok(Some(out))
}

/// A non-negative whole number given to `flag`.
pub fn count(flag: &str, value: &str) -> Result<u64, String> {
    value
        .parse()
        .map_err(|_| format!("{flag}: `{value}` is not a non-negative integer"))
}

pub fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = (y - era * 400) as u32;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe as i32 - 719_468
}

pub fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = (z - era * 146_097) as u32;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe as i32 + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// splitmix64.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when n is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi` (lo when hi < lo).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            lo + self.below((hi - lo + 1) as u64) as i64
        }
    }

    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|&(_, w)| w).sum();
        let mut x = self.below(u64::from(total)) as u32;
        for &(v, w) in items {
            if x < w {
                return v;
            }
            x -= w;
        }
        items[items.len() - 1].0
    }
}

/// A small stack buffer for one formatted field.
#[derive(Clone, Copy)]
pub struct Buf {
    pub b: [u8; 48],
    pub n: usize,
}

impl AsRef<[u8]> for Buf {
    fn as_ref(&self) -> &[u8] {
        &self.b[..self.n]
    }
}

impl Buf {
    pub fn new() -> Buf {
        Buf { b: [0; 48], n: 0 }
    }

    pub fn s(mut self, s: &str) -> Buf {
        let s = s.as_bytes();
        self.b[self.n..self.n + s.len()].copy_from_slice(s);
        self.n += s.len();
        self
    }

    /// Decimal number, zero-padded to at least `width` digits.
    pub fn num(mut self, mut v: u64, width: usize) -> Buf {
        let mut tmp = [0u8; 20];
        let mut i = tmp.len();
        loop {
            i -= 1;
            tmp[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        while tmp.len() - i < width {
            i -= 1;
            tmp[i] = b'0';
        }
        let len = tmp.len() - i;
        self.b[self.n..self.n + len].copy_from_slice(&tmp[i..]);
        self.n += len;
        self
    }
}

pub fn id(prefix: &str, n: u64) -> Buf {
    Buf::new().s(prefix).num(n, 8)
}

pub struct Sink {
    pub w: csv::Writer<File>,
    pub rows: u64,
}

impl Sink {
    pub fn open(dir: &Path, table: &str, header: &[&str]) -> Res<Sink> {
        let file = File::create(dir.join(format!("{table}.csv")))?;
        let mut w = csv::WriterBuilder::new()
            .buffer_capacity(1 << 20)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(file);
        w.write_record(header)?;
        Ok(Sink { w, rows: 0 })
    }

    #[inline]
    pub fn f<T: AsRef<[u8]>>(&mut self, v: T) -> Res {
        self.w.write_field(v)?;
        Ok(())
    }

    #[inline]
    pub fn end(&mut self) -> Res {
        self.w.write_record(None::<&[u8]>)?;
        self.rows += 1;
        Ok(())
    }

    pub fn finish(mut self, name: &str) -> Res {
        self.w.flush()?;
        eprintln!("  {name:<10} {:>10} rows", self.rows);
        Ok(())
    }
}
