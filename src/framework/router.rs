//! A backend's route table, as Vault's `framework.Backend` keeps its `Paths`: each route is a
//! pattern in Vault's regex syntax (anchored, `(?P<name>...)` captures), tried in order against
//! the request path relative to the mount; the first that matches answers. The core never
//! looks inside a mount's paths: it hands the request to the mount's backend, whose table
//! decides.

use regex::Regex;

/// The named groups a matching route captured from the path (`name` → `alice`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Captures(Vec<(String, String)>);

impl Captures {
    /// The text captured by the group `name`; empty when it did not take part in the match.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// Whether the group `name` took part in the match.
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }
}

/// Routes from patterns to handlers (`H`: usually a function pointer).
pub struct Routes<H> {
    table: Vec<(Regex, H)>,
}

impl<H> Routes<H> {
    /// The table of `(pattern, handler)` pairs, in matching order. A pattern is anchored at
    /// both ends. Panics on a pattern that does not compile: the patterns are the program's
    /// own constants, checked by each backend's tests.
    pub fn new(entries: Vec<(&str, H)>) -> Self {
        let table = entries
            .into_iter()
            .map(|(p, h)| {
                let re = Regex::new(&format!("^(?:{p})$"))
                    .unwrap_or_else(|e| panic!("route pattern {p:?}: {e}"));
                (re, h)
            })
            .collect();
        Routes { table }
    }

    /// The first route matching `path`, with what it captured.
    pub fn find(&self, path: &str) -> Option<(&H, Captures)> {
        self.table.iter().find_map(|(re, h)| {
            let caps = re.captures(path)?;
            let named = re
                .capture_names()
                .flatten()
                .filter_map(|n| Some((n.to_string(), caps.name(n)?.as_str().to_string())))
                .collect();
            Some((h, Captures(named)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_match_wins_and_captures_are_named() {
        let r = Routes::new(vec![
            ("auth", 1),
            ("auth/(?P<path>.+)/tune", 2),
            ("auth/(?P<path>.*)", 3),
        ]);
        assert_eq!(r.find("auth").map(|(h, _)| *h), Some(1));
        let (h, c) = r.find("auth/jwt/x/tune").unwrap();
        assert_eq!((*h, c.get("path")), (2, "jwt/x"));
        let (h, c) = r.find("auth/").unwrap();
        assert_eq!((*h, c.get("path"), c.has("path")), (3, "", true));
        assert!(r.find("authx").is_none());
        assert!(r.find("xauth").is_none());
        assert_eq!(c.get("other"), "");
    }
}
