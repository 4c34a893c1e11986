//! Claims: resolution by name or JSON pointer with number normalisation (spec §6.1), user and
//! groups claims, `claim_mappings`, and `bound_claims` string/glob matching (§6.5).
