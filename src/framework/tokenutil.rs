//! Vault's `sdk/helper/tokenutil`: the token fields an auth method's role carries
//! (`token_ttl`, `token_policies`, ...), their schema block, `ParseTokenFields` and the
//! upgrade from the deprecated names (`policies`, `ttl`, ...).

use super::field::{FieldData, FieldSchema, FieldType};
use super::go::go_quote;
use std::net::IpAddr;

const PERIOD_HELP: &str = "If set, tokens created via this role
will have no max lifetime; instead, their
renewal period will be fixed to this value.
This takes an integer number of seconds,
or a string duration (e.g. \"24h\").";

const EXPLICIT_MAX_TTL_HELP: &str = "If set, tokens created via this role
carry an explicit maximum TTL. During renewal,
the current maximum TTL values of the role
and the mount are not checked for changes,
and any updates to these values will have
no effect on the token being renewed.";

/// `tokenutil.TokenFields()`.
pub fn token_fields() -> Vec<FieldSchema> {
    use FieldType::*;
    vec![
        FieldSchema::new("token_bound_cidrs", CommaStringSlice, "Comma separated string or JSON list of CIDR blocks. If set, specifies the blocks of IP addresses which are allowed to use the generated token."),
        FieldSchema::new("token_explicit_max_ttl", DurationSecond, EXPLICIT_MAX_TTL_HELP),
        FieldSchema::new("token_max_ttl", DurationSecond, "The maximum lifetime of the generated token"),
        FieldSchema::new("token_no_default_policy", Bool, "If true, the 'default' policy will not automatically be added to generated tokens"),
        FieldSchema::new("token_period", DurationSecond, PERIOD_HELP),
        FieldSchema::new("token_policies", CommaStringSlice, "Comma-separated list of policies"),
        FieldSchema::new("token_type", String, "The type of token to generate, service or batch"),
        FieldSchema::new("token_ttl", DurationSecond, "The initial ttl of the token to generate"),
        FieldSchema::new("token_num_uses", Int, "The maximum number of times a token may be used, a value of zero means unlimited"),
        FieldSchema::new("token_strictly_bind_ip", Bool, "If true, CIDRs for the token will be strictly bound to the source IP address of the login request"),
    ]
}

/// `tokenutil.DeprecationText`.
macro_rules! deprecation {
    ($new:literal) => {
        concat!(
            "Use \"",
            $new,
            "\" instead. If this and \"",
            $new,
            "\" are both specified, only \"",
            $new,
            "\" will be used."
        )
    };
}

/// The deprecated names an older role path still takes (declared by the jwt role, as by
/// most of Vault's auth methods).
pub fn deprecated_fields() -> Vec<FieldSchema> {
    use FieldType::*;
    vec![
        FieldSchema::new("policies", CommaStringSlice, deprecation!("token_policies")).deprecated(),
        FieldSchema::new("num_uses", Int, deprecation!("token_num_uses")).deprecated(),
        FieldSchema::new("ttl", DurationSecond, deprecation!("token_ttl")).deprecated(),
        FieldSchema::new("max_ttl", DurationSecond, deprecation!("token_max_ttl")).deprecated(),
        FieldSchema::new("period", DurationSecond, deprecation!("token_period")).deprecated(),
        FieldSchema::new(
            "bound_cidrs",
            CommaStringSlice,
            deprecation!("token_bound_cidrs"),
        )
        .deprecated(),
    ]
}

/// `tokenutil.TokenParams`, and the deprecated values kept beside them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TokenParams {
    /// In go-sockaddr's display form (`127.0.0.1/32` is kept as `127.0.0.1`).
    pub bound_cidrs: Vec<String>,
    pub explicit_max_ttl: i64,
    pub max_ttl: i64,
    pub no_default_policy: bool,
    pub period: i64,
    pub policies: Vec<String>,
    /// `default`, `service` or `batch` (empty: `default`).
    pub token_type: String,
    pub ttl: i64,
    pub num_uses: i64,
    pub strictly_bind_ip: bool,
    /// The deprecated names (`policies`, `bound_cidrs`, `ttl`, `max_ttl`, `period`,
    /// `num_uses`), shown on read only when set.
    pub legacy: Legacy,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Legacy {
    pub policies: Vec<String>,
    pub bound_cidrs: Vec<String>,
    pub ttl: i64,
    pub max_ttl: i64,
    pub period: i64,
    pub num_uses: i64,
}

impl TokenParams {
    /// `ParseTokenFields`, in its order and with its messages.
    pub fn parse(&mut self, d: &FieldData) -> Result<(), String> {
        if let Some(list) = d.list("token_bound_cidrs") {
            self.bound_cidrs = parse_addrs(&list)?;
        }
        if let Some(v) = d.int("token_explicit_max_ttl") {
            self.explicit_max_ttl = v;
        }
        if let Some(v) = d.int("token_max_ttl") {
            self.max_ttl = v;
        }
        if self.max_ttl < 0 {
            return Err("'token_max_ttl' cannot be negative".into());
        }
        if let Some(v) = d.bool("token_no_default_policy") {
            self.no_default_policy = v;
        }
        if let Some(v) = d.int("token_period") {
            self.period = v;
        }
        if self.period < 0 {
            return Err("'token_period' cannot be negative".into());
        }
        if let Some(v) = d.list("token_policies") {
            self.policies = v;
        }
        if let Some(t) = d.str("token_type") {
            self.token_type = match t.as_str() {
                "" | "default" => "default".into(),
                "service" => "service".into(),
                "batch" => "batch".into(),
                _ => return Err(format!("invalid 'token_type' value {}", go_quote(&t))),
            };
        }
        if self.token_type.is_empty() {
            self.token_type = "default".into();
        }
        if let Some(v) = d.int("token_num_uses") {
            self.num_uses = v;
        }
        if self.num_uses < 0 {
            return Err("'token_num_uses' cannot be negative".into());
        }
        if self.token_type == "batch" {
            if self.period != 0 {
                return Err("'token_type' cannot be 'batch' or 'default_batch' when set to generate periodic tokens".into());
            }
            if self.num_uses != 0 {
                return Err("'token_type' cannot be 'batch' or 'default_batch' when set to generate tokens with limited use count".into());
            }
        }
        if let Some(v) = d.int("token_ttl") {
            self.ttl = v;
        }
        if self.ttl < 0 {
            return Err("'token_ttl' cannot be negative".into());
        }
        if self.ttl > 0 && self.max_ttl > 0 && self.ttl > self.max_ttl {
            return Err("'token_ttl' cannot be greater than 'token_max_ttl'".into());
        }
        if let Some(v) = d.bool("token_strictly_bind_ip") {
            self.strictly_bind_ip = v;
        }
        if self.strictly_bind_ip && !self.bound_cidrs.is_empty() {
            return Err(
                "'token_strictly_bind_ip' conflicts with 'token_bound_cidrs'; set only one".into(),
            );
        }
        Ok(())
    }

    /// `tokenutil.UpgradeValue` for the six deprecated names: the old name is taken when
    /// the new one is not given; given together, the old one follows the new one; the new
    /// one alone clears the old one.
    pub fn upgrade_deprecated(&mut self, d: &FieldData) -> Result<(), String> {
        let legacy = &mut self.legacy;
        match (d.has("token_policies"), d.list("policies")) {
            (false, Some(old)) => {
                legacy.policies = parse_policies(&old);
                self.policies = legacy.policies.clone();
            }
            (true, Some(_)) => legacy.policies = self.policies.clone(),
            (true, None) => legacy.policies = Vec::new(),
            (false, None) => {}
        }
        match (d.has("token_bound_cidrs"), d.list("bound_cidrs")) {
            (false, Some(old)) => {
                legacy.bound_cidrs = parse_addrs(&old)?;
                self.bound_cidrs = legacy.bound_cidrs.clone();
            }
            (true, Some(_)) => legacy.bound_cidrs = self.bound_cidrs.clone(),
            (true, None) => legacy.bound_cidrs = Vec::new(),
            (false, None) => {}
        }
        let ints: [(&str, &str, &mut i64, &mut i64); 4] = [
            (
                "num_uses",
                "token_num_uses",
                &mut legacy.num_uses,
                &mut self.num_uses,
            ),
            ("ttl", "token_ttl", &mut legacy.ttl, &mut self.ttl),
            (
                "max_ttl",
                "token_max_ttl",
                &mut legacy.max_ttl,
                &mut self.max_ttl,
            ),
            (
                "period",
                "token_period",
                &mut legacy.period,
                &mut self.period,
            ),
        ];
        for (old_key, new_key, old, new) in ints {
            match (d.has(new_key), d.int(old_key)) {
                (false, Some(v)) => {
                    *old = v;
                    *new = v;
                }
                (true, Some(_)) => *old = *new,
                (true, None) => *old = 0,
                (false, None) => {}
            }
        }
        Ok(())
    }

    /// The legacy upgrade applied when a stored role is loaded.
    pub fn upgrade_stored(&mut self) {
        if self.token_type.is_empty() {
            self.token_type = "default".into();
        }
        let l = &self.legacy;
        if self.ttl == 0 && l.ttl > 0 {
            self.ttl = l.ttl;
        }
        if self.max_ttl == 0 && l.max_ttl > 0 {
            self.max_ttl = l.max_ttl;
        }
        if self.period == 0 && l.period > 0 {
            self.period = l.period;
        }
        if self.num_uses == 0 && l.num_uses > 0 {
            self.num_uses = l.num_uses;
        }
        if self.policies.is_empty() && !l.policies.is_empty() {
            self.policies = l.policies.clone();
        }
        if self.bound_cidrs.is_empty() && !l.bound_cidrs.is_empty() {
            self.bound_cidrs = l.bound_cidrs.clone();
        }
        // Stored addresses are read back through go-sockaddr (`SockAddrMarshaler`): IPs and
        // CIDRs come back as they were, a UNIX socket's quoted text is quoted again.
        for list in [&mut self.bound_cidrs, &mut self.legacy.bound_cidrs] {
            for a in list.iter_mut() {
                if let Ok(again) = parse_addr(a) {
                    *a = again;
                }
            }
        }
    }
}

/// `policyutil.ParsePolicies`: trimmed, lower-cased, empties dropped, de-duplicated, sorted.
pub fn parse_policies(list: &[String]) -> Vec<String> {
    let mut out: Vec<String> = list
        .iter()
        .map(|p| p.trim().to_lowercase())
        .filter(|p| !p.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// `parseutil.ParseAddrs` on a list, in display form.
pub fn parse_addrs(list: &[String]) -> Result<Vec<String>, String> {
    list.iter().map(|a| parse_addr(a)).collect()
}

/// One address as `parseutil.ParseAddrs` (go-sockaddr) reads it, in its display form.
pub fn parse_addr(addr: &str) -> Result<String, String> {
    if let Some(shown) = parse_ip_or_cidr(addr) {
        return Ok(shown);
    }
    // go-sockaddr then takes a path-like string as a UNIX socket, which never matches an IP;
    // its `String()` (what is stored and shown) is the path quoted with `%q`. Stored, it is
    // read back through here again: one more quoting (`"\"127.0.0.1/33\""`), as in OpenBao.
    if addr.len() > 1 && (addr.starts_with('.') || addr.contains('/')) {
        return Ok(go_quote(addr));
    }
    Err(format!(
        "error parsing address {}: Unable to convert {} to an IPv4 or IPv6 address, or a UNIX Socket",
        go_quote(addr),
        go_quote(addr)
    ))
}

/// An IP or CIDR in go-sockaddr's display form (a full-length prefix is dropped).
fn parse_ip_or_cidr(addr: &str) -> Option<String> {
    match addr.split_once('/') {
        None => addr.parse::<IpAddr>().ok().map(|ip| ip.to_string()),
        Some((ip, bits)) => {
            let ip: IpAddr = ip.parse().ok()?;
            let max = if ip.is_ipv4() { 32 } else { 128 };
            if bits.is_empty() || !bits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let bits: u8 = bits.parse().ok()?;
            if bits > max {
                None
            } else if bits == max {
                Some(ip.to_string())
            } else {
                Some(format!("{ip}/{bits}"))
            }
        }
    }
}

/// Whether `ip` lies inside one of the (display-form) CIDRs.
pub fn cidrs_contain(cidrs: &[String], ip: IpAddr) -> bool {
    cidrs.iter().any(|c| {
        let net = match c.split_once('/') {
            Some((a, b)) => match (a.parse::<IpAddr>(), b.parse::<u8>()) {
                (Ok(a), Ok(b)) => ipnet::IpNet::new(a, b).ok(),
                _ => None,
            },
            None => c.parse::<IpAddr>().ok().map(ipnet::IpNet::from),
        };
        net.is_some_and(|n| n.trunc().contains(&ip))
    })
}
