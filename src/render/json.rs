//! JSON output: pretty-printed, key order fixed by the types, a trailing newline.

use serde::Serialize;

/// Serialises `value` as pretty JSON with a trailing newline.
pub fn to_string<T: Serialize>(value: &T) -> String {
    let mut s =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
