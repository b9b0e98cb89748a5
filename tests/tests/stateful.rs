//! R-8.6 (issue 8, point 5): a seeded, reproducible randomized stateful test on the SBF binary.
//!
//! Random sequences of operations (default 10,000; `STATEFUL_OPS`) over 24 wallets and 2 hubs (`STATEFUL_SEED`
//! picks the sequence): joins with and without codes, codes, late referrers, NFT stakes and unstakes, SOL and
//! token trade reports, point awards, claims, pauses, configuration changes, period rewards (open a period,
//! fund SOL and token pools, register, claim, close pools and registrations), a referral-boosted staking
//! pool (stake, withdraw, claim, rate changes) and time steps. Each operation is
//! either valid (it must succeed, with the outcome the rules predict) or deliberately malformed (it must fail
//! with the named error). After every step:
//! - a refused operation changed no account it named (read back from the bank);
//! - every lamport and token is accounted for: lamports over the transaction's accounts and over the whole
//!   universe (wallets, members, codes, receipts, escrows, vaults, pending changes, hubs) are unchanged in sum,
//!   token amounts (plus transfer-fee withholdings) equal the mint supply, each NFT is held exactly once;
//! - each hub's referral graph is a forest and every stored level count equals the count recomputed from it;
//! - every Member's lamports == rent + claimable, its staked count == its receipts, fresh stakes <= staked;
//! - every reward pool holds exactly funded - claimed (lamports above rent, or its vault's tokens) and never
//!   paid more than it got; each period counts its open pools and open registrations right;
//! - the staking pool's total weight == its positions' weights, its stake == theirs == its stake vault, its
//!   reward vault == funded - paid.
//!
//! The universe is mirrored in memory and updated from the accounts each transaction names (only those can
//! change); every 1,000 steps and at the end the mirror is compared with the bank account by account. The
//! seed is printed first, so a failure shows it (`STATEFUL_SEED=<seed> cargo test --test stateful`).
use std::collections::{BTreeMap, BTreeSet};

use anchor_lang::error::ErrorCode as Anchor;
use anchor_lang::prelude::{Clock, Pubkey};
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::InstructionData;
use referral::constants::{MAX_MIN_STAKE_SECONDS, MIN_CONFIG_NOTICE_SECONDS};
use referral::errors::ReferralError;
use referral::logic::fees::split;
use referral::logic::periods::{period_index, period_times};
use referral::logic::pools::{apply, Change, Stake};
use referral::logic::rewards::{pool_closable, reward_share, tier_reached};
use referral::state::{PAUSE_CLAIMS, PAUSE_ROUTING, PAUSE_SIGNUPS, PAUSE_STAKING};
use referral_client::ix::{self, PoolToken, Referral, Trade};
use referral_client::{
    decode, pda, ConfigDelay, Credited, Hub, HubConfig, Member, PendingConfig, Period, PeriodKind, PoolPosition,
    ReferralCode, Registration, RewardClaim, RewardPool, RouteFeeResult, ShareOutcome, StakeReceipt, StakingPool, Tier,
};
use referral_tests::tokens::{Authority, NftSpec, TOKEN, TOKEN_2022};
use referral_tests::{replace_account, Fixture, TestKeypair, TestSigner, TransactionError};
use solana_account::Account;

const WALLETS: usize = 24;
/// Wallets `JOINERS..WALLETS` never join validly: they trade as non-members and try malformed sign-ups all
/// run long (the others are all members after a few hundred steps).
const JOINERS: usize = 20;
const DEFAULT_OPS: usize = 10_000;
const DEFAULT_SEED: u64 = 0x5EED_0008_2026_1123;
/// Unix time the run starts at (2026-11-01T00:00:00Z): with the seed, it fixes the whole timeline.
const START_TIME: i64 = 1_793_491_200;
const COLLECTION: Pubkey = Pubkey::new_from_array([91; 32]);
const WRONG_COLLECTION: Pubkey = Pubkey::new_from_array([92; 32]);
const CODES_PER_HUB: usize = 30;
const TOKENS_PER_WALLET: u64 = 1_000_000_000_000;

/// splitmix64: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<T: Copy>(&mut self, v: &[T]) -> Option<T> {
        if v.is_empty() {
            None
        } else {
            Some(v[self.below(v.len())])
        }
    }
}

/// What an operation must do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// Succeed.
    Ok,
    /// Fail with this custom error code.
    Err(u32),
    /// Fail (a runtime or system error, e.g. a payer that cannot afford the share).
    Fail,
}

fn err(e: impl Into<u32>) -> Expect {
    Expect::Err(e.into())
}

/// What a successful operation must have done, checked on its return data and accounts.
#[derive(Clone, Debug)]
enum Post {
    None,
    /// A trade report: this outcome and share; `claimable` of the referrer's Member grows by the share
    /// (SOL), or the vault by what was credited (tokens).
    Route {
        outcome: ShareOutcome,
        share: u64,
        referrer: Option<Pubkey>,
        vault: Option<Pubkey>,
    },
    /// An award returns what was credited; nothing but Members changes.
    Award,
    /// A claim moves `amount` to `to`, which also paid `rent` (a period reward claim's record, R-5.7).
    Claim {
        amount: u64,
        to: Pubkey,
        rent: u64,
    },
}

/// One planned operation.
struct Op {
    name: &'static str,
    malformed: bool,
    ixs: Vec<Instruction>,
    signers: Vec<usize>,
    expect: Expect,
    post: Post,
}

/// One NFT of the test: its mint, its owner (wallet index) and whether it can be staked at all.
#[derive(Clone, Copy)]
struct Nft {
    mint: Pubkey,
    owner: usize,
    token: Pubkey,
    /// `None`: a good NFT; otherwise the error staking it gives.
    bad: Option<ReferralError>,
    /// Its stake receipt and escrow in hub A (derived once: PDA searches are slow on the host).
    receipt: Pubkey,
    escrow: Pubkey,
}

struct Sim {
    fx: Fixture,
    rng: Rng,
    /// Wallets, then the reporter (signer indices).
    keys: Vec<TestKeypair>,
    reporter: usize,
    hubs: [Pubkey; 2],
    admins: [usize; 2],
    fee_mints: [(Pubkey, Pubkey); 2],
    nfts: Vec<Nft>,
    codes: [Vec<String>; 2],
    /// Member addresses `[hub][wallet]` and code addresses `[hub][code]`, derived once.
    member_keys: [Vec<Pubkey>; 2],
    code_keys: [Vec<Pubkey>; 2],
    universe: BTreeSet<Pubkey>,
    mirror: BTreeMap<Pubkey, Option<Account>>,
    lamports: u128,
    supplies: [u64; 2],
    now: i64,
    slot: u64,
    stats: BTreeMap<String, u64>,
    step: usize,
    /// Periods opened `(hub, index, address)`, reward pools funded, registrations made (issue 10).
    periods: Vec<(usize, u32, Pubkey)>,
    pools: Vec<PoolRef>,
    registrations: Vec<(usize, Pubkey, Pubkey)>,
    /// The staking pool of hub B (issue 11): stake in the SPL fee mint, rewards in the Token-2022 one.
    staking_pool: Pubkey,
    pool_tokens: (PoolToken, PoolToken),
}

/// A reward pool of the run: its hub, period, address, funder (wallet index) and asset (`None` = SOL).
#[derive(Clone, Copy)]
struct PoolRef {
    h: usize,
    period: Pubkey,
    key: Pubkey,
    funder: usize,
    asset: Option<(Pubkey, Pubkey)>,
}

fn member_rent() -> u64 {
    solana_rent::Rent::default().minimum_balance(Member::SPACE)
}

impl Sim {
    fn w(&self, i: usize) -> Pubkey {
        self.keys[i].pubkey()
    }

    fn account<T: anchor_lang::AccountDeserialize>(&self, key: &Pubkey) -> Option<T> {
        let acc = self.mirror.get(key)?.as_ref()?;
        if acc.data.is_empty() {
            return None;
        }
        Some(decode::account::<T>(&acc.data).unwrap_or_else(|e| panic!("step {}: {key}: {e}", self.step)))
    }

    fn hub(&self, h: usize) -> Hub {
        self.account(&self.hubs[h]).expect("hub")
    }

    fn mk(&self, h: usize, w: usize) -> Pubkey {
        self.member_keys[h][w]
    }

    fn member(&self, h: usize, w: usize) -> Option<Member> {
        self.account(&self.mk(h, w))
    }

    fn members(&self, h: usize) -> Vec<usize> {
        (0..WALLETS).filter(|&w| self.member(h, w).is_some()).collect()
    }

    fn non_members(&self, h: usize) -> Vec<usize> {
        (0..WALLETS).filter(|&w| self.member(h, w).is_none()).collect()
    }

    fn token_amount(&self, key: &Pubkey) -> Option<u64> {
        let acc = self.mirror.get(key)?.as_ref()?;
        if acc.data.is_empty() {
            return None;
        }
        decode::token_amounts(&acc.data).ok().map(|(a, _)| a)
    }

    fn fetch(&self, key: &Pubkey) -> Option<Member> {
        self.account::<Member>(key)
    }

    /// The link to join or set a referrer through `r` (by address or, when it has one, by a code).
    fn referral(&self, h: usize, r: usize, by_code: bool) -> Referral {
        let referrer = self.member(h, r).expect("referrer is a member");
        let upline = ix::upline(&referrer, |k| self.fetch(k));
        if by_code {
            if let Some(code) = self.codes[h].iter().find(|c| self.code_owner(h, c) == Some(self.w(r))) {
                let typed = if code.len() % 2 == 0 { code.to_uppercase() } else { code.clone() };
                return Referral::Code { code: typed, referrer_wallet: self.w(r), upline };
            }
        }
        Referral::Address { referrer_wallet: self.w(r), upline }
    }

    fn code_owner(&self, h: usize, code: &str) -> Option<Pubkey> {
        let i = self.codes[h].iter().position(|c| c == code)?;
        self.account::<ReferralCode>(&self.code_keys[h][i]).map(|c| c.owner)
    }

    /// Who a trade of wallet `w` in hub `h` credits, read from the mirror.
    fn trade(&self, h: usize, w: usize) -> Trade {
        let depth = self.hub(h).rules.depth;
        let Some(m) = self.member(h, w).filter(|m| m.has_referrer()) else {
            return Trade { trader_wallet: self.w(w), referrer_wallet: None, upline: vec![] };
        };
        let referrer = self.fetch(&m.referrer).expect("referrer");
        let upline = ix::upline_to_depth(&referrer, depth, |k| self.fetch(k));
        Trade { trader_wallet: self.w(w), referrer_wallet: Some(referrer.wallet), upline }
    }

    /// The outcome the rules give a trade of `w` in `h` paying `fee`, and the share.
    fn predict(&self, h: usize, w: usize, fee: u64) -> (ShareOutcome, u64, Option<Pubkey>) {
        let hub = self.hub(h);
        if hub.is_paused(PAUSE_ROUTING) {
            return (ShareOutcome::RoutingPaused, 0, None);
        }
        let Some(m) = self.member(h, w) else { return (ShareOutcome::NotMember, 0, None) };
        if !m.has_referrer() {
            return (ShareOutcome::NoReferrer, 0, None);
        }
        let r = self.fetch(&m.referrer).expect("referrer");
        if r.counted_stakes(self.slot) < hub.rules.min_stake_to_earn {
            return (ShareOutcome::NotEligible, 0, Some(m.referrer));
        }
        let s = split(fee, hub.rules.referrer_fee_bps);
        if s.referrer_share == 0 {
            return (ShareOutcome::ZeroShare, 0, Some(m.referrer));
        }
        (ShareOutcome::Routed, s.referrer_share, Some(m.referrer))
    }

    fn op(
        &mut self,
        name: &'static str,
        malformed: bool,
        ixs: Vec<Instruction>,
        signers: Vec<usize>,
        expect: Expect,
    ) -> Op {
        Op { name, malformed, ixs, signers, expect, post: Post::None }
    }

    // ----- operation generators -----

    fn gen_join(&mut self, malformed: bool) -> Option<Op> {
        let h = self.rng.below(2);
        let hub = self.hub(h);
        let members = self.members(h);
        let outsiders = self.non_members(h);
        let paused = hub.is_paused(PAUSE_SIGNUPS);
        if !malformed {
            let joiners: Vec<usize> = outsiders.iter().copied().filter(|&w| w < JOINERS).collect();
            let w = self.rng.pick(&joiners)?;
            let via = match self.rng.pick(&members) {
                Some(r) if self.rng.chance(60) || ((hub.rules.invite_only != 0) && w != self.admins[h]) => {
                    let by_code = self.rng.chance(50);
                    self.referral(h, r, by_code)
                }
                _ => Referral::None,
            };
            let alone = via == Referral::None;
            let expect = if paused {
                err(ReferralError::SignupsPaused)
            } else if alone && (hub.rules.invite_only != 0) && w != self.admins[h] {
                err(ReferralError::InviteOnly)
            } else {
                Expect::Ok
            };
            let ixj = ix::join(&self.w(w), &self.w(w), &self.hubs[h], via).expect("join builder");
            return Some(self.op("join", false, vec![ixj], vec![w], expect));
        }
        if paused {
            return None;
        }
        match self.rng.below(6) {
            0 => {
                // Already a member (joining through a referrer, so invite-only does not answer first).
                let w = self.rng.pick(&members)?;
                let r = self.rng.pick(&members.iter().copied().filter(|&r| r != w).collect::<Vec<_>>())?;
                let via = self.referral(h, r, false);
                let ixj = ix::join(&self.w(w), &self.w(w), &self.hubs[h], via).expect("join");
                Some(self.op("join: already a member", true, vec![ixj], vec![w], err(ReferralError::AlreadyMember)))
            }
            1 => {
                // A code, but the referrer account of another member.
                let w = self.rng.pick(&outsiders)?;
                let owner_code = self.codes[h].iter().find(|c| self.code_owner(h, c).is_some())?.clone();
                let owner = self.code_owner(h, &owner_code)?;
                let other =
                    self.rng.pick(&members.iter().copied().filter(|&r| self.w(r) != owner).collect::<Vec<_>>())?;
                let other_m = self.member(h, other)?;
                let upline = ix::upline(&other_m, |k| self.fetch(k));
                let via = Referral::Code { code: owner_code, referrer_wallet: self.w(other), upline };
                let ixj = ix::join(&self.w(w), &self.w(w), &self.hubs[h], via).expect("join");
                Some(self.op(
                    "join: code of someone else",
                    true,
                    vec![ixj],
                    vec![w],
                    err(ReferralError::CodeOwnerMismatch),
                ))
            }
            2 => {
                // The referrer's upline left out or replaced.
                let w = self.rng.pick(&outsiders)?;
                let r = self.rng.pick(&members)?;
                let rm = self.member(h, r)?;
                let (upline, e) = if rm.has_referrer() {
                    (vec![], ReferralError::UplineIncomplete)
                } else {
                    let x = self.rng.pick(&members.iter().copied().filter(|&x| x != r).collect::<Vec<_>>())?;
                    (vec![self.mk(h, x)], ReferralError::UplineMismatch)
                };
                let via = Referral::Address { referrer_wallet: self.w(r), upline };
                let ixj = ix::join(&self.w(w), &self.w(w), &self.hubs[h], via).expect("join");
                Some(self.op("join: forged upline", true, vec![ixj], vec![w], err(e)))
            }
            3 => {
                // A referrer of the other hub.
                let w = self.rng.pick(&outsiders)?;
                let r = self.rng.pick(&self.members(1 - h))?;
                let mut ixj = ix::join(
                    &self.w(w),
                    &self.w(w),
                    &self.hubs[h],
                    Referral::Address { referrer_wallet: self.w(r), upline: vec![] },
                )
                .expect("join");
                replace_account(&mut ixj, &self.mk(h, r), self.mk(1 - h, r));
                Some(self.op(
                    "join: referrer of another hub",
                    true,
                    vec![ixj],
                    vec![w],
                    err(ReferralError::ReferrerNotMember),
                ))
            }
            4 => {
                // Invite-only hub, no referral, not the admin.
                if hub.rules.invite_only == 0 {
                    return None;
                }
                let w =
                    self.rng.pick(&outsiders.iter().copied().filter(|&w| w != self.admins[h]).collect::<Vec<_>>())?;
                let ixj = ix::join(&self.w(w), &self.w(w), &self.hubs[h], Referral::None).expect("join");
                Some(self.op(
                    "join: invite-only without a link",
                    true,
                    vec![ixj],
                    vec![w],
                    err(ReferralError::InviteOnly),
                ))
            }
            _ => {
                // Naming itself as the referrer: its Member does not exist yet.
                let w = self.rng.pick(&outsiders)?;
                let via = Referral::Address { referrer_wallet: self.w(w), upline: vec![] };
                let ixj = ix::join(&self.w(w), &self.w(w), &self.hubs[h], via).expect("join");
                Some(self.op(
                    "join: self as referrer",
                    true,
                    vec![ixj],
                    vec![w],
                    err(Anchor::AccountOwnedByWrongProgram),
                ))
            }
        }
    }

    fn gen_make_code(&mut self, malformed: bool) -> Option<Op> {
        let h = self.rng.below(2);
        let members = self.members(h);
        let w = self.rng.pick(&members)?;
        let free: Vec<String> = self.codes[h].iter().filter(|c| self.code_owner(h, c).is_none()).cloned().collect();
        let taken: Vec<String> = self.codes[h].iter().filter(|c| self.code_owner(h, c).is_some()).cloned().collect();
        if !malformed {
            let code = free.get(self.rng.below(free.len().max(1)))?.clone();
            let typed = if self.rng.chance(30) { code.to_uppercase() } else { code };
            let ixc = ix::make_code(&self.w(w), &self.w(w), &self.hubs[h], &typed).expect("code");
            return Some(self.op("make_code", false, vec![ixc], vec![w], Expect::Ok));
        }
        match self.rng.below(3) {
            0 => {
                let code = taken.get(self.rng.below(taken.len().max(1)))?.clone();
                let ixc = ix::make_code(&self.w(w), &self.w(w), &self.hubs[h], &code.to_uppercase()).expect("code");
                Some(self.op("make_code: taken", true, vec![ixc], vec![w], err(ReferralError::CodeTaken)))
            }
            1 => {
                let code = free.first()?.clone();
                let mut ixc = ix::make_code(&self.w(w), &self.w(w), &self.hubs[h], &code).expect("code");
                let bad = ["ab c", "émile", "a.b", "no!"][self.rng.below(4)];
                ixc.data = referral::instruction::MakeCode { code: bad.to_string() }.data();
                Some(self.op("make_code: bad characters", true, vec![ixc], vec![w], err(ReferralError::CodeCharacter)))
            }
            _ => {
                let outsider = self.rng.pick(&self.non_members(h))?;
                let code = free.first()?.clone();
                let ixc = ix::make_code(&self.w(outsider), &self.w(outsider), &self.hubs[h], &code).expect("code");
                Some(self.op(
                    "make_code: not a member",
                    true,
                    vec![ixc],
                    vec![outsider],
                    err(Anchor::AccountOwnedByWrongProgram),
                ))
            }
        }
    }

    fn gen_set_referrer(&mut self, malformed: bool) -> Option<Op> {
        let h = self.rng.below(2);
        let members = self.members(h);
        let paused = self.hub(h).is_paused(PAUSE_SIGNUPS);
        let free: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&w| {
                self.member(h, w).is_some_and(|m| !m.has_referrer() && m.referee_counts.iter().all(|&c| c == 0))
            })
            .collect();
        if !malformed {
            let w = self.rng.pick(&free)?;
            let r = self.rng.pick(&members.iter().copied().filter(|&r| r != w).collect::<Vec<_>>())?;
            let by_code = self.rng.chance(40);
            let via = self.referral(h, r, by_code);
            let ixs = ix::set_referrer(&self.w(w), &self.hubs[h], via).expect("set_referrer");
            let expect = if paused { err(ReferralError::SignupsPaused) } else { Expect::Ok };
            return Some(self.op("set_referrer", false, vec![ixs], vec![w], expect));
        }
        if paused {
            return None;
        }
        let (w, e, name) = if self.rng.chance(50) {
            let bound: Vec<usize> =
                members.iter().copied().filter(|&w| self.member(h, w).is_some_and(|m| m.has_referrer())).collect();
            (self.rng.pick(&bound)?, ReferralError::ReferrerAlreadySet, "set_referrer: already has one")
        } else {
            // A member with referees: binding it to anyone (its descendants included) would risk a cycle.
            let parents: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&w| self.member(h, w).is_some_and(|m| !m.has_referrer() && m.referee_counts[0] > 0))
                .collect();
            (self.rng.pick(&parents)?, ReferralError::HasReferees, "set_referrer: has referees (cycle attempt)")
        };
        let r = self.rng.pick(&members.iter().copied().filter(|&r| r != w).collect::<Vec<_>>())?;
        let via = self.referral(h, r, false);
        let ixs = ix::set_referrer(&self.w(w), &self.hubs[h], via).expect("set_referrer");
        Some(self.op(name, true, vec![ixs], vec![w], err(e)))
    }

    fn gen_stake(&mut self, malformed: bool) -> Option<Op> {
        let hub = self.hub(0);
        let paused = hub.is_paused(PAUSE_STAKING);
        let held: Vec<usize> = (0..self.nfts.len())
            .filter(|&i| {
                let n = self.nfts[i];
                self.token_amount(&n.token) == Some(1) && self.member(0, n.owner).is_some()
            })
            .collect();
        let i = self.rng.pick(&held)?;
        let n = self.nfts[i];
        if !malformed {
            if n.bad.is_some() {
                return None;
            }
            let s = ix::stake_nft(&self.w(n.owner), &self.w(n.owner), &self.hubs[0], &n.mint, &n.token);
            let expect = if paused { err(ReferralError::StakingPaused) } else { Expect::Ok };
            return Some(self.op("stake_nft", false, vec![s], vec![n.owner], expect));
        }
        if let Some(bad) = n.bad {
            let s = ix::stake_nft(&self.w(n.owner), &self.w(n.owner), &self.hubs[0], &n.mint, &n.token);
            let expect = if paused { err(ReferralError::StakingPaused) } else { err(bad) };
            return Some(self.op("stake_nft: not a stakeable NFT", true, vec![s], vec![n.owner], expect));
        }
        if self.rng.chance(50) {
            // Someone else's NFT: a member signs with the holder's token account.
            let thief = self.rng.pick(&self.members(0).into_iter().filter(|&w| w != n.owner).collect::<Vec<_>>())?;
            let s = ix::stake_nft(&self.w(thief), &self.w(thief), &self.hubs[0], &n.mint, &n.token);
            let expect = if paused { err(ReferralError::StakingPaused) } else { err(ReferralError::NotNftOwner) };
            Some(self.op("stake_nft: not the holder", true, vec![s], vec![thief], expect))
        } else {
            // The hub without a collection.
            self.member(1, n.owner)?;
            let s = ix::stake_nft(&self.w(n.owner), &self.w(n.owner), &self.hubs[1], &n.mint, &n.token);
            Some(self.op(
                "stake_nft: hub without collection",
                true,
                vec![s],
                vec![n.owner],
                err(ReferralError::StakingDisabled),
            ))
        }
    }

    fn gen_unstake(&mut self, malformed: bool) -> Option<Op> {
        let hub = self.hub(0);
        let staked: Vec<usize> =
            (0..self.nfts.len()).filter(|&i| self.account::<StakeReceipt>(&self.nfts[i].receipt).is_some()).collect();
        let i = self.rng.pick(&staked)?;
        let n = self.nfts[i];
        let receipt: StakeReceipt = self.account(&n.receipt)?;
        if !malformed {
            let today = receipt.staked_at + i64::from(hub.rules.min_stake_seconds);
            let expect = if self.now >= receipt.unlock_at.min(today) {
                Expect::Ok
            } else {
                err(ReferralError::MinStakeTimeNotReached)
            };
            let u = ix::unstake_nft(&self.w(n.owner), &self.w(n.owner), &self.hubs[0], &n.mint, &n.token);
            return Some(self.op("unstake_nft", false, vec![u], vec![n.owner], expect));
        }
        let thief = self.rng.pick(&self.members(0).into_iter().filter(|&w| w != n.owner).collect::<Vec<_>>())?;
        let u = ix::unstake_nft(&self.w(thief), &self.w(n.owner), &self.hubs[0], &n.mint, &n.token);
        Some(self.op("unstake_nft: not the staker", true, vec![u], vec![thief], err(ReferralError::NotStakeOwner)))
    }

    fn random_fee(&mut self) -> u64 {
        match self.rng.below(6) {
            0 => 0,
            1 => self.rng.next() % 40,
            2 => 20,
            _ => self.rng.next() % 500_000_000,
        }
    }

    fn gen_route(&mut self, malformed: bool, token: bool) -> Option<Op> {
        let h = self.rng.below(2);
        let w = self.rng.below(WALLETS);
        let fee = self.random_fee();
        let base = self.rng.next() % 10_000;
        let trade = self.trade(h, w);
        let (hub_key, reporter) = (self.hubs[h], self.w(self.reporter));
        let mint_i = self.rng.below(2);
        let (mint, program) = self.fee_mints[mint_i];
        let payer_token = pda::ata(&self.w(w), &mint, &program);
        let build = |t: &Trade, r: &Pubkey, fee: u64| {
            if token {
                ix::route_fee_token(r, &hub_key, &t.trader_wallet, &payer_token, &mint, &program, t, fee, base)
            } else {
                ix::route_fee(r, &hub_key, &t.trader_wallet, t, fee, base)
            }
        };
        let (outcome, share, referrer) = self.predict(h, w, fee);
        let name = if token { "route_fee_token" } else { "route_fee" };
        if !malformed {
            let vault = referrer.filter(|_| token).map(|r| pda::fee_vault(&r, &mint, &program));
            let mut op = self.op(name, false, vec![build(&trade, &reporter, fee)], vec![self.reporter, w], Expect::Ok);
            op.post = Post::Route { outcome, share, referrer: referrer.filter(|_| !token), vault };
            return Some(op);
        }
        let members = self.members(h);
        let paused = self.hub(h).is_paused(PAUSE_ROUTING);
        match self.rng.below(6) {
            0 => {
                let intruder = self.rng.below(WALLETS);
                let ixr = build(&trade, &self.w(intruder), fee);
                Some(self.op(
                    "route: unlisted reporter",
                    true,
                    vec![ixr],
                    vec![intruder, w],
                    err(ReferralError::UnauthorizedReporter),
                ))
            }
            1 if !paused => {
                // Another member's Member (and its referrer) for w's trade, or some empty account. (Not a
                // member whose referrer or upline is w itself: w's Member would then be named twice.)
                let own = self.mk(h, w);
                let others: Vec<usize> = members
                    .iter()
                    .copied()
                    .filter(|&x| {
                        let t = self.trade(h, x);
                        x != w && t.referrer_wallet != Some(self.w(w)) && !t.upline.contains(&own)
                    })
                    .collect();
                let other = self.rng.pick(&others)?;
                let mut t = self.trade(h, other);
                t.trader_wallet = self.w(w);
                let mut ixr = build(&t, &reporter, fee);
                let target = if self.rng.chance(50) { self.mk(h, other) } else { Pubkey::new_unique() };
                replace_account(&mut ixr, &own, target);
                Some(self.op(
                    "route: someone else's Member",
                    true,
                    vec![ixr],
                    vec![self.reporter, w],
                    err(ReferralError::TraderMemberMismatch),
                ))
            }
            2 if !paused && self.member(h, w).is_some() => {
                // A referrer that is not the trader's.
                let m = self.member(h, w)?;
                let other = self.rng.pick(
                    &members.iter().copied().filter(|&x| self.mk(h, x) != m.referrer && x != w).collect::<Vec<_>>(),
                )?;
                let t = Trade { referrer_wallet: Some(self.w(other)), upline: vec![], ..trade.clone() };
                let e = err(ReferralError::ReferrerMismatch);
                Some(self.op("route: wrong referrer", true, vec![build(&t, &reporter, fee)], vec![self.reporter, w], e))
            }
            3 if !paused && trade.referrer_wallet.is_some() => {
                let t = if trade.upline.is_empty() {
                    let x = self.rng.pick(&members)?;
                    Trade { upline: vec![self.mk(h, x)], ..trade.clone() }
                } else {
                    Trade { upline: vec![], ..trade.clone() }
                };
                let e = if trade.upline.is_empty() {
                    ReferralError::UplineMismatch
                } else {
                    ReferralError::UplineIncomplete
                };
                Some(self.op(
                    "route: forged upline",
                    true,
                    vec![build(&t, &reporter, fee)],
                    vec![self.reporter, w],
                    err(e),
                ))
            }
            4 if !paused && trade.referrer_wallet.is_some() => {
                let t = Trade { referrer_wallet: None, upline: vec![], ..trade.clone() };
                Some(self.op(
                    "route: referrer left out",
                    true,
                    vec![build(&t, &reporter, fee)],
                    vec![self.reporter, w],
                    err(ReferralError::ReferrerAccountMissing),
                ))
            }
            _ if !token && outcome == ShareOutcome::Routed => {
                // A fee whose share the payer cannot afford: the transfer fails, the trade with it.
                let huge = u64::MAX / 2;
                let (o, _, _) = self.predict(h, w, huge);
                if o != ShareOutcome::Routed {
                    return None;
                }
                Some(self.op(
                    "route: payer cannot afford the share",
                    true,
                    vec![build(&trade, &reporter, huge)],
                    vec![self.reporter, w],
                    Expect::Fail,
                ))
            }
            _ => None,
        }
    }

    fn gen_award(&mut self, malformed: bool) -> Option<Op> {
        let h = self.rng.below(2);
        let w = self.rng.below(WALLETS);
        let trade = self.trade(h, w);
        let base = self.rng.next() % 100_000;
        let paused = self.hub(h).is_paused(PAUSE_ROUTING);
        if !malformed {
            let a = ix::award_points(&self.w(self.reporter), &self.hubs[h], &trade, base);
            let expect = if paused { err(ReferralError::RoutingPaused) } else { Expect::Ok };
            let mut op = self.op("award_points", false, vec![a], vec![self.reporter], expect);
            op.post = Post::Award;
            return Some(op);
        }
        let intruder = self.rng.below(WALLETS);
        let a = ix::award_points(&self.w(intruder), &self.hubs[h], &trade, base);
        Some(self.op(
            "award_points: unlisted reporter",
            true,
            vec![a],
            vec![intruder],
            err(ReferralError::UnauthorizedReporter),
        ))
    }

    fn gen_claim(&mut self, malformed: bool, token: bool) -> Option<Op> {
        let h = self.rng.below(2);
        let members = self.members(h);
        let w = self.rng.pick(&members)?;
        let m = self.member(h, w)?;
        let member_key = self.mk(h, w);
        if !token {
            if !malformed {
                let c = ix::claim_fees(&self.w(w), &self.hubs[h]);
                let expect = if m.claimable_lamports > 0 { Expect::Ok } else { err(ReferralError::NothingToClaim) };
                let mut op = self.op("claim_fees", false, vec![c], vec![w], expect);
                op.post = Post::Claim { amount: m.claimable_lamports, to: self.w(w), rent: 0 };
                return Some(op);
            }
            let thief = self.rng.pick(&members.iter().copied().filter(|&x| x != w).collect::<Vec<_>>())?;
            let mut c = ix::claim_fees(&self.w(thief), &self.hubs[h]);
            replace_account(&mut c, &self.mk(h, thief), member_key);
            return Some(self.op(
                "claim_fees: someone else's member",
                true,
                vec![c],
                vec![thief],
                err(ReferralError::NotMemberWallet),
            ));
        }
        let (mint, program) = self.fee_mints[self.rng.below(2)];
        let vault = pda::fee_vault(&member_key, &mint, &program);
        let dest = pda::ata(&self.w(w), &mint, &program);
        if !malformed {
            let c = ix::claim_token_fees(&self.w(w), &self.hubs[h], &mint, &program, &dest);
            let (expect, amount) = match self.token_amount(&vault) {
                None => (err(Anchor::AccountNotInitialized), 0),
                Some(0) => (err(ReferralError::NothingToClaim), 0),
                Some(a) => (Expect::Ok, a),
            };
            let mut op = self.op("claim_token_fees", false, vec![c], vec![w], expect);
            op.post = Post::Claim { amount, to: dest, rent: 0 };
            return Some(op);
        }
        self.token_amount(&vault).filter(|&a| a > 0)?;
        let other = self.rng.pick(&(0..WALLETS).filter(|&x| x != w).collect::<Vec<_>>())?;
        let c = ix::claim_token_fees(
            &self.w(w),
            &self.hubs[h],
            &mint,
            &program,
            &pda::ata(&self.w(other), &mint, &program),
        );
        Some(self.op(
            "claim_token_fees: someone else's destination",
            true,
            vec![c],
            vec![w],
            err(ReferralError::WrongDestination),
        ))
    }

    fn gen_pause(&mut self, malformed: bool) -> Option<Op> {
        let h = self.rng.below(2);
        let admin = self.admins[h];
        let mut bits = 0u8;
        if self.rng.chance(60) {
            for b in [PAUSE_SIGNUPS, PAUSE_STAKING, PAUSE_ROUTING, PAUSE_CLAIMS] {
                if self.rng.chance(30) {
                    bits |= b;
                }
            }
        }
        if !malformed {
            // a claims pause cannot start again within 14 days of the last one.
            let hub = self.hub(h);
            let starts_claims_pause = bits & PAUSE_CLAIMS != 0 && !hub.is_paused(PAUSE_CLAIMS);
            let cooling = hub.claims_paused_at != 0 && self.now < hub.claims_paused_at + 14 * 86_400;
            let expect =
                if starts_claims_pause && cooling { err(ReferralError::ClaimsPauseCooldown) } else { Expect::Ok };
            let p = ix::set_pause(&self.w(admin), &self.hubs[h], bits);
            return Some(self.op("set_pause", false, vec![p], vec![admin], expect));
        }
        if self.rng.chance(50) {
            let p = ix::set_pause(&self.w(admin), &self.hubs[h], bits | 0x10);
            Some(self.op("set_pause: unknown bits", true, vec![p], vec![admin], err(ReferralError::InvalidPauseBits)))
        } else {
            let x = self.rng.pick(&(0..WALLETS).filter(|&x| x != admin).collect::<Vec<_>>())?;
            let p = ix::set_pause(&self.w(x), &self.hubs[h], 0);
            Some(self.op("set_pause: not the admin", true, vec![p], vec![x], err(ReferralError::NotAdmin)))
        }
    }

    fn gen_config(&mut self, malformed: bool) -> Option<Op> {
        let h = self.rng.below(2);
        let admin = self.admins[h];
        let hub_key = self.hubs[h];
        let a = self.w(admin);
        let pending: Option<PendingConfig> = self.account(&pda::pending_config(&hub_key).0);
        let mut next = self.hub(h).config();
        next.referrer_fee_bps = [0, 1, 500, 5_000, (self.rng.next() % 5_001) as u16][self.rng.below(5)];
        if h == 0 {
            next.min_stake_seconds = [0, 3_600, 86_400, MAX_MIN_STAKE_SECONDS][self.rng.below(4)];
            next.min_stake_to_earn = self.rng.below(3) as u16;
        }
        if !malformed {
            return Some(match (self.rng.below(3), pending) {
                (0, Some(p)) => {
                    let expect =
                        if self.now >= p.effective_at { Expect::Ok } else { err(ReferralError::ConfigNotYetEffective) };
                    self.op("apply_config", false, vec![ix::apply_config(&a, &hub_key, &p.payer)], vec![admin], expect)
                }
                (1, Some(p)) => self.op(
                    "cancel_config",
                    false,
                    vec![ix::cancel_config(&a, &hub_key, &p.payer)],
                    vec![admin],
                    Expect::Ok,
                ),
                (_, Some(_)) => self.op(
                    "propose_config (one pending)",
                    false,
                    vec![ix::propose_config(&a, &a, &hub_key, next)],
                    vec![admin],
                    err(ReferralError::ConfigChangePending),
                ),
                (_, None) => self.op(
                    "propose_config",
                    false,
                    vec![ix::propose_config(&a, &a, &hub_key, next)],
                    vec![admin],
                    Expect::Ok,
                ),
            });
        }
        let (name, e) = match self.rng.below(4) {
            0 => {
                next.referrer_fee_bps = 5_001 + (self.rng.next() % 4_999) as u16;
                ("propose_config: fee share above the cap", ReferralError::ReferrerFeeAboveCap)
            }
            1 if h == 0 => {
                next.min_stake_seconds = MAX_MIN_STAKE_SECONDS + 1 + (self.rng.next() % 1_000_000) as u32;
                ("propose_config: century lock", ReferralError::MinStakeTimeAboveCap)
            }
            2 => {
                next.config_delay =
                    ConfigDelay::Seconds((self.rng.next() % u64::from(MIN_CONFIG_NOTICE_SECONDS)) as u32);
                ("propose_config: no notice", ReferralError::ConfigDelayTooShort)
            }
            _ => {
                let x = self.rng.pick(&(0..WALLETS).filter(|&x| x != admin).collect::<Vec<_>>())?;
                let ixp = ix::propose_config(&self.w(x), &self.w(x), &hub_key, next);
                return Some(self.op(
                    "propose_config: not the admin",
                    true,
                    vec![ixp],
                    vec![x],
                    err(ReferralError::NotAdmin),
                ));
            }
        };
        Some(self.op(name, true, vec![ix::propose_config(&a, &a, &hub_key, next)], vec![admin], err(e)))
    }

    /// Adds accounts an operation may create to the universe (absent until it does).
    fn track(&mut self, keys: &[Pubkey]) {
        for k in keys {
            if self.universe.insert(*k) {
                self.mirror.insert(*k, None);
            }
        }
    }

    fn period_of(&self, key: &Pubkey) -> Option<Period> {
        self.account::<Period>(key)
    }

    /// An opened period, most of the time one where `now` is in the phase `phase` picks (so that funding,
    /// registration and claims meet their windows), else any.
    fn pick_period(&mut self, phase: fn(&Period, i64) -> bool) -> Option<(usize, u32, Pubkey)> {
        let now = self.now;
        let fitting: Vec<(usize, u32, Pubkey)> = self
            .periods
            .iter()
            .copied()
            .filter(|(_, _, k)| self.period_of(k).is_some_and(|p| phase(&p, now)))
            .collect();
        if !fitting.is_empty() && self.rng.chance(80) {
            return self.rng.pick(&fitting);
        }
        self.rng.pick(&self.periods.clone())
    }

    /// Period rewards (issue 10): open a period, fund a pool (SOL or a fee mint), register a member, claim
    /// from a pool, close a pool, close a registration; each valid with the outcome the timeline and the
    /// state predict, or malformed with its named error.
    fn gen_period(&mut self, malformed: bool) -> Option<Op> {
        match self.rng.below(6) {
            0 => self.gen_open_period(malformed),
            1 => self.gen_fund_pool(malformed),
            2 => self.gen_register(malformed),
            3 => self.gen_claim_reward(malformed),
            4 => self.gen_close_pool(malformed),
            _ => self.gen_close_registration(),
        }
    }

    fn gen_open_period(&mut self, malformed: bool) -> Option<Op> {
        let h = self.rng.below(2);
        let rules = self.hub(h).rules;
        let current = period_index(&rules.period(), self.now);
        let payer = self.rng.below(WALLETS);
        if malformed {
            let ixo = ix::open_period(&self.w(payer), &self.hubs[h], current + 1);
            return Some(self.op(
                "open_period: not started",
                true,
                vec![ixo],
                vec![payer],
                err(ReferralError::PeriodNotStarted),
            ));
        }
        let index = if self.rng.chance(70) || current == 0 { current } else { current - 1 };
        let key = pda::period(&self.hubs[h], index).0;
        self.track(&[key]);
        let times = period_times(&rules.period(), index, rules.registration_window_seconds, rules.claim_window_seconds);
        let due = self
            .account::<PendingConfig>(&pda::pending_config(&self.hubs[h]).0)
            .is_some_and(|p| self.now >= p.effective_at);
        let expect = if self.now >= times.registration_end {
            err(ReferralError::PeriodClosed)
        } else if due {
            // a due configuration change is applied before a period opens.
            err(ReferralError::ConfigChangeDue)
        } else if self.period_of(&key).is_some() {
            err(ReferralError::PeriodAlreadyOpen)
        } else {
            if !self.periods.iter().any(|p| p.2 == key) {
                self.periods.push((h, index, key));
            }
            Expect::Ok
        };
        let ixo = ix::open_period(&self.w(payer), &self.hubs[h], index);
        Some(self.op("open_period", false, vec![ixo], vec![payer], expect))
    }

    fn gen_fund_pool(&mut self, malformed: bool) -> Option<Op> {
        let (h, _, period_key) = self.pick_period(|p, now| now < p.registration_end)?;
        let period = self.period_of(&period_key)?;
        let funder = self.rng.below(WALLETS);
        let f = self.w(funder);
        let asset = if self.rng.chance(50) { None } else { Some(self.fee_mints[self.rng.below(2)]) };
        let amount = if malformed { 0 } else { 1 + self.rng.next() % 20_000_000 };
        let (key, ixf) = match asset {
            None => (pda::reward_pool(&period_key, &f, &Pubkey::default()).0, ix::fund_pool(&f, &period_key, amount)),
            Some((mint, program)) => {
                let key = pda::reward_pool(&period_key, &f, &mint).0;
                let from = pda::ata(&f, &mint, &program);
                self.track(&[pda::pool_vault(&key, &mint, &program)]);
                (key, ix::fund_pool_token(&f, &from, &period_key, &mint, &program, amount))
            }
        };
        self.track(&[key]);
        if malformed {
            return Some(self.op("fund_pool: nothing", true, vec![ixf], vec![funder], err(ReferralError::ZeroFunding)));
        }
        let exists = self.account::<RewardPool>(&key).is_some();
        let expect = if self.now >= period.registration_end {
            err(ReferralError::PeriodClosed)
        } else {
            if !exists {
                self.pools.push(PoolRef { h, period: period_key, key, funder, asset });
            }
            Expect::Ok
        };
        let name = if asset.is_some() { "fund_pool_token" } else { "fund_pool" };
        Some(self.op(name, false, vec![ixf], vec![funder], expect))
    }

    fn gen_register(&mut self, malformed: bool) -> Option<Op> {
        let (h, index, period_key) = self.pick_period(|p, now| p.end <= now && now < p.registration_end)?;
        let period = self.period_of(&period_key)?;
        // Mostly a member with points in the period (the ranked ones are among them).
        let with_points: Vec<usize> = self
            .members(h)
            .into_iter()
            .filter(|&w| self.member(h, w).is_some_and(|m| m.referral_points_in(index) > 0))
            .collect();
        let w = if !with_points.is_empty() && self.rng.chance(80) {
            self.rng.pick(&with_points)?
        } else {
            self.rng.pick(&self.members(h))?
        };
        let payer = self.rng.below(WALLETS);
        let member_key = self.mk(h, w);
        let reg = pda::registration(&period_key, &member_key).0;
        self.track(&[reg]);
        let mut ixr = ix::register(&self.w(payer), &self.hubs[h], &period_key, &self.w(w));
        if malformed {
            // The wallet's Member of the other hub, in this hub's period.
            self.member(1 - h, w)?;
            replace_account(&mut ixr, &member_key, self.mk(1 - h, w));
            return Some(self.op(
                "register: member of another hub",
                true,
                vec![ixr],
                vec![payer],
                err(ReferralError::WrongHub),
            ));
        }
        let m = self.member(h, w)?;
        let points = m.referral_points_in(index);
        let expect = if self.now < period.end {
            err(ReferralError::PeriodNotEnded)
        } else if self.now >= period.registration_end {
            err(ReferralError::RegistrationClosed)
        } else if tier_reached(period.thresholds(), points).is_none() {
            err(ReferralError::NotRanked)
        } else if self.account::<Registration>(&reg).is_some() {
            err(ReferralError::AlreadyRegistered)
        } else {
            self.registrations.push((h, period_key, member_key));
            Expect::Ok
        };
        Some(self.op("register", false, vec![ixr], vec![payer], expect))
    }

    fn gen_claim_reward(&mut self, malformed: bool) -> Option<Op> {
        let open: Vec<PoolRef> =
            self.pools.iter().copied().filter(|p| self.account::<RewardPool>(&p.key).is_some()).collect();
        let pool_ref = self.rng.pick(&open)?;
        let pool = self.account::<RewardPool>(&pool_ref.key)?;
        let period = self.period_of(&pool_ref.period)?;
        let h = pool_ref.h;
        let funder = self.w(pool_ref.funder);
        let registered: Vec<(usize, Pubkey)> = (0..WALLETS)
            .map(|w| (w, pda::registration(&pool_ref.period, &self.mk(h, w)).0))
            .filter(|(_, r)| self.account::<Registration>(r).is_some())
            .collect();
        let (w, reg_key) = if registered.is_empty() || self.rng.chance(10) {
            let w = self.rng.below(WALLETS);
            (w, pda::registration(&pool_ref.period, &self.mk(h, w)).0)
        } else {
            self.rng.pick(&registered)?
        };
        let wallet = self.w(w);
        let (mut ixc, to, name) = match pool_ref.asset {
            None => (ix::claim_reward(&wallet, &self.hubs[h], &pool_ref.period, &funder), wallet, "claim_reward"),
            Some((mint, program)) => {
                let dest = pda::ata(&wallet, &mint, &program);
                let ixc =
                    ix::claim_reward_token(&wallet, &self.hubs[h], &pool_ref.period, &funder, &mint, &program, &dest);
                (ixc, dest, "claim_reward_token")
            }
        };
        if malformed {
            // Someone else's registration.
            let (_, other) = self.rng.pick(&registered.iter().copied().filter(|(x, _)| *x != w).collect::<Vec<_>>())?;
            replace_account(&mut ixc, &reg_key, other);
            return Some(self.op(
                "claim_reward: someone else's registration",
                true,
                vec![ixc],
                vec![w],
                err(ReferralError::NotRegistrationWallet),
            ));
        }
        let record = pda::reward_claim(&pool_ref.key, &reg_key).0;
        self.track(&[record]);
        let Some(reg) = self.account::<Registration>(&reg_key) else {
            return Some(self.op(
                "claim_reward: not registered",
                false,
                vec![ixc],
                vec![w],
                err(Anchor::AccountNotInitialized),
            ));
        };
        let hub = self.hub(h);
        let held = hub.is_paused(PAUSE_CLAIMS) && self.now < hub.claims_paused_at + 7 * 86_400;
        let n = usize::from(period.tier_count);
        let amount =
            reward_share(pool.funded, &period.tier_shares_bps[..n], &period.tier_totals[..n], reg.tier, reg.points)
                .expect("formula");
        let expect = if self.now < period.registration_end {
            err(ReferralError::ClaimsNotOpen)
        } else if held {
            err(ReferralError::RewardClaimsPaused)
        } else if self.account::<RewardClaim>(&record).is_some() {
            err(ReferralError::AlreadyClaimed)
        } else {
            Expect::Ok
        };
        let mut op = self.op(name, false, vec![ixc], vec![w], expect);
        // The wallet pays the claim record's rent; a token claim's destination is not the wallet.
        let rent =
            if pool_ref.asset.is_none() { solana_rent::Rent::default().minimum_balance(RewardClaim::SPACE) } else { 0 };
        op.post = Post::Claim { amount, to, rent };
        Some(op)
    }

    fn gen_close_pool(&mut self, malformed: bool) -> Option<Op> {
        let open: Vec<PoolRef> =
            self.pools.iter().copied().filter(|p| self.account::<RewardPool>(&p.key).is_some()).collect();
        let pool_ref = self.rng.pick(&open)?;
        let period = self.period_of(&pool_ref.period)?;
        let h = pool_ref.h;
        let funder = self.w(pool_ref.funder);
        let (mut ixp, name) = match pool_ref.asset {
            None => (ix::close_pool(&self.hubs[h], &pool_ref.period, &funder), "close_pool"),
            Some((mint, program)) => {
                let to = pda::ata(&funder, &mint, &program);
                (
                    ix::close_pool_token(&self.hubs[h], &pool_ref.period, &funder, &to, &mint, &program),
                    "close_pool_token",
                )
            }
        };
        let closer = self.rng.below(WALLETS);
        if malformed {
            let thief = self.rng.pick(&(0..WALLETS).filter(|&x| x != pool_ref.funder).collect::<Vec<_>>())?;
            replace_account(&mut ixp, &funder, self.w(thief));
            return Some(self.op(
                "close_pool: to someone else",
                true,
                vec![ixp],
                vec![closer],
                err(ReferralError::WrongRecipient),
            ));
        }
        let hub = self.hub(h);
        let expect = if pool_closable(period.claim_end, hub.claims_paused_at, self.now) {
            Expect::Ok
        } else {
            err(ReferralError::ClaimWindowOpen)
        };
        Some(self.op(name, false, vec![ixp], vec![closer], expect))
    }

    fn gen_close_registration(&mut self) -> Option<Op> {
        let open: Vec<(usize, Pubkey, Pubkey)> = self
            .registrations
            .iter()
            .copied()
            .filter(|(_, pk, mk)| self.account::<Registration>(&pda::registration(pk, mk).0).is_some())
            .collect();
        let (_, period_key, member_key) = self.rng.pick(&open)?;
        let reg_key = pda::registration(&period_key, &member_key).0;
        let reg = self.account::<Registration>(&reg_key)?;
        let period = self.period_of(&period_key)?;
        let claimed_all = reg.claims >= period.pool_count;
        let expect = if self.now >= period.registration_end && (claimed_all || period.open_pools == 0) {
            Expect::Ok
        } else {
            err(ReferralError::PoolsStillOpen)
        };
        let closer = self.rng.below(WALLETS);
        let ixg = ix::close_registration(&period_key, &member_key, &reg.payer);
        Some(self.op("close_registration", false, vec![ixg], vec![closer], expect))
    }

    /// Staking pool of hub B (issue 11): stake, withdraw, claim, rate change, each valid with the outcome the
    /// rules predict (`logic::pools` on the mirror), or malformed with its named error.
    fn gen_staking(&mut self, malformed: bool) -> Option<Op> {
        let h = 1;
        let pool_key = self.staking_pool;
        let (stake, reward) = self.pool_tokens;
        let pool: StakingPool = self.account(&pool_key)?;
        let w = self.rng.pick(&self.members(h))?;
        let m = self.member(h, w)?;
        let referrer_wallet = if m.has_referrer() { self.fetch(&m.referrer).map(|r| r.wallet) } else { None };
        let position_key = pda::position(&pool_key, &self.mk(h, w)).0;
        let position: Option<PoolPosition> = self.account(&position_key);
        let owner_token = pda::ata(&self.w(w), &stake.mint, &stake.token_program);
        match self.rng.below(4) {
            0 => {
                let amount = if malformed { 0 } else { 1 + self.rng.next() % 1_000_000 };
                let ixs = ix::pool_stake(
                    &self.w(w),
                    &self.hubs[h],
                    &pool_key,
                    stake,
                    &owner_token,
                    referrer_wallet.as_ref(),
                    amount,
                );
                let expect = if malformed {
                    err(ReferralError::ZeroAmount)
                } else if self.hub(h).is_paused(PAUSE_STAKING) {
                    err(ReferralError::StakingPaused)
                } else {
                    Expect::Ok
                };
                Some(self.op(
                    if malformed { "pool_stake: nothing" } else { "pool_stake" },
                    malformed,
                    vec![ixs],
                    vec![w],
                    expect,
                ))
            }
            1 => {
                let p = position?;
                let referrer = if p.referrer_position == Pubkey::default() { None } else { referrer_wallet };
                let (amount, expect, name) = if malformed {
                    (p.staked + 1, err(ReferralError::WithdrawMoreThanStaked), "pool_withdraw: more than staked")
                } else if p.staked == 0 {
                    return None;
                } else {
                    (1 + self.rng.next() % p.staked, Expect::Ok, "pool_withdraw")
                };
                let ixw = ix::pool_withdraw(
                    &self.w(w),
                    &self.hubs[h],
                    &pool_key,
                    stake,
                    &owner_token,
                    referrer.as_ref(),
                    amount,
                );
                Some(self.op(name, malformed, vec![ixw], vec![w], expect))
            }
            2 => {
                let dest = pda::ata(&self.w(w), &reward.mint, &reward.token_program);
                // A referral made after the position's last stake takes effect at the claim.
                let link = position.as_ref().filter(|p| ix::claim_links_referrer(p, &m)).and(referrer_wallet);
                let ixc = ix::pool_claim(&self.w(w), &self.hubs[h], &pool_key, reward, &dest, link.as_ref());
                if malformed {
                    // Someone else's position.
                    let other = self.rng.pick(&self.members(h).into_iter().filter(|&x| x != w).collect::<Vec<_>>())?;
                    let other_key = pda::position(&pool_key, &self.mk(h, other)).0;
                    self.account::<PoolPosition>(&other_key)?;
                    let mut ixc = ixc;
                    replace_account(&mut ixc, &position_key, other_key);
                    return Some(self.op(
                        "pool_claim: someone else's position",
                        true,
                        vec![ixc],
                        vec![w],
                        err(ReferralError::WrongPosition),
                    ));
                }
                let Some(p) = position else {
                    return Some(self.op(
                        "pool_claim: no position",
                        false,
                        vec![ixc],
                        vec![w],
                        err(Anchor::AccountNotInitialized),
                    ));
                };
                let mut accrual = pool.accrual();
                let mut s = p.stake();
                if link.is_some() {
                    let rp: Option<PoolPosition> = self.account(&pda::position(&pool_key, &m.referrer).0);
                    let mut rs = rp.map_or(Stake::new(accrual.acc), |r| r.stake());
                    apply(&mut accrual, self.now, &mut s, Some(&mut rs), Change::Link).expect("rules");
                }
                let owed = referral::logic::pools::claim(&mut accrual, self.now, &mut s).expect("rules");
                let vault = self.token_amount(&pda::reward_vault(&pool_key)).unwrap_or(0);
                // a pool whose promise is covered always holds what it owes.
                assert!(owed <= vault, "step {}: the pool owes {owed} and holds {vault}", self.step);
                let expect = if owed == 0 { err(ReferralError::NothingToClaim) } else { Expect::Ok };
                let mut op = self.op("pool_claim", false, vec![ixc], vec![w], expect);
                op.post = Post::Claim { amount: owed, to: dest, rent: 0 };
                Some(op)
            }
            _ => {
                let admin = self.admins[h];
                let signer = if malformed {
                    self.rng.pick(&(0..WALLETS).filter(|&x| x != admin).collect::<Vec<_>>())?
                } else {
                    admin
                };
                let rate = 1 + self.rng.next() % 20;
                let end = pool.end.max(self.now) + (self.rng.next() % (30 * 86_400)) as i64;
                let ixr = ix::set_staking_rate(&self.w(signer), &self.hubs[h], &pool_key, rate, end);
                let mut next = pool.accrual();
                referral::logic::pools::set_rate(&mut next, self.now, rate, end).expect("rules");
                let expect = if malformed {
                    err(ReferralError::NotAdmin)
                } else if !referral::logic::pools::covered(&next, pool.funded) {
                    err(ReferralError::EmissionExceedsFunding)
                } else {
                    Expect::Ok
                };
                Some(self.op(
                    if malformed { "set_staking_rate: not the admin" } else { "set_staking_rate" },
                    malformed,
                    vec![ixr],
                    vec![signer],
                    expect,
                ))
            }
        }
    }

    /// The staking pool's books: total weight == the positions' weights; stake held == the positions'
    /// stakes == the stake vault; rewards held == funded - paid; paid <= funded.
    fn check_staking_invariants(&self) {
        let step = self.step;
        let Some(pool) = self.account::<StakingPool>(&self.staking_pool) else { return };
        let positions: Vec<PoolPosition> = self.member_keys[1]
            .iter()
            .filter_map(|m| self.account::<PoolPosition>(&pda::position(&self.staking_pool, m).0))
            .collect();
        let weights: u128 = positions.iter().map(|p| p.stake().weight()).sum();
        assert_eq!(pool.total_weight, weights, "step {step}: pool weight == sum of positions' weights");
        let staked: u64 = positions.iter().map(|p| p.staked).sum();
        assert_eq!(pool.total_staked, staked, "step {step}: pool stake == sum of positions' stakes");
        assert_eq!(self.token_amount(&pda::stake_vault(&self.staking_pool)), Some(staked), "step {step}: stake vault");
        assert!(pool.paid <= pool.funded, "step {step}: paid within funding");
        assert_eq!(
            self.token_amount(&pda::reward_vault(&self.staking_pool)),
            Some(pool.funded - pool.paid),
            "step {step}: reward vault == funded - paid"
        );
    }

    async fn time_step(&mut self) {
        let dt = match self.rng.below(10) {
            0..=6 => 1 + (self.rng.next() % 600) as i64,
            7 | 8 => 3_600 + (self.rng.next() % (3 * 86_400)) as i64,
            _ => 7 * 86_400 + (self.rng.next() % (33 * 86_400)) as i64,
        };
        if self.rng.chance(50) {
            self.fx.next_slot().await;
        }
        let mut clock: Clock = self.fx.clock().await;
        clock.unix_timestamp += dt;
        self.fx.ctx.set_sysvar(&clock);
        self.now = clock.unix_timestamp;
        self.slot = clock.slot;
        *self.stats.entry("time step".into()).or_default() += 1;
    }

    // ----- execution and checks -----

    async fn read(&mut self, keys: &[Pubkey]) -> Vec<Option<Account>> {
        self.fx.snapshot(keys).await
    }

    async fn run(&mut self, op: Op) {
        let payer = self.fx.payer().pubkey();
        let mut keys: Vec<Pubkey> =
            op.ixs.iter().flat_map(|i| i.accounts.iter().map(|m| m.pubkey)).filter(|k| *k != payer).collect();
        keys.sort();
        keys.dedup();
        let before = self.read(&keys).await;
        let signers: Vec<&TestKeypair> = op.signers.iter().map(|&i| &self.keys[i]).collect();
        let signers: Vec<TestKeypair> = signers.into_iter().map(|k| k.insecure_clone()).collect();
        let refs: Vec<&TestKeypair> = signers.iter().collect();
        let result = self.fx.send(&op.ixs, &refs).await;
        let after = self.read(&keys).await;
        let step = self.step;
        let outcome = match (&result, op.expect) {
            (Ok(_), Expect::Ok) => "ok",
            (Err(f), Expect::Err(code)) => {
                let got = match &f.error {
                    TransactionError::InstructionError(_, referral_tests::InstructionError::Custom(c)) => Some(*c),
                    _ => None,
                };
                assert_eq!(
                    got,
                    Some(code),
                    "step {step} {}: expected error {code}, got {:?}\n{}",
                    op.name,
                    f.error,
                    f.logs.join("\n")
                );
                "refused"
            }
            (Err(_), Expect::Fail) => "refused",
            (Ok(s), e) => panic!("step {step} {}: expected {e:?}, it succeeded\n{}", op.name, s.logs.join("\n")),
            (Err(f), Expect::Ok) => {
                panic!("step {step} {}: expected success, got {:?}\n{}", op.name, f.error, f.logs.join("\n"))
            }
        };
        *self
            .stats
            .entry(format!("{}{} -> {outcome}", if op.malformed { "[malformed] " } else { "" }, op.name))
            .or_default() += 1;
        if result.is_err() {
            assert_eq!(after, before, "step {step} {}: a refused operation changed an account", op.name);
            return;
        }
        // Lamports over the transaction's accounts are conserved (the fixture's payer paid the fee).
        let sum = |v: &[Option<Account>]| {
            v.iter().map(|a| a.as_ref().map_or(0u128, |a| u128::from(a.lamports))).sum::<u128>()
        };
        assert_eq!(sum(&after), sum(&before), "step {step} {}: lamports created or lost", op.name);
        for (k, (b, a)) in keys.iter().zip(before.iter().zip(after.iter())) {
            if self.universe.contains(k) {
                self.mirror.insert(*k, a.clone());
            } else {
                assert_eq!(a, b, "step {step} {}: {k} outside the universe changed", op.name);
            }
        }
        if let Ok(sent) = &result {
            self.check_post(&op, sent, &keys, &before, &after);
        }
    }

    fn check_post(
        &mut self,
        op: &Op,
        sent: &referral_tests::Sent,
        keys: &[Pubkey],
        before: &[Option<Account>],
        after: &[Option<Account>],
    ) {
        let step = self.step;
        let at = |v: &[Option<Account>], k: &Pubkey| keys.iter().position(|x| x == k).and_then(|i| v[i].clone());
        match &op.post {
            Post::None => {}
            Post::Route { outcome, share, referrer, vault } => {
                let r: RouteFeeResult =
                    decode::return_data(&sent.return_data.as_ref().expect("return data").1).expect("result");
                assert_eq!((r.outcome, r.referrer_share), (*outcome, *share), "step {step} {}: {r:?}", op.name);
                assert_eq!(r.referrer_share + r.remainder, r.remainder + *share);
                *self.stats.entry(format!("outcome {:?}", r.outcome)).or_default() += 1;
                if let Some(rk) = referrer {
                    let claim = |v: &[Option<Account>]| {
                        at(v, rk).map(|a| decode::account::<Member>(&a.data).expect("member").claimable_lamports)
                    };
                    assert_eq!(
                        claim(after).unwrap_or(0) - claim(before).unwrap_or(0),
                        *share,
                        "step {step}: claimable grows by the share"
                    );
                }
                if let Some(v) = vault {
                    let amount = |s: &[Option<Account>]| {
                        at(s, v)
                            .filter(|a| !a.data.is_empty())
                            .map_or(0, |a| decode::token_amounts(&a.data).expect("vault").0)
                    };
                    assert_eq!(
                        amount(after) - amount(before),
                        r.credited,
                        "step {step}: the vault grows by what was credited"
                    );
                    assert!(r.credited <= r.referrer_share);
                }
            }
            Post::Award => {
                let _: Credited =
                    decode::return_data(&sent.return_data.as_ref().expect("return data").1).expect("credited");
            }
            Post::Claim { amount, to, rent } => {
                // SOL: the wallet gains the claimable balance (less the rent of a claim record it paid).
                // Tokens: the destination gains the vault's balance, part of it withheld in the destination
                // by a transfer fee.
                let held = |a: &Account| {
                    let (amount, withheld) = decode::token_amounts(&a.data).expect("destination");
                    i128::from(amount + withheld)
                };
                let gained = match (at(after, to), at(before, to)) {
                    (Some(a), Some(b)) if a.owner == TOKEN || a.owner == TOKEN_2022 => held(&a) - held(&b),
                    (Some(a), Some(b)) => i128::from(a.lamports) - i128::from(b.lamports),
                    _ => panic!("step {step}: claim destination missing"),
                };
                let expected = i128::from(*amount) - i128::from(*rent);
                assert_eq!(gained, expected, "step {step}: {} moved the whole balance to its owner", op.name);
            }
        }
    }

    /// The invariants, on the mirror.
    fn check_invariants(&self) {
        let step = self.step;
        let total: u128 = self.mirror.values().map(|a| a.as_ref().map_or(0, |a| u128::from(a.lamports))).sum();
        assert_eq!(total, self.lamports, "step {step}: lamports of the universe changed in sum");
        for (i, (mint, _)) in self.fee_mints.iter().enumerate() {
            let sum: u64 = self
                .mirror
                .values()
                .flatten()
                .filter(|a| {
                    (a.owner == TOKEN || a.owner == TOKEN_2022)
                        && a.data.len() >= 165
                        && a.data[..32] == mint.to_bytes()
                })
                .map(|a| {
                    let (amount, withheld) = decode::token_amounts(&a.data).expect("token account");
                    amount + withheld
                })
                .sum();
            let harvested = self.mirror[mint].as_ref().map_or(0, |a| decode::mint_withheld(&a.data).expect("mint"));
            assert_eq!(sum + harvested, self.supplies[i], "step {step}: tokens of {mint} created or lost");
        }
        for n in &self.nfts {
            let escrow = n.escrow;
            let held = self.token_amount(&n.token).unwrap_or(0) + self.token_amount(&escrow).unwrap_or(0);
            assert_eq!(held, 1, "step {step}: NFT {} is held exactly once", n.mint);
        }
        let mut staked_by: BTreeMap<Pubkey, usize> = BTreeMap::new();
        for n in &self.nfts {
            if let Some(r) = self.account::<StakeReceipt>(&n.receipt) {
                assert_eq!((r.hub, r.mint), (self.hubs[0], n.mint), "step {step}: receipt of {}", n.mint);
                *staked_by.entry(r.owner).or_default() += 1;
            }
        }
        for h in 0..2 {
            let hub_key = self.hubs[h];
            let members: BTreeMap<Pubkey, Member> =
                (0..WALLETS).filter_map(|w| self.member(h, w).map(|m| (self.mk(h, w), m))).collect();
            let mut counts: BTreeMap<Pubkey, [u32; 4]> = members.keys().map(|k| (*k, [0; 4])).collect();
            for (key, m) in &members {
                assert_eq!(m.hub, hub_key);
                let lamports = self.mirror[key].as_ref().map_or(0, |a| a.lamports);
                assert_eq!(
                    lamports,
                    member_rent() + m.claimable_lamports,
                    "step {step}: member lamports == rent + claimable"
                );
                // Walk up: a forest has no cycle, so the walk ends within the number of members.
                let mut up = m.referrer;
                let mut level = 0usize;
                while up != Pubkey::default() {
                    assert!(
                        level < members.len(),
                        "step {step}: the referral graph of hub {h} has a cycle through {key}"
                    );
                    let parent = members
                        .get(&up)
                        .unwrap_or_else(|| panic!("step {step}: {key}'s referrer is not a member of the hub"));
                    if level < 4 {
                        counts.get_mut(&up).expect("member")[level] += 1;
                    }
                    up = parent.referrer;
                    level += 1;
                }
                let receipts = if h == 0 { staked_by.get(&m.wallet).copied().unwrap_or(0) } else { 0 };
                assert_eq!(usize::from(m.staked_count), receipts, "step {step}: staked count == receipts");
                // Stakes made in the current slot are among the staked ones, and only they are not counted.
                if m.last_stake_slot == self.slot {
                    assert!(m.fresh_stakes <= m.staked_count, "step {step}: fresh stakes <= staked");
                }
                assert!(m.counted_stakes(self.slot) <= m.staked_count);
            }
            for (key, m) in &members {
                assert_eq!(
                    m.referee_counts, counts[key],
                    "step {step}: stored level counts of {key} == counts from the graph"
                );
            }
        }
    }

    /// Period rewards (issue 10): each pool holds exactly what it was funded less what was claimed, never
    /// pays more than it got; each period counts its open pools and registrations right.
    fn check_period_invariants(&self) {
        let step = self.step;
        let pool_rent = solana_rent::Rent::default().minimum_balance(RewardPool::SPACE);
        for p in &self.pools {
            let Some(pool) = self.account::<RewardPool>(&p.key) else { continue };
            assert!(pool.claimed <= pool.funded, "step {step}: pool {} paid more than it got", p.key);
            let held = match p.asset {
                None => self.mirror[&p.key].as_ref().map_or(0, |a| a.lamports) - pool_rent,
                Some((mint, program)) => self.token_amount(&pda::pool_vault(&p.key, &mint, &program)).unwrap_or(0),
            };
            assert_eq!(held, pool.funded - pool.claimed, "step {step}: pool {} holds funded - claimed", p.key);
        }
        for (_, _, key) in &self.periods {
            let Some(period) = self.period_of(key) else { continue };
            let open_pools =
                self.pools.iter().filter(|p| p.period == *key && self.account::<RewardPool>(&p.key).is_some()).count();
            assert_eq!(period.open_pools as usize, open_pools, "step {step}: open pools of {key}");
            let open_regs = self
                .registrations
                .iter()
                .filter(|(_, pk, mk)| pk == key && self.account::<Registration>(&pda::registration(pk, mk).0).is_some())
                .count();
            assert_eq!(period.open_registrations as usize, open_regs, "step {step}: open registrations of {key}");
        }
    }

    /// The mirror equals the bank, account by account.
    async fn reconcile(&mut self) {
        let keys: Vec<Pubkey> = self.universe.iter().copied().collect();
        let actual = self.read(&keys).await;
        for (k, a) in keys.iter().zip(actual) {
            assert_eq!(
                self.mirror.get(k).cloned().flatten(),
                a,
                "step {}: the mirror of {k} drifted from the bank",
                self.step
            );
        }
    }
}

async fn setup(seed: u64) -> Sim {
    let mut rng = Rng(seed);
    let mut fx = Fixture::new().await;
    // The bank starts at the wall clock; a fixed start makes a seed replay the same timeline (periods end
    // at the same steps) whatever the day the test runs.
    fx.set_time(START_TIME).await;
    let mut keys: Vec<TestKeypair> = Vec::new();
    for _ in 0..=WALLETS {
        let mut bytes = [0u8; 32];
        for chunk in bytes.chunks_mut(8) {
            chunk.copy_from_slice(&rng.next().to_le_bytes());
        }
        let k = TestKeypair::new_from_array(bytes);
        fx.fund(&k.pubkey(), referral_tests::WALLET_LAMPORTS).await;
        keys.push(k);
    }
    let reporter = WALLETS;
    let admins = [1usize, 0usize];
    // Hub A: an NFT collection, staking milestones, 1-hour minimum stake time, depth 2.
    let mut a = HubConfig::with_defaults(COLLECTION);
    a.reporters = vec![keys[reporter].pubkey()];
    a.min_stake_seconds = 3_600;
    // Tiers a run reaches (the defaults are 11,000 / 65,000 / 255,000 referral points).
    let tiers = vec![
        Tier { threshold: 1_000, share_bps: 5_000 },
        Tier { threshold: 5_000, share_bps: 3_000 },
        Tier { threshold: 20_000, share_bps: 2_000 },
    ];
    a.tiers = tiers.clone();
    // Hub B: invite-only, no collection (every referrer earns), depth 3, weekly periods.
    let mut b = HubConfig::with_defaults(Pubkey::default());
    b.reporters = vec![keys[reporter].pubkey()];
    b.invite_only = true;
    b.depth = 3;
    b.level_shares_bps = [500, 250, 0];
    b.period = PeriodKind::Fixed { seconds: 7 * 86_400, origin: 0 };
    b.config_delay = ConfigDelay::Seconds(MIN_CONFIG_NOTICE_SECONDS);
    b.tiers = tiers;
    let admin_a = keys[admins[0]].insecure_clone();
    let admin_b = keys[admins[1]].insecure_clone();
    let hub_a = fx.create_hub(&admin_a, 1, a).await.expect("hub A");
    let hub_b = fx.create_hub(&admin_b, 1, b).await.expect("hub B");
    let hubs = [hub_a, hub_b];
    // Fee mints: SPL Token, and Token-2022 with a 1% transfer fee.
    let mint_auth = fx.wallet().await;
    let m1 = fx.mint(&mint_auth, 6, TOKEN).await;
    let m2 = fx.mint_with_transfer_fee(&mint_auth, 6, 100, 1_000_000_000).await;
    let fee_mints = [(m1, TOKEN), (m2, TOKEN_2022)];
    for k in keys.iter().take(WALLETS) {
        for (mint, program) in fee_mints {
            let ata = fx.ata(&k.pubkey(), &mint, program).await;
            fx.mint_to(&mint_auth, &mint, &ata, TOKENS_PER_WALLET, program).await;
        }
    }
    // A staking pool in hub B: stake the SPL mint, earn the Token-2022 one (transfer fee), 10 units per
    // second for ten years, funded by hub B's admin.
    let stake_token = PoolToken { mint: m1, token_program: TOKEN };
    let reward_token = PoolToken { mint: m2, token_program: TOKEN_2022 };
    let now0 = fx.clock().await.unix_timestamp;
    let admin_reward = pda::ata(&admin_b.pubkey(), &m2, &TOKEN_2022);
    // Funded at creation beyond the schedule (10 units/s for ten years = 3,153,600,000; 1% is withheld by
    // the transfer fee on the way in), so later rate changes have room.
    let schedule = ix::Schedule { rate: 10, start: now0, end: now0 + 10 * 365 * 86_400, funding: 10_000_000_000 };
    let create =
        ix::create_staking_pool(&admin_b.pubkey(), &hub_b, 1, stake_token, reward_token, &admin_reward, schedule);
    fx.send(&[create], &[&admin_b]).await.expect("staking pool");
    let staking_pool = pda::staking_pool(&hub_b, 1).0;
    // NFTs: two good ones per wallet, two of another collection, two whose creator can still mint.
    let mut nfts = Vec::new();
    for i in 0..WALLETS * 2 + 4 {
        let owner = i % WALLETS;
        let (spec, bad) = match i.checked_sub(WALLETS * 2) {
            None => (NftSpec::of(COLLECTION), None),
            Some(0 | 1) => (NftSpec::of(WRONG_COLLECTION), Some(ReferralError::WrongCollection)),
            Some(_) => (
                NftSpec { mint_authority: Authority::Creator, ..NftSpec::of(COLLECTION) },
                Some(ReferralError::NftStillMintable),
            ),
        };
        let (mint, token) = fx.nft(&keys[owner].pubkey(), spec).await;
        let receipt = pda::stake_receipt(&hubs[0], &mint).0;
        nfts.push(Nft { mint, owner, token, bad, receipt, escrow: pda::stake_escrow(&receipt).0 });
    }
    let codes = [0, 1].map(|h| (0..CODES_PER_HUB).map(|i| format!("c{i:02}-h{h}")).collect::<Vec<_>>());
    let member_keys =
        [0, 1].map(|h| keys.iter().take(WALLETS).map(|k| pda::member(&hubs[h], &k.pubkey()).0).collect::<Vec<_>>());
    let code_keys =
        [0, 1].map(|h| codes[h].iter().map(|c| pda::code(&hubs[h], c).expect("code").0).collect::<Vec<_>>());
    // The universe: every account an operation can create or change.
    let mut universe: BTreeSet<Pubkey> = BTreeSet::new();
    for k in keys.iter().take(WALLETS) {
        universe.insert(k.pubkey());
        for (mint, program) in fee_mints {
            universe.insert(pda::ata(&k.pubkey(), &mint, &program));
        }
    }
    for (h, hub) in hubs.iter().enumerate() {
        universe.insert(*hub);
        universe.insert(pda::pending_config(hub).0);
        for &member in &member_keys[h] {
            universe.insert(member);
            for (mint, program) in fee_mints {
                universe.insert(pda::fee_vault(&member, &mint, &program));
            }
        }
        universe.extend(code_keys[h].iter().copied());
        for n in &nfts {
            let receipt = pda::stake_receipt(hub, &n.mint).0;
            universe.insert(receipt);
            universe.insert(pda::stake_escrow(&receipt).0);
        }
    }
    for n in &nfts {
        universe.insert(n.token);
    }
    // The fee mints: closing a Token-2022 pool harvests the transfer fees withheld in its vault to the mint.
    for (mint, _) in fee_mints {
        universe.insert(mint);
    }
    universe.extend([staking_pool, pda::stake_vault(&staking_pool), pda::reward_vault(&staking_pool)]);
    for &member in &member_keys[1] {
        universe.insert(pda::position(&staking_pool, &member).0);
    }
    let keys_vec: Vec<Pubkey> = universe.iter().copied().collect();
    let accounts = fx.snapshot(&keys_vec).await;
    let mirror: BTreeMap<Pubkey, Option<Account>> = keys_vec.into_iter().zip(accounts).collect();
    let lamports = mirror.values().map(|a| a.as_ref().map_or(0u128, |a| u128::from(a.lamports))).sum();
    let supplies = [fx.supply(&m1).await, fx.supply(&m2).await];
    let clock = fx.clock().await;
    Sim {
        fx,
        rng,
        keys,
        reporter,
        hubs,
        admins,
        fee_mints,
        nfts,
        codes,
        member_keys,
        code_keys,
        universe,
        mirror,
        lamports,
        supplies,
        now: clock.unix_timestamp,
        slot: clock.slot,
        stats: BTreeMap::new(),
        step: 0,
        periods: Vec::new(),
        pools: Vec::new(),
        registrations: Vec::new(),
        staking_pool,
        pool_tokens: (stake_token, reward_token),
    }
}

// the randomized stateful test.
#[tokio::test]
async fn randomized_operations_keep_every_invariant() {
    let seed = std::env::var("STATEFUL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(DEFAULT_SEED);
    let ops = std::env::var("STATEFUL_OPS").ok().and_then(|s| s.parse().ok()).unwrap_or(DEFAULT_OPS);
    println!("stateful: STATEFUL_SEED={seed} STATEFUL_OPS={ops}");
    let started = std::time::Instant::now();
    let mut sim = setup(seed).await;
    sim.check_invariants();
    let mut sent = 0usize;
    for step in 0..ops {
        sim.step = step;
        // A random kind of operation, valid or (a quarter of the time) malformed; a kind with nothing to do in
        // the current state gives way to another, and after three tries to a time step.
        let mut op = None;
        for _ in 0..3 {
            let malformed = sim.rng.chance(25);
            op = match sim.rng.below(100) {
                0..=9 => sim.gen_join(malformed),
                10..=15 => sim.gen_make_code(malformed),
                16..=21 => sim.gen_set_referrer(malformed),
                22..=30 => sim.gen_stake(malformed),
                31..=37 => sim.gen_unstake(malformed),
                38..=49 => sim.gen_route(malformed, false),
                50..=58 => sim.gen_route(malformed, true),
                59..=64 => sim.gen_award(malformed),
                65..=69 => sim.gen_claim(malformed, false),
                70..=73 => sim.gen_claim(malformed, true),
                74..=75 => sim.gen_pause(malformed),
                76..=79 => sim.gen_config(malformed),
                80..=89 => sim.gen_period(malformed),
                90..=94 => sim.gen_staking(malformed),
                _ => break,
            };
            if op.is_some() {
                break;
            }
        }
        match op {
            Some(op) => {
                sim.run(op).await;
                sent += 1;
            }
            None => sim.time_step().await,
        }
        sim.check_invariants();
        sim.check_period_invariants();
        sim.check_staking_invariants();
        if step % 1_000 == 999 {
            sim.reconcile().await;
        }
    }
    sim.reconcile().await;
    let members: usize = (0..2).map(|h| sim.members(h).len()).sum();
    println!(
        "stateful: {ops} steps ({sent} transactions) in {:.1} s; {members} memberships",
        started.elapsed().as_secs_f64()
    );
    for (k, v) in &sim.stats {
        println!("  {v:6}  {k}");
    }
    // The run exercised what it claims to: every kind of operation succeeded, every attack was tried and
    // refused, and trade reports saw each reason for routing nothing.
    if ops >= DEFAULT_OPS {
        let seen = |name: &str| sim.stats.get(name).copied().unwrap_or(0);
        for name in [
            "join -> ok",
            "make_code -> ok",
            "set_referrer -> ok",
            "stake_nft -> ok",
            "unstake_nft -> ok",
            "route_fee -> ok",
            "route_fee_token -> ok",
            "award_points -> ok",
            "claim_fees -> ok",
            "claim_token_fees -> ok",
            "set_pause -> ok",
            "propose_config -> ok",
            "apply_config -> ok",
            "cancel_config -> ok",
            "open_period -> ok",
            "fund_pool -> ok",
            "fund_pool_token -> ok",
            "register -> ok",
            "claim_reward -> ok",
            "claim_reward_token -> ok",
            "close_pool -> ok",
            "close_pool_token -> ok",
            "close_registration -> ok",
            "register -> refused",
            "claim_reward -> refused",
            "[malformed] register: member of another hub -> refused",
            "[malformed] claim_reward: someone else's registration -> refused",
            "[malformed] close_pool: to someone else -> refused",
            "pool_stake -> ok",
            "pool_withdraw -> ok",
            "pool_claim -> ok",
            "set_staking_rate -> ok",
            "[malformed] pool_withdraw: more than staked -> refused",
            "[malformed] pool_claim: someone else's position -> refused",
            "[malformed] join: already a member -> refused",
            "[malformed] join: code of someone else -> refused",
            "[malformed] join: forged upline -> refused",
            "[malformed] join: referrer of another hub -> refused",
            "[malformed] join: invite-only without a link -> refused",
            "[malformed] set_referrer: already has one -> refused",
            "[malformed] set_referrer: has referees (cycle attempt) -> refused",
            "[malformed] stake_nft: not a stakeable NFT -> refused",
            "[malformed] stake_nft: not the holder -> refused",
            "[malformed] unstake_nft: not the staker -> refused",
            "[malformed] route: unlisted reporter -> refused",
            "[malformed] route: someone else's Member -> refused",
            "[malformed] route: wrong referrer -> refused",
            "[malformed] route: forged upline -> refused",
            "[malformed] claim_fees: someone else's member -> refused",
            "[malformed] propose_config: century lock -> refused",
            "[malformed] propose_config: no notice -> refused",
            "outcome Routed",
            "outcome NotMember",
            "outcome NoReferrer",
            "outcome NotEligible",
            "outcome RoutingPaused",
            "time step",
        ] {
            assert!(seen(name) > 0, "the run never did {name:?}");
        }
    }
}
