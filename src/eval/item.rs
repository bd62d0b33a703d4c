//! A distinct item's identity (`count distinct (case_id, party_id,
//! content_id)`): its key text, as explain shows it and as people write it,
//! and its 128-bit fingerprint, by which the item sets ([`super::items`])
//! tell items apart.

use super::engine::Engine;
use super::hash;
use super::rows::RowRef;
use crate::schema::TableId;
use crate::value::Value;

pub(super) const ITEM_SEP: char = '\u{1f}';

pub(super) const ITEM_NULL: char = '\u{0}';

/// The internal key of an item written as people read it (`a, b, c`); an
/// empty value is written as nothing or as either language's word for it.
pub fn item_of(shown: &str) -> String {
    shown
        .split(',')
        .map(|v| match v.trim() {
            "" | "(empty)" | "（空）" | "(空)" => ITEM_NULL.to_string(),
            v => v.to_string(),
        })
        .collect::<Vec<_>>()
        .join(&ITEM_SEP.to_string())
}

/// An item key's values, `None` for an empty one.
pub fn item_values(key: &str) -> Vec<Option<&str>> {
    key.split(ITEM_SEP)
        .map(|v| (v != "\u{0}").then_some(v))
        .collect()
}

/// An item key as people read it: `(case, party, content)` values joined by
/// `, `, an empty value as `empty` says it.
pub fn show_item_with(key: &str, empty: &str) -> String {
    item_values(key)
        .into_iter()
        .map(|v| v.unwrap_or(empty))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An item key in JSON: as English shows it (JSON's words are English).
pub fn serialize_item<S: serde::Serializer>(key: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    match key {
        Some(k) => s.serialize_str(&show_item_with(k, "(empty)")),
        None => s.serialize_none(),
    }
}

impl<'p> Engine<'p> {
    /// The identity of a distinct item: its values joined with a separator
    /// no CSV text field can hold unnoticed (U+001F), empty values as U+0000.
    /// A distinct item's fingerprint, without building its key text.
    pub(super) fn item_fingerprint(&self, t: TableId, row: RowRef<'_>, cols: &[usize]) -> u128 {
        let mut h = hash::ItemHasher::new();
        for c in cols {
            match row.get(self.plan.slot(t, *c)) {
                Value::Null => h.field(&[0]),
                Value::Str(x) => h.field(x.as_bytes()),
                v => h.field(self.show(t, *c, v).as_bytes()),
            }
        }
        h.finish()
    }

    pub fn item_key(&self, t: TableId, row: RowRef<'_>, cols: &[usize]) -> String {
        let mut s = String::new();
        for (i, c) in cols.iter().enumerate() {
            if i > 0 {
                s.push(ITEM_SEP);
            }
            match row.get(self.plan.slot(t, *c)) {
                Value::Null => s.push(ITEM_NULL),
                Value::Str(x) => s.push_str(x),
                v => s.push_str(&self.show(t, *c, v)),
            }
        }
        s
    }
}
