//! Vault's TTL arithmetic (`framework.CalculateTTL`), in whole seconds.

use crate::core::fields::human_duration;
use crate::core::{Error, Result};

/// What a TTL is computed from. `max_lease_ttl`/`default_lease_ttl` are the mount's (its
/// "system view"); `backend_*` come from the auth method (a role), 0 = unset.
#[derive(Debug, Clone, Copy, Default)]
pub struct TtlInput {
    pub default_lease_ttl: i64,
    pub max_lease_ttl: i64,
    pub increment: i64,
    pub backend_ttl: i64,
    pub period: i64,
    pub backend_max_ttl: i64,
    pub explicit_max_ttl: i64,
    /// When the token was issued: the maximum is measured from here.
    pub start: i64,
    pub now: i64,
}

/// Returns the TTL and the warnings Vault gives when it caps a value.
pub fn calculate(i: TtlInput) -> Result<(i64, Vec<String>)> {
    let mut warnings = Vec::new();
    let mut max_ttl = i.max_lease_ttl;
    if i.backend_max_ttl > 0 && i.backend_max_ttl < max_ttl {
        max_ttl = i.backend_max_ttl;
    }
    if i.explicit_max_ttl > 0 && i.explicit_max_ttl < max_ttl {
        max_ttl = i.explicit_max_ttl;
    }
    if max_ttl <= 0 {
        return Err(Error::internal("max TTL must be greater than zero"));
    }
    let start = if i.start > 0 { i.start } else { i.now };
    let mut max_valid_time = None;
    let mut ttl;
    if i.period > 0 {
        let mut period = i.period;
        if period > max_ttl {
            warnings.push(format!(
                "period of {:?} exceeded the effective max_ttl of {:?}; period value is capped accordingly",
                human_duration(period),
                human_duration(max_ttl)
            ));
            period = max_ttl;
        }
        ttl = period;
        if i.explicit_max_ttl > 0 {
            max_valid_time = Some(start.saturating_add(i.explicit_max_ttl));
        }
    } else {
        ttl = if i.increment > 0 {
            i.increment
        } else if i.backend_ttl > 0 {
            i.backend_ttl
        } else {
            i.default_lease_ttl
        };
        max_valid_time = Some(start.saturating_add(max_ttl));
    }
    if let Some(mv) = max_valid_time {
        let max_valid_ttl = mv.saturating_sub(i.now);
        if max_valid_ttl <= 0 {
            return Err(Error::internal("past the max TTL, cannot renew"));
        }
        if max_valid_ttl < ttl {
            warnings.push(format!(
                "TTL of {:?} exceeded the effective max_ttl of {:?}; TTL value is capped accordingly",
                human_duration(ttl),
                human_duration(max_valid_ttl)
            ));
            ttl = max_valid_ttl;
        }
    }
    Ok((ttl, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3600;

    fn base() -> TtlInput {
        TtlInput {
            default_lease_ttl: 768 * H,
            max_lease_ttl: 768 * H,
            start: 1000,
            now: 1000,
            ..Default::default()
        }
    }

    #[test]
    fn default_and_explicit_ttl() {
        assert_eq!(calculate(base()).unwrap(), (768 * H, vec![]));
        let i = TtlInput {
            backend_ttl: H,
            ..base()
        };
        assert_eq!(calculate(i).unwrap().0, H);
    }

    #[test]
    fn capped_by_max_with_warning() {
        let i = TtlInput {
            backend_ttl: 800 * H,
            ..base()
        };
        let (ttl, w) = calculate(i).unwrap();
        assert_eq!(ttl, 768 * H);
        assert_eq!(
            w,
            vec!["TTL of \"800h\" exceeded the effective max_ttl of \"768h\"; TTL value is capped accordingly"]
        );
    }

    #[test]
    fn max_measured_from_issue_time() {
        let i = TtlInput {
            backend_ttl: H,
            explicit_max_ttl: 2 * H,
            now: 1000 + 90 * 60,
            ..base()
        };
        assert_eq!(calculate(i).unwrap().0, 30 * 60);
        let past = TtlInput {
            now: 1000 + 2 * H,
            ..i
        };
        assert!(calculate(past).is_err());
    }

    #[test]
    fn periodic_ignores_max_lease_ttl_over_time() {
        let i = TtlInput {
            period: H,
            now: 1000 + 1000 * H,
            ..base()
        };
        assert_eq!(calculate(i).unwrap().0, H);
    }

    #[test]
    fn increment_wins_over_backend_ttl() {
        let i = TtlInput {
            backend_ttl: H,
            increment: 2 * H,
            ..base()
        };
        assert_eq!(calculate(i).unwrap().0, 2 * H);
    }
}
