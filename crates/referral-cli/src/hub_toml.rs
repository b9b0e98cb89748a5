//! Hub configuration files (TOML) for `create-hub`: every key optional, defaults from the spec.
use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, Context, Result};
use referral_client::{ConfigDelay, HubConfig, Milestone, PeriodKind, Tier};
use serde::Deserialize;

/// The file's shape. Example in `migrations/hub.example.toml`.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct HubToml {
    pub hub_id: Option<u64>,
    pub collection: Option<String>,
    pub referrer_fee_bps: Option<u16>,
    pub referee_multiplier_bps: Option<u16>,
    pub flat_level1_share_bps: Option<u16>,
    pub depth: Option<u8>,
    pub level_shares_bps: Option<[u16; 3]>,
    pub invite_only: Option<bool>,
    pub min_stake_to_earn: Option<u16>,
    pub min_stake_seconds: Option<u32>,
    pub milestones: Option<Vec<MilestoneToml>>,
    /// "calendar-month" (default) or "fixed".
    pub period: Option<String>,
    pub period_seconds: Option<u32>,
    pub period_origin: Option<i64>,
    /// Seconds; absent = at the start of the next period.
    pub config_delay_seconds: Option<u32>,
    pub tiers: Option<Vec<TierToml>>,
    pub registration_window_seconds: Option<u32>,
    pub claim_window_seconds: Option<u32>,
    pub reporters: Option<Vec<String>>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct MilestoneToml {
    pub count: u16,
    pub multiplier_bps: u16,
    pub share_bps: u16,
    #[serde(default)]
    pub step_multiplier_bps: u16,
    #[serde(default)]
    pub step_share_bps: u16,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct TierToml {
    pub threshold: u64,
    pub share_bps: u16,
}

fn key(s: &str, what: &str) -> Result<Pubkey> {
    s.parse().map_err(|_| anyhow!("{what} {s:?} is not a base58 public key"))
}

impl HubToml {
    pub fn parse(text: &str) -> Result<HubToml> {
        toml::from_str(text).context("invalid hub config file")
    }

    /// The configuration, validated with the program's own rules (same named errors as on chain).
    pub fn to_config(&self) -> Result<HubConfig> {
        let collection = match &self.collection {
            Some(c) => key(c, "collection")?,
            None => Pubkey::default(),
        };
        let mut c = HubConfig::with_defaults(collection);
        macro_rules! set {
            ($($f:ident),*) => { $( if let Some(v) = self.$f { c.$f = v; } )* };
        }
        set!(
            referrer_fee_bps,
            referee_multiplier_bps,
            flat_level1_share_bps,
            depth,
            level_shares_bps,
            invite_only,
            min_stake_to_earn,
            min_stake_seconds,
            registration_window_seconds,
            claim_window_seconds
        );
        if let Some(ms) = &self.milestones {
            c.milestones = ms
                .iter()
                .map(|m| Milestone {
                    count: m.count,
                    multiplier_bps: m.multiplier_bps,
                    share_bps: m.share_bps,
                    step_multiplier_bps: m.step_multiplier_bps,
                    step_share_bps: m.step_share_bps,
                })
                .collect();
        }
        if let Some(ts) = &self.tiers {
            c.tiers = ts.iter().map(|t| Tier { threshold: t.threshold, share_bps: t.share_bps }).collect();
        }
        c.period = match self.period.as_deref() {
            None | Some("calendar-month") => PeriodKind::CalendarMonth,
            Some("fixed") => PeriodKind::Fixed {
                seconds: self.period_seconds.ok_or_else(|| anyhow!("period = \"fixed\" needs period_seconds"))?,
                origin: self.period_origin.unwrap_or(0),
            },
            Some(other) => anyhow::bail!("period {other:?}: use \"calendar-month\" or \"fixed\""),
        };
        if let Some(s) = self.config_delay_seconds {
            c.config_delay = ConfigDelay::Seconds(s);
        }
        if let Some(rs) = &self.reporters {
            c.reporters = rs.iter().map(|r| key(r, "reporter")).collect::<Result<_>>()?;
        }
        c.validate().map_err(|e| anyhow!("the hub config breaks a rule of the program: {e:?} ({e})"))?;
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let c = HubToml::parse("").and_then(|t| t.to_config()).map_err(|e| e.to_string());
        assert_eq!(c.map(|c| c.referrer_fee_bps), Ok(500));
        let t = HubToml::parse("referrer_fee_bps = 300\ndepth = 3\nlevel_shares_bps = [500, 200, 0]\n").expect("parse");
        let c = t.to_config().expect("valid");
        assert_eq!((c.referrer_fee_bps, c.depth, c.level_shares_bps), (300, 3, [500, 200, 0]));
    }

    #[test]
    fn rule_violations_are_named() {
        let e = HubToml::parse("referrer_fee_bps = 6000").and_then(|t| t.to_config()).map(|_| ()).unwrap_err();
        assert!(e.to_string().contains("ReferrerFeeAboveCap"), "{e}");
        let e = HubToml::parse("colour = 1").map(|_| ()).unwrap_err();
        assert!(format!("{e:#}").contains("unknown field"), "{e:#}");
    }
}
