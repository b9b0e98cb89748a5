//! R-8.6 (issue 8, point 5): a seeded, reproducible randomized stateful test on the SBF binary.
//!
//! Random sequences of operations (default 10,000; `STATEFUL_OPS`) over 24 wallets and 2 hubs (`STATEFUL_SEED`
//! picks the sequence): joins with and without codes, codes, late referrers, NFT stakes and unstakes, SOL and
//! token trade reports, point awards, claims, pauses, configuration changes, period rewards (open a period,
//! fund SOL and token pools, register, claim, close pools, registrations and claim records, report frozen
//! vaults), two referral-boosted staking pools (stake, withdraw, claim, fund, rate changes, excess
//! withdrawals) and time steps. Each operation is either valid (it must succeed, with the outcome the rules
//! predict) or deliberately malformed (it must fail with the named error). Every money instruction of
//! periods and staking pools is also sent with one of its accounts substituted by another account of the
//! same type from the run's state (another vault, pool, period, registration, claim record, position, hub
//! or destination; R-8.6, R-5.7, R-6.6), and must be refused. After every step:
//! - a refused operation changed no account it named (read back from the bank);
//! - every lamport and token is accounted for: lamports over the transaction's accounts and over the whole
//!   universe (wallets, members, codes, receipts, escrows, vaults, pending changes, hubs) are unchanged in sum,
//!   token amounts (plus transfer-fee withholdings) equal the mint supply, each NFT is held exactly once;
//! - each hub's referral graph is a forest and every stored level count equals the count recomputed from it;
//! - every Member's lamports == rent + claimable, its staked count == its receipts, fresh stakes <= staked;
//! - every reward pool holds exactly funded - claimed (lamports above rent, or its stored vault's tokens) and
//!   never paid more than it got; each period counts its open pools and open registrations right; every
//!   claim record belongs to a pool of the run and holds what its claim paid, an open pool's records add up
//!   to what it paid, each registration counts its claims;
//! - each staking pool's total weight == its positions' weights, its stake == theirs == its stake vault, its
//!   reward vault == funded - paid, and its funding covers its promise (R-6.6).
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
use referral::logic::pools::{advance, apply, covered, excess, Change, Stake};
use referral::logic::rewards::{pool_closable, registration_closable, reward_share, tier_reached};
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
    /// Periods opened `(hub, index, address)`, reward pools funded, registrations made (issue 10), claims
    /// made from the pools (issue 16: each leaves a `RewardClaim` record, R-5.7).
    periods: Vec<(usize, u32, Pubkey)>,
    pools: Vec<PoolRef>,
    registrations: Vec<RegRef>,
    claims: Vec<ClaimRef>,
    /// The staking pools of hub B (issue 11): pool 1 stakes the SPL fee mint and pays the Token-2022 one,
    /// pool 2 the other way round (issue 16: every staking account has another of its type, R-8.6).
    staking: Vec<StakingRef>,
    /// SPL token accounts owned by a staking pool that are not its vaults: an attacker's decoys (R-8.6).
    decoys: Vec<Pubkey>,
}

/// A reward pool of the run: its hub, period, address, funder (wallet index), asset (`None` = SOL) and the
/// vault of a token pool (its associated token account, derived once).
#[derive(Clone, Copy)]
struct PoolRef {
    h: usize,
    period: Pubkey,
    key: Pubkey,
    funder: usize,
    asset: Option<(Pubkey, Pubkey)>,
    vault: Option<Pubkey>,
}

/// A registration of the run: its period, Member, address and wallet (index).
#[derive(Clone, Copy)]
struct RegRef {
    period: Pubkey,
    member: Pubkey,
    key: Pubkey,
    wallet: usize,
}

/// A reward claim of the run (issue 16): the pool and registration it was made with, its record's address,
/// the wallet (index) that made it and what it paid (the formula's amount, R-5.4).
#[derive(Clone, Copy)]
struct ClaimRef {
    pool: Pubkey,
    registration: Pubkey,
    key: Pubkey,
    wallet: usize,
    amount: u64,
}

/// A staking pool of the run (issue 11): its address, tokens, vaults and its positions' addresses by wallet
/// (derived once: PDA searches are slow on the host).
#[derive(Clone)]
struct StakingRef {
    key: Pubkey,
    stake: PoolToken,
    reward: PoolToken,
    stake_vault: Pubkey,
    reward_vault: Pubkey,
    positions: Vec<Pubkey>,
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

    /// R-8.6: `ix` with the account `from` replaced by `to`, another account of the same type taken from
    /// the run's state: a malformed operation that must be refused with `expect` (and change nothing).
    fn substituted(
        &mut self,
        name: &'static str,
        mut ix: Instruction,
        from: &Pubkey,
        to: Pubkey,
        signers: Vec<usize>,
        expect: Expect,
    ) -> Op {
        replace_account(&mut ix, from, to);
        self.op(name, true, vec![ix], signers, expect)
    }

    /// Existing token accounts of the run that hold pool money or pose as it: the vaults of the period
    /// pools, both vaults of each staking pool and the decoys, all but `not` ("another vault", R-8.6).
    fn other_vaults(&self, not: &Pubkey) -> Vec<Pubkey> {
        let mut v: Vec<Pubkey> = self.pools.iter().filter_map(|p| p.vault).collect();
        for s in &self.staking {
            v.extend([s.stake_vault, s.reward_vault]);
        }
        v.extend(self.decoys.iter().copied());
        v.retain(|k| k != not && self.token_amount(k).is_some());
        v
    }

    /// A wallet other than `w` (its index).
    fn other_wallet(&mut self, w: usize) -> usize {
        (w + 1 + self.rng.below(WALLETS - 1)) % WALLETS
    }

    /// The reward pools of the run not closed yet.
    fn open_pools(&self) -> Vec<PoolRef> {
        self.pools.iter().copied().filter(|p| self.account::<RewardPool>(&p.key).is_some()).collect()
    }

    /// The registrations of the run not closed yet.
    fn open_registrations(&self) -> Vec<RegRef> {
        self.registrations.iter().copied().filter(|r| self.account::<Registration>(&r.key).is_some()).collect()
    }

    /// Whether the registration `reg` claimed from the pool `pool` (a record is closed only with its pool,
    /// so for an open pool this is whether the record exists).
    fn claimed(&self, pool: &Pubkey, reg: &Pubkey) -> bool {
        self.claims.iter().any(|c| c.pool == *pool && c.registration == *reg)
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
            // R-1.4: a claims pause cannot start again within 14 days of the last one.
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
    /// from a pool, close a pool, close a registration, close a claim record, report a frozen vault (issue
    /// 16); each valid with the outcome the timeline and the state predict, or malformed with its named
    /// error (money instructions also with an account substituted, R-8.6, R-5.7).
    fn gen_period(&mut self, malformed: bool) -> Option<Op> {
        // The money instructions have several malformed variants each (R-8.6): they are malformed more often;
        // claims and closings of registrations need a registration, which is rare: more often still.
        let kind = self.rng.below(14);
        let boost = match kind {
            0 | 3 | 4 => 0,
            5..=7 => 35,
            10 => 30,
            _ => 20,
        };
        let malformed = malformed || self.rng.chance(boost);
        match kind {
            0 => self.gen_open_period(malformed),
            1 | 2 => self.gen_fund_pool(malformed),
            3 | 4 => self.gen_register(malformed),
            5..=7 => self.gen_claim_reward(malformed),
            8 | 9 => self.gen_close_pool(malformed),
            10 => self.gen_close_registration(malformed),
            _ => self.gen_close_reward_claim(malformed),
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
            // R-5.4: a due configuration change is applied before a period opens.
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
        let amount = 1 + self.rng.next() % 20_000_000;
        let build = |amount: u64| match asset {
            None => ix::fund_pool(&f, &period_key, amount),
            Some((mint, program)) => {
                ix::fund_pool_token(&f, &pda::ata(&f, &mint, &program), &period_key, &mint, &program, amount)
            }
        };
        let (key, vault) = match asset {
            None => (pda::reward_pool(&period_key, &f, &Pubkey::default()).0, None),
            Some((mint, program)) => {
                let key = pda::reward_pool(&period_key, &f, &mint).0;
                (key, Some(pda::pool_vault(&key, &mint, &program)))
            }
        };
        self.track(&[key]);
        self.track(&vault.into_iter().collect::<Vec<_>>());
        let exists = self.account::<RewardPool>(&key).is_some();
        let closed = self.now >= period.registration_end;
        let token = asset.is_some();
        if malformed {
            // Nothing, or one account substituted by another of its type from the run (R-8.6, R-5.7).
            let ixf = build(amount);
            return match self.rng.below(if token { 5 } else { 3 }) {
                0 => Some(self.op(
                    "fund_pool: nothing",
                    true,
                    vec![build(0)],
                    vec![funder],
                    err(ReferralError::ZeroFunding),
                )),
                1 => {
                    // Another pool of the run: a pool's address is its seeds (period, funder, asset).
                    let q =
                        self.rng.pick(&self.pools.iter().map(|p| p.key).filter(|k| *k != key).collect::<Vec<_>>())?;
                    let name = if token { "fund_pool_token: another pool" } else { "fund_pool: another pool" };
                    Some(self.substituted(name, ixf, &key, q, vec![funder], err(Anchor::ConstraintSeeds)))
                }
                2 => {
                    // Another period: the pool is not that period's.
                    let other = self.periods.iter().map(|p| p.2).filter(|k| *k != period_key).collect::<Vec<_>>();
                    let p = self.rng.pick(&other)?;
                    let name = if token { "fund_pool_token: another period" } else { "fund_pool: another period" };
                    Some(self.substituted(name, ixf, &period_key, p, vec![funder], err(Anchor::ConstraintSeeds)))
                }
                3 => {
                    // Another vault: a top-up names the stored vault; a first funding's vault is created by the
                    // associated token program, which refuses any other address.
                    let v = vault?;
                    let other = self.rng.pick(&self.other_vaults(&v))?;
                    let expect = if closed {
                        err(ReferralError::PeriodClosed)
                    } else if exists {
                        err(ReferralError::WrongPoolVault)
                    } else {
                        Expect::Fail
                    };
                    Some(self.substituted("fund_pool_token: another vault", ixf, &v, other, vec![funder], expect))
                }
                _ => {
                    // Someone else's token account as the source: the token program refuses the transfer.
                    let (mint, program) = asset?;
                    let x = self.other_wallet(funder);
                    let from = pda::ata(&f, &mint, &program);
                    let to = pda::ata(&self.w(x), &mint, &program);
                    let expect = if closed { err(ReferralError::PeriodClosed) } else { Expect::Fail };
                    Some(self.substituted(
                        "fund_pool_token: someone else's token account",
                        ixf,
                        &from,
                        to,
                        vec![funder],
                        expect,
                    ))
                }
            };
        }
        let expect = if closed {
            err(ReferralError::PeriodClosed)
        } else {
            if !exists {
                self.pools.push(PoolRef { h, period: period_key, key, funder, asset, vault });
            }
            Expect::Ok
        };
        let name = if token { "fund_pool_token" } else { "fund_pool" };
        Some(self.op(name, false, vec![build(amount)], vec![funder], expect))
    }

    fn gen_register(&mut self, malformed: bool) -> Option<Op> {
        let (h, index, period_key) = self.pick_period(|p, now| p.end <= now && now < p.registration_end)?;
        let period = self.period_of(&period_key)?;
        // Mostly a ranked member not registered yet, else one with points in the period (the ranked ones are
        // among them), else any.
        let with_points: Vec<usize> = self
            .members(h)
            .into_iter()
            .filter(|&w| self.member(h, w).is_some_and(|m| m.referral_points_in(index) > 0))
            .collect();
        let ranked: Vec<usize> = with_points
            .iter()
            .copied()
            .filter(|&w| {
                let member = self.mk(h, w);
                self.member(h, w)
                    .is_some_and(|m| tier_reached(period.thresholds(), m.referral_points_in(index)).is_some())
                    && !self.registrations.iter().any(|r| r.period == period_key && r.member == member)
            })
            .collect();
        let w = if !ranked.is_empty() && self.rng.chance(75) {
            self.rng.pick(&ranked)?
        } else if !with_points.is_empty() && self.rng.chance(80) {
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
            self.registrations.push(RegRef { period: period_key, member: member_key, key: reg, wallet: w });
            Expect::Ok
        };
        Some(self.op("register", false, vec![ixr], vec![payer], expect))
    }

    fn gen_claim_reward(&mut self, malformed: bool) -> Option<Op> {
        let open = self.open_pools();
        let regs = self.open_registrations();
        let now = self.now;
        // Pools with the registrations of their period. Most claims take one that has not claimed from the
        // pool yet, once claims are open (R-5.4); a malformed claim names one, so that the substituted account
        // is what is refused (R-8.6).
        let pairs: Vec<(PoolRef, RegRef)> = open
            .iter()
            .flat_map(|p| regs.iter().filter(move |r| r.period == p.period).map(move |r| (*p, *r)))
            .collect();
        let fresh: Vec<(PoolRef, RegRef)> = pairs
            .iter()
            .copied()
            .filter(|(p, r)| {
                !self.claimed(&p.key, &r.key) && self.period_of(&p.period).is_some_and(|x| now >= x.registration_end)
            })
            .collect();
        let (pool_ref, w, reg_key) = if malformed {
            let (p, r) = self.rng.pick(&pairs)?;
            (p, r.wallet, r.key)
        } else if !fresh.is_empty() && self.rng.chance(80) {
            let (p, r) = self.rng.pick(&fresh)?;
            (p, r.wallet, r.key)
        } else if !pairs.is_empty() && self.rng.chance(70) {
            // Claimed already, or claims not open yet.
            let (p, r) = self.rng.pick(&pairs)?;
            (p, r.wallet, r.key)
        } else if pairs.is_empty() && self.rng.chance(70) {
            // Nothing registered to claim with: another kind of operation.
            return None;
        } else {
            // Any pool, any wallet: mostly not registered.
            let p = self.rng.pick(&open)?;
            let w = self.rng.below(WALLETS);
            (p, w, pda::registration(&p.period, &self.mk(p.h, w)).0)
        };
        let pool = self.account::<RewardPool>(&pool_ref.key)?;
        let period = self.period_of(&pool_ref.period)?;
        let h = pool_ref.h;
        let funder = self.w(pool_ref.funder);
        let wallet = self.w(w);
        let token = pool_ref.asset.is_some();
        let (ixc, to, name) = match pool_ref.asset {
            None => (ix::claim_reward(&wallet, &self.hubs[h], &pool_ref.period, &funder), wallet, "claim_reward"),
            Some((mint, program)) => {
                let dest = pda::ata(&wallet, &mint, &program);
                let ixc =
                    ix::claim_reward_token(&wallet, &self.hubs[h], &pool_ref.period, &funder, &mint, &program, &dest);
                (ixc, dest, "claim_reward_token")
            }
        };
        let record = pda::reward_claim(&pool_ref.key, &reg_key).0;
        self.track(&[record]);
        if malformed {
            let named = |sol: &'static str, tok: &'static str| if token { tok } else { sol };
            return match self.rng.below(if token { 6 } else { 5 }) {
                0 => {
                    // Someone else's registration of the period.
                    let other: Vec<Pubkey> = regs
                        .iter()
                        .filter(|r| r.period == pool_ref.period && r.key != reg_key)
                        .map(|r| r.key)
                        .collect();
                    let other = self.rng.pick(&other)?;
                    Some(self.substituted(
                        "claim_reward: someone else's registration",
                        ixc,
                        &reg_key,
                        other,
                        vec![w],
                        err(ReferralError::NotRegistrationWallet),
                    ))
                }
                1 => {
                    // A registration of another period, or a closed one (R-8.6, R-8.3).
                    let other: Vec<(Pubkey, bool)> = self
                        .registrations
                        .iter()
                        .map(|r| (r.key, r.period, self.account::<Registration>(&r.key).is_none()))
                        .filter(|&(k, p, closed)| k != reg_key && (closed || p != pool_ref.period))
                        .map(|(k, _, closed)| (k, closed))
                        .collect();
                    let (other, closed) = self.rng.pick(&other)?;
                    let expect =
                        if closed { err(Anchor::AccountNotInitialized) } else { err(ReferralError::WrongPeriod) };
                    let name = named("claim_reward: another registration", "claim_reward_token: another registration");
                    Some(self.substituted(name, ixc, &reg_key, other, vec![w], expect))
                }
                2 => {
                    // Another pool of the run: of another period, in another asset, or (same period and asset,
                    // another funder) with another vault or another claim record address.
                    let q = self
                        .rng
                        .pick(&open.iter().map(|p| p.key).filter(|k| *k != pool_ref.key).collect::<Vec<_>>())?;
                    let qp = self.account::<RewardPool>(&q)?;
                    let expect = if qp.period != pool_ref.period {
                        err(ReferralError::WrongPeriod)
                    } else if qp.mint != pool.mint {
                        err(ReferralError::WrongPoolMint)
                    } else if token {
                        err(ReferralError::WrongPoolVault)
                    } else {
                        err(Anchor::ConstraintSeeds)
                    };
                    let name = named("claim_reward: another pool", "claim_reward_token: another pool");
                    Some(self.substituted(name, ixc, &pool_ref.key, q, vec![w], expect))
                }
                3 => {
                    // Another period: of the other hub, or the pool is not its.
                    let other: Vec<(usize, Pubkey)> =
                        self.periods.iter().filter(|p| p.2 != pool_ref.period).map(|p| (p.0, p.2)).collect();
                    let (ph, p) = self.rng.pick(&other)?;
                    let expect = if ph != h { err(ReferralError::WrongHub) } else { err(ReferralError::WrongPeriod) };
                    let name = named("claim_reward: another period", "claim_reward_token: another period");
                    Some(self.substituted(name, ixc, &pool_ref.period, p, vec![w], expect))
                }
                4 => {
                    // Another claim record: a record's address is its seeds (pool, registration).
                    let other: Vec<Pubkey> = self.claims.iter().map(|c| c.key).filter(|k| *k != record).collect();
                    let other = self.rng.pick(&other)?;
                    let name = named("claim_reward: another claim record", "claim_reward_token: another claim record");
                    Some(self.substituted(name, ixc, &record, other, vec![w], err(Anchor::ConstraintSeeds)))
                }
                _ => {
                    // Another vault: only the one the pool stored pays (R-5.7).
                    let v = pool_ref.vault?;
                    let other = self.rng.pick(&self.other_vaults(&v))?;
                    Some(self.substituted(
                        "claim_reward_token: another vault",
                        ixc,
                        &v,
                        other,
                        vec![w],
                        err(ReferralError::WrongPoolVault),
                    ))
                }
            };
        }
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
            self.claims.push(ClaimRef { pool: pool_ref.key, registration: reg_key, key: record, wallet: w, amount });
            Expect::Ok
        };
        let mut op = self.op(name, false, vec![ixc], vec![w], expect);
        // The wallet pays the claim record's rent (R-5.7); a token claim's destination is not the wallet.
        let rent =
            if pool_ref.asset.is_none() { solana_rent::Rent::default().minimum_balance(RewardClaim::SPACE) } else { 0 };
        op.post = Post::Claim { amount, to, rent };
        Some(op)
    }

    fn gen_close_pool(&mut self, malformed: bool) -> Option<Op> {
        let open = self.open_pools();
        let pool_ref = self.rng.pick(&open)?;
        self.account::<RewardPool>(&pool_ref.key)?;
        let period = self.period_of(&pool_ref.period)?;
        let h = pool_ref.h;
        let funder = self.w(pool_ref.funder);
        let token = pool_ref.asset.is_some();
        let (ixp, name) = match pool_ref.asset {
            None => (ix::close_pool(&self.hubs[h], &pool_ref.period, &funder), "close_pool"),
            Some((mint, program)) => {
                (ix::close_pool_token(&self.hubs[h], &pool_ref.period, &funder, &mint, &program), "close_pool_token")
            }
        };
        let closer = self.rng.below(WALLETS);
        if malformed {
            let named = |sol: &'static str, tok: &'static str| if token { tok } else { sol };
            return match self.rng.below(if token { 4 } else { 3 }) {
                0 => {
                    let thief = self.other_wallet(pool_ref.funder);
                    Some(self.substituted(
                        "close_pool: to someone else",
                        ixp,
                        &funder,
                        self.w(thief),
                        vec![closer],
                        err(ReferralError::WrongRecipient),
                    ))
                }
                1 => {
                    // Another pool of the run: another funder's, another period's, or in another asset.
                    let q = self
                        .rng
                        .pick(&open.iter().map(|p| p.key).filter(|k| *k != pool_ref.key).collect::<Vec<_>>())?;
                    let qp = self.account::<RewardPool>(&q)?;
                    let expect = if qp.funder != funder {
                        err(ReferralError::WrongRecipient)
                    } else if qp.period != pool_ref.period {
                        err(ReferralError::WrongPeriod)
                    } else {
                        err(ReferralError::WrongPoolMint)
                    };
                    let name = named("close_pool: another pool", "close_pool_token: another pool");
                    Some(self.substituted(name, ixp, &pool_ref.key, q, vec![closer], expect))
                }
                2 => {
                    let other: Vec<(usize, Pubkey)> =
                        self.periods.iter().filter(|p| p.2 != pool_ref.period).map(|p| (p.0, p.2)).collect();
                    let (ph, p) = self.rng.pick(&other)?;
                    let expect = if ph != h { err(ReferralError::WrongHub) } else { err(ReferralError::WrongPeriod) };
                    let name = named("close_pool: another period", "close_pool_token: another period");
                    Some(self.substituted(name, ixp, &pool_ref.period, p, vec![closer], expect))
                }
                _ => {
                    // Another vault: the pool closes with its own vault only, so it cannot close while that
                    // vault holds funds (R-5.7).
                    let v = pool_ref.vault?;
                    let other = self.rng.pick(&self.other_vaults(&v))?;
                    Some(self.substituted(
                        "close_pool_token: another vault",
                        ixp,
                        &v,
                        other,
                        vec![closer],
                        err(ReferralError::WrongPoolVault),
                    ))
                }
            };
        }
        let hub = self.hub(h);
        let expect = if pool_closable(period.claim_end, hub.claims_paused_at, self.now) {
            Expect::Ok
        } else {
            err(ReferralError::ClaimWindowOpen)
        };
        Some(self.op(name, false, vec![ixp], vec![closer], expect))
    }

    fn gen_close_registration(&mut self, malformed: bool) -> Option<Op> {
        let open = self.open_registrations();
        let r = self.rng.pick(&open)?;
        let reg = self.account::<Registration>(&r.key)?;
        let period = self.period_of(&r.period)?;
        let closer = self.rng.below(WALLETS);
        let ixg = ix::close_registration(&r.period, &r.member, &reg.payer);
        if malformed {
            return match self.rng.below(3) {
                0 => {
                    // Another registration: a closed one, one paid by someone else (its payer is checked
                    // first) or one of another period. One of the same period and payer could be closed as
                    // well: not a malformation.
                    let other: Vec<RegRef> = self
                        .registrations
                        .iter()
                        .copied()
                        .filter(|o| {
                            o.key != r.key
                                && (o.period != r.period
                                    || self.account::<Registration>(&o.key).is_none_or(|x| x.payer != reg.payer))
                        })
                        .collect();
                    let o = self.rng.pick(&other)?;
                    let expect = match self.account::<Registration>(&o.key) {
                        None => err(Anchor::AccountNotInitialized),
                        Some(x) if x.payer != reg.payer => err(ReferralError::WrongRecipient),
                        Some(_) => err(ReferralError::WrongPeriod),
                    };
                    Some(self.substituted(
                        "close_registration: another registration",
                        ixg,
                        &r.key,
                        o.key,
                        vec![closer],
                        expect,
                    ))
                }
                1 => {
                    let other: Vec<Pubkey> = self.periods.iter().map(|p| p.2).filter(|k| *k != r.period).collect();
                    let p = self.rng.pick(&other)?;
                    Some(self.substituted(
                        "close_registration: another period",
                        ixg,
                        &r.period,
                        p,
                        vec![closer],
                        err(ReferralError::WrongPeriod),
                    ))
                }
                _ => {
                    let x = self.rng.pick(&(0..WALLETS).filter(|&x| self.w(x) != reg.payer).collect::<Vec<_>>())?;
                    Some(self.substituted(
                        "close_registration: to someone else",
                        ixg,
                        &reg.payer,
                        self.w(x),
                        vec![closer],
                        err(ReferralError::WrongRecipient),
                    ))
                }
            };
        }
        let closable =
            registration_closable(period.claim_end, reg.claims, period.pool_count, period.open_pools, self.now);
        let expect = if self.now >= period.registration_end && closable {
            Expect::Ok
        } else {
            err(ReferralError::PoolsStillOpen)
        };
        Some(self.op("close_registration", false, vec![ixg], vec![closer], expect))
    }

    /// Claim records (issue 16, R-5.7): closed once nothing is owed on them and no second claim can be made
    /// (their pool is closed or returned, or their registration is closed), the rent back to the wallet
    /// that claimed (anyone sends it); refused otherwise (the record is what stops a second claim).
    fn gen_close_reward_claim(&mut self, malformed: bool) -> Option<Op> {
        let live: Vec<ClaimRef> =
            self.claims.iter().copied().filter(|c| self.account::<RewardClaim>(&c.key).is_some()).collect();
        let of_closed: Vec<ClaimRef> =
            live.iter().copied().filter(|c| self.account::<RewardPool>(&c.pool).is_none()).collect();
        let c = if !of_closed.is_empty() && self.rng.chance(70) {
            self.rng.pick(&of_closed)?
        } else {
            self.rng.pick(&live)?
        };
        let wallet = self.w(c.wallet);
        let ixc = ix::close_reward_claim(&c.pool, &c.registration, &wallet);
        let closer = self.rng.below(WALLETS);
        if malformed {
            return match self.rng.below(3) {
                0 => {
                    // Another pool of the run (a closed one would pass an open pool's record off as closable).
                    let other: Vec<Pubkey> = self.pools.iter().map(|p| p.key).filter(|k| *k != c.pool).collect();
                    let q = self.rng.pick(&other)?;
                    Some(self.substituted(
                        "close_reward_claim: another pool",
                        ixc,
                        &c.pool,
                        q,
                        vec![closer],
                        err(ReferralError::WrongPool),
                    ))
                }
                1 => {
                    // Another claim record: of another pool, or of this pool by another registration (its
                    // stored pool and registration are checked before the wallet).
                    let o = self.rng.pick(&live.iter().copied().filter(|o| o.key != c.key).collect::<Vec<_>>())?;
                    let expect = err(ReferralError::WrongPool);
                    Some(self.substituted(
                        "close_reward_claim: another claim record",
                        ixc,
                        &c.key,
                        o.key,
                        vec![closer],
                        expect,
                    ))
                }
                _ => {
                    let x = self.other_wallet(c.wallet);
                    Some(self.substituted(
                        "close_reward_claim: to someone else",
                        ixc,
                        &wallet,
                        self.w(x),
                        vec![closer],
                        err(ReferralError::WrongRecipient),
                    ))
                }
            };
        }
        let pool_done = self.account::<RewardPool>(&c.pool).is_none_or(|p| p.returned);
        let registration_closed = self.account::<Registration>(&c.registration).is_none();
        let owed = self.account::<RewardClaim>(&c.key).map_or(0, |r| r.owed);
        let expect = if owed > 0 {
            err(ReferralError::RewardStillOwed)
        } else if pool_done || registration_closed {
            Expect::Ok
        } else {
            err(ReferralError::PoolNotClosed)
        };
        let rent = self.mirror.get(&c.key).cloned().flatten().map_or(0, |a| a.lamports);
        let mut op = self.op("close_reward_claim", false, vec![ixc], vec![closer], expect);
        op.post = Post::Claim { amount: rent, to: wallet, rent: 0 };
        Some(op)
    }

    /// Staking pools of hub B (issue 11): stake, withdraw, claim, rate change, excess withdrawal, funding in
    /// either pool, each valid with the outcome the rules predict (`logic::pools` on the mirror), or malformed
    /// with its named error: a bad amount or signer, or one account substituted by another of its type from
    /// the run: the other pool, a position or vault of it, a decoy the pool owns, another hub (R-8.6, R-6.6).
    fn gen_staking(&mut self, malformed: bool) -> Option<Op> {
        let h = 1;
        let i = self.rng.below(self.staking.len());
        let sp = self.staking[i].clone();
        let other = self.staking[(i + 1) % self.staking.len()].clone();
        let pool_key = sp.key;
        let (stake, reward) = (sp.stake, sp.reward);
        let pool: StakingPool = self.account(&pool_key)?;
        let w = self.rng.pick(&self.members(h))?;
        let m = self.member(h, w)?;
        let referrer_wallet = if m.has_referrer() { self.fetch(&m.referrer).map(|r| r.wallet) } else { None };
        let referrer_index = self.member_keys[h].iter().position(|k| *k == m.referrer);
        let position_key = sp.positions[w];
        let position: Option<PoolPosition> = self.account(&position_key);
        let (owner, hub) = (self.w(w), self.hubs[h]);
        let owner_token = pda::ata(&owner, &stake.mint, &stake.token_program);
        let paused = self.hub(h).is_paused(PAUSE_STAKING);
        match self.rng.below(6) {
            0 => {
                let amount = 1 + self.rng.next() % 1_000_000;
                let build = |amount: u64| {
                    ix::pool_stake(&owner, &hub, &pool_key, stake, &owner_token, referrer_wallet.as_ref(), amount)
                };
                if !malformed {
                    let expect = if paused { err(ReferralError::StakingPaused) } else { Expect::Ok };
                    return Some(self.op("pool_stake", false, vec![build(amount)], vec![w], expect));
                }
                let ixs = build(amount);
                match self.rng.below(5) {
                    0 => Some(self.op(
                        "pool_stake: nothing",
                        true,
                        vec![build(0)],
                        vec![w],
                        err(ReferralError::ZeroAmount),
                    )),
                    1 => {
                        let v = self.rng.pick(&self.other_vaults(&sp.stake_vault))?;
                        let e = err(ReferralError::WrongPoolAccount);
                        Some(self.substituted("pool_stake: another vault", ixs, &sp.stake_vault, v, vec![w], e))
                    }
                    2 => {
                        // The other pool: the position's address is its seeds (pool, member).
                        let e = err(Anchor::ConstraintSeeds);
                        Some(self.substituted("pool_stake: another pool", ixs, &pool_key, other.key, vec![w], e))
                    }
                    3 => {
                        // The member's position in the other pool.
                        let e = err(Anchor::ConstraintSeeds);
                        let to = other.positions[w];
                        Some(self.substituted("pool_stake: another position", ixs, &position_key, to, vec![w], e))
                    }
                    _ => {
                        // The referrer's position in the other pool, for its +5%.
                        referrer_wallet?;
                        let r = referrer_index?;
                        let e = if paused {
                            err(ReferralError::StakingPaused)
                        } else {
                            err(ReferralError::WrongReferrerPosition)
                        };
                        let (from, to) = (sp.positions[r], other.positions[r]);
                        Some(self.substituted("pool_stake: another referrer position", ixs, &from, to, vec![w], e))
                    }
                }
            }
            1 => {
                let p = position?;
                let referrer = if p.referrer_position == Pubkey::default() { None } else { referrer_wallet };
                let build = |amount: u64| {
                    ix::pool_withdraw(&owner, &hub, &pool_key, stake, &owner_token, referrer.as_ref(), amount)
                };
                if !malformed {
                    if p.staked == 0 {
                        return None;
                    }
                    let amount = 1 + self.rng.next() % p.staked;
                    return Some(self.op("pool_withdraw", false, vec![build(amount)], vec![w], Expect::Ok));
                }
                let ixw = build(1 + self.rng.next() % p.staked.max(1));
                match self.rng.below(5) {
                    0 => Some(self.op(
                        "pool_withdraw: more than staked",
                        true,
                        vec![build(p.staked + 1)],
                        vec![w],
                        err(ReferralError::WithdrawMoreThanStaked),
                    )),
                    1 => {
                        let v = self.rng.pick(&self.other_vaults(&sp.stake_vault))?;
                        let e = err(ReferralError::WrongPoolAccount);
                        Some(self.substituted("pool_withdraw: another vault", ixw, &sp.stake_vault, v, vec![w], e))
                    }
                    2 => {
                        let e = err(ReferralError::WrongPosition);
                        Some(self.substituted("pool_withdraw: another pool", ixw, &pool_key, other.key, vec![w], e))
                    }
                    3 => {
                        // The member's own position in the other pool.
                        let to = other.positions[w];
                        self.account::<PoolPosition>(&to)?;
                        let e = err(ReferralError::WrongPosition);
                        Some(self.substituted("pool_withdraw: another position", ixw, &position_key, to, vec![w], e))
                    }
                    _ => {
                        // Another position (of either pool) as the one its +5% is credited to.
                        if p.referrer_position == Pubkey::default() {
                            return None;
                        }
                        let others: Vec<Pubkey> = sp
                            .positions
                            .iter()
                            .chain(other.positions.iter())
                            .copied()
                            .filter(|k| {
                                *k != position_key
                                    && *k != p.referrer_position
                                    && self.account::<PoolPosition>(k).is_some()
                            })
                            .collect();
                        let to = self.rng.pick(&others)?;
                        let e = err(ReferralError::WrongReferrerPosition);
                        let from = p.referrer_position;
                        Some(self.substituted("pool_withdraw: another referrer position", ixw, &from, to, vec![w], e))
                    }
                }
            }
            2 => {
                let dest = pda::ata(&owner, &reward.mint, &reward.token_program);
                // A referral made after the position's last stake takes effect at the claim (R-6.7).
                let link = position.as_ref().filter(|p| ix::claim_links_referrer(p, &m)).and(referrer_wallet);
                let ixc = ix::pool_claim(&owner, &hub, &pool_key, reward, &dest, link.as_ref());
                if malformed {
                    let variant = self.rng.below(4);
                    if variant == 0 {
                        // Someone else's position.
                        let others: Vec<Pubkey> = (0..WALLETS)
                            .filter(|&x| x != w && self.account::<PoolPosition>(&sp.positions[x]).is_some())
                            .map(|x| sp.positions[x])
                            .collect();
                        let to = self.rng.pick(&others)?;
                        let e = err(ReferralError::WrongPosition);
                        return Some(self.substituted(
                            "pool_claim: someone else's position",
                            ixc,
                            &position_key,
                            to,
                            vec![w],
                            e,
                        ));
                    }
                    position.as_ref()?;
                    return match variant {
                        1 => {
                            let v = self.rng.pick(&self.other_vaults(&sp.reward_vault))?;
                            let e = err(ReferralError::WrongPoolAccount);
                            Some(self.substituted("pool_claim: another vault", ixc, &sp.reward_vault, v, vec![w], e))
                        }
                        2 => {
                            let e = err(ReferralError::WrongPosition);
                            Some(self.substituted("pool_claim: another pool", ixc, &pool_key, other.key, vec![w], e))
                        }
                        _ => {
                            let x = self.other_wallet(w);
                            let to = pda::ata(&self.w(x), &reward.mint, &reward.token_program);
                            let e = err(Anchor::ConstraintTokenOwner);
                            Some(self.substituted("pool_claim: someone else's destination", ixc, &dest, to, vec![w], e))
                        }
                    };
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
                    let rp: Option<PoolPosition> = referrer_index.and_then(|r| self.account(&sp.positions[r]));
                    let mut rs = rp.map_or(Stake::new(accrual.acc), |r| r.stake());
                    apply(&mut accrual, self.now, &mut s, Some(&mut rs), Change::Link).expect("rules");
                }
                let owed = referral::logic::pools::claim(&mut accrual, self.now, &mut s).expect("rules");
                let vault = self.token_amount(&sp.reward_vault).unwrap_or(0);
                // R-6.6: a pool whose promise is covered always holds what it owes.
                assert!(owed <= vault, "step {}: the pool owes {owed} and holds {vault}", self.step);
                // A claim that links a late referral keeps the link even with nothing owed (R-6.7).
                let expect = if owed == 0 && link.is_none() { err(ReferralError::NothingToClaim) } else { Expect::Ok };
                let mut op = self.op("pool_claim", false, vec![ixc], vec![w], expect);
                op.post = Post::Claim { amount: owed, to: dest, rent: 0 };
                Some(op)
            }
            3 if !malformed && self.rng.chance(30) => {
                // R-1.3: a pending rate cut is applied by anyone once its notice has passed.
                let ixa = ix::apply_staking_rate(&pool_key);
                let expect = if pool.next_at == 0 {
                    err(ReferralError::NoPendingRateChange)
                } else if self.now < pool.next_at {
                    err(ReferralError::RateChangeNotYetEffective)
                } else {
                    let mut next = pool.accrual();
                    let end = pool.next_end.max(self.now);
                    referral::logic::pools::set_rate(&mut next, self.now, pool.next_rate, end).expect("rules");
                    if covered(&next, pool.funded) {
                        Expect::Ok
                    } else {
                        err(ReferralError::EmissionExceedsFunding)
                    }
                };
                let cranker = self.rng.below(WALLETS);
                Some(self.op("apply_staking_rate", false, vec![ixa], vec![cranker], expect))
            }
            3 => {
                let admin = self.admins[h];
                let rate = 1 + self.rng.next() % 20;
                let end = pool.end.max(self.now) + (self.rng.next() % (30 * 86_400)) as i64;
                if malformed {
                    if self.rng.chance(50) {
                        let x = self.rng.pick(&(0..WALLETS).filter(|&x| x != admin).collect::<Vec<_>>())?;
                        let ixr = ix::set_staking_rate(&self.w(x), &hub, &pool_key, rate, end);
                        return Some(self.op(
                            "set_staking_rate: not the admin",
                            true,
                            vec![ixr],
                            vec![x],
                            err(ReferralError::NotAdmin),
                        ));
                    }
                    // Another hub, signed by its admin: the pool is not that hub's.
                    let other_admin = self.admins[1 - h];
                    let ixr = ix::set_staking_rate(&self.w(other_admin), &self.hubs[1 - h], &pool_key, rate, end);
                    return Some(self.op(
                        "set_staking_rate: another hub",
                        true,
                        vec![ixr],
                        vec![other_admin],
                        err(ReferralError::WrongHub),
                    ));
                }
                let ixr = ix::set_staking_rate(&self.w(admin), &hub, &pool_key, rate, end);
                let mut next = pool.accrual();
                referral::logic::pools::set_rate(&mut next, self.now, rate, end).expect("rules");
                let expect =
                    if covered(&next, pool.funded) { Expect::Ok } else { err(ReferralError::EmissionExceedsFunding) };
                Some(self.op("set_staking_rate", false, vec![ixr], vec![admin], expect))
            }
            4 => {
                // R-6.6: funding that no emission can claim goes back to the admin, never more.
                let admin = self.admins[h];
                let a = self.w(admin);
                let dest = pda::ata(&a, &reward.mint, &reward.token_program);
                let mut accrual = pool.accrual();
                advance(&mut accrual, self.now).expect("rules");
                let mut room = excess(&accrual, pool.funded);
                if pool.next_at != 0 {
                    // A pending cut stays covered too (R-6.6).
                    let mut pending = accrual;
                    let end = pool.next_end.max(self.now);
                    referral::logic::pools::set_rate(&mut pending, self.now, pool.next_rate, end).expect("rules");
                    room = room.min(excess(&pending, pool.funded));
                }
                let build = |signer: &Pubkey, hub: &Pubkey, dest: &Pubkey, amount: u64| {
                    ix::withdraw_staking_excess(signer, hub, &pool_key, reward, dest, amount)
                };
                if !malformed {
                    if room == 0 {
                        let ixe = build(&a, &hub, &dest, 1);
                        return Some(self.op(
                            "withdraw_staking_excess",
                            false,
                            vec![ixe],
                            vec![admin],
                            err(ReferralError::NoExcessFunding),
                        ));
                    }
                    let amount = 1 + self.rng.next() % room.min(50_000_000);
                    let mut op = self.op(
                        "withdraw_staking_excess",
                        false,
                        vec![build(&a, &hub, &dest, amount)],
                        vec![admin],
                        Expect::Ok,
                    );
                    op.post = Post::Claim { amount, to: dest, rent: 0 };
                    return Some(op);
                }
                let amount = 1 + self.rng.next() % room.clamp(1, 50_000_000);
                let ixe = build(&a, &hub, &dest, amount);
                match self.rng.below(7) {
                    0 => {
                        let ixe = build(&a, &hub, &dest, room + 1 + self.rng.next() % 1_000);
                        Some(self.op(
                            "withdraw_staking_excess: more than the excess",
                            true,
                            vec![ixe],
                            vec![admin],
                            err(ReferralError::NoExcessFunding),
                        ))
                    }
                    1 => Some(self.op(
                        "withdraw_staking_excess: nothing",
                        true,
                        vec![build(&a, &hub, &dest, 0)],
                        vec![admin],
                        err(ReferralError::ZeroAmount),
                    )),
                    2 => {
                        let x = self.other_wallet(admin);
                        let xw = self.w(x);
                        let ixe = build(&xw, &hub, &pda::ata(&xw, &reward.mint, &reward.token_program), amount);
                        Some(self.op(
                            "withdraw_staking_excess: not the admin",
                            true,
                            vec![ixe],
                            vec![x],
                            err(ReferralError::NotAdmin),
                        ))
                    }
                    3 => {
                        let v = self.rng.pick(&self.other_vaults(&sp.reward_vault))?;
                        let e = err(ReferralError::WrongPoolAccount);
                        Some(self.substituted(
                            "withdraw_staking_excess: another vault",
                            ixe,
                            &sp.reward_vault,
                            v,
                            vec![admin],
                            e,
                        ))
                    }
                    4 => {
                        // The other pool with this pool's mint and vault.
                        let e = err(ReferralError::WrongPoolAccount);
                        Some(self.substituted(
                            "withdraw_staking_excess: another pool",
                            ixe,
                            &pool_key,
                            other.key,
                            vec![admin],
                            e,
                        ))
                    }
                    5 => {
                        // Another hub, signed by its admin: the pool is not that hub's.
                        let other_admin = self.admins[1 - h];
                        let oa = self.w(other_admin);
                        let to = pda::ata(&oa, &reward.mint, &reward.token_program);
                        let ixe = build(&oa, &self.hubs[1 - h], &to, amount);
                        Some(self.op(
                            "withdraw_staking_excess: another hub",
                            true,
                            vec![ixe],
                            vec![other_admin],
                            err(ReferralError::WrongHub),
                        ))
                    }
                    _ => {
                        let x = self.other_wallet(admin);
                        let to = pda::ata(&self.w(x), &reward.mint, &reward.token_program);
                        let e = err(Anchor::ConstraintTokenOwner);
                        Some(self.substituted(
                            "withdraw_staking_excess: someone else's destination",
                            ixe,
                            &dest,
                            to,
                            vec![admin],
                            e,
                        ))
                    }
                }
            }
            _ => {
                // The admin funds a pool (R-6.1, R-6.6); what arrives after a transfer fee is counted.
                let funder = self.admins[h];
                let f = self.w(funder);
                let from = pda::ata(&f, &reward.mint, &reward.token_program);
                let hub = self.hubs[h];
                let build = |amount: u64| ix::fund_staking_pool(&f, &hub, &pool_key, &from, reward, amount);
                let amount = 1 + self.rng.next() % 10_000_000;
                if !malformed {
                    return Some(self.op("fund_staking_pool", false, vec![build(amount)], vec![funder], Expect::Ok));
                }
                let ixf = build(amount);
                match self.rng.below(4) {
                    3 => {
                        // Someone who is not the admin (its own token account).
                        let x = self.other_wallet(funder);
                        let xw = self.w(x);
                        let xfrom = pda::ata(&xw, &reward.mint, &reward.token_program);
                        let ixx = ix::fund_staking_pool(&xw, &hub, &pool_key, &xfrom, reward, amount);
                        Some(self.op(
                            "fund_staking_pool: not the admin",
                            true,
                            vec![ixx],
                            vec![x],
                            err(ReferralError::NotAdmin),
                        ))
                    }
                    0 => Some(self.op(
                        "fund_staking_pool: nothing",
                        true,
                        vec![build(0)],
                        vec![funder],
                        err(ReferralError::ZeroAmount),
                    )),
                    1 => {
                        let v = self.rng.pick(&self.other_vaults(&sp.reward_vault))?;
                        let e = err(ReferralError::WrongPoolAccount);
                        Some(self.substituted(
                            "fund_staking_pool: another vault",
                            ixf,
                            &sp.reward_vault,
                            v,
                            vec![funder],
                            e,
                        ))
                    }
                    _ => {
                        let e = err(ReferralError::WrongPoolAccount);
                        Some(self.substituted(
                            "fund_staking_pool: another pool",
                            ixf,
                            &pool_key,
                            other.key,
                            vec![funder],
                            e,
                        ))
                    }
                }
            }
        }
    }

    /// Each staking pool's books: its stored vaults are the run's; total weight == the positions' weights;
    /// stake held == the positions' stakes == the stake vault; rewards held == funded - paid; paid <= funded;
    /// its funding covers its promise (R-6.6); the decoys it owns hold nothing.
    fn check_staking_invariants(&self) {
        let step = self.step;
        for sp in &self.staking {
            let Some(pool) = self.account::<StakingPool>(&sp.key) else { continue };
            let key = sp.key;
            assert_eq!(
                (pool.stake_vault, pool.reward_vault),
                (sp.stake_vault, sp.reward_vault),
                "step {step}: vaults of {key}"
            );
            let positions: Vec<PoolPosition> =
                sp.positions.iter().filter_map(|k| self.account::<PoolPosition>(k)).collect();
            assert!(positions.iter().all(|p| p.pool == key), "step {step}: positions of {key}");
            let weights: u128 = positions.iter().map(|p| p.stake().weight()).sum();
            assert_eq!(pool.total_weight, weights, "step {step}: pool {key} weight == sum of positions' weights");
            let staked: u64 = positions.iter().map(|p| p.staked).sum();
            assert_eq!(pool.total_staked, staked, "step {step}: pool {key} stake == sum of positions' stakes");
            assert_eq!(self.token_amount(&sp.stake_vault), Some(staked), "step {step}: stake vault of {key}");
            assert!(pool.paid <= pool.funded, "step {step}: {key} paid within funding");
            assert_eq!(
                self.token_amount(&sp.reward_vault),
                Some(pool.funded - pool.paid),
                "step {step}: reward vault of {key} == funded - paid"
            );
            assert!(covered(&pool.accrual(), pool.funded), "step {step}: {key} promises no more than it holds");
        }
        for d in &self.decoys {
            assert_eq!(self.token_amount(d), Some(0), "step {step}: decoy {d} holds nothing");
        }
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

    /// Period rewards (issue 10): each pool holds exactly what it was funded less what was claimed, in the
    /// vault it stored (R-5.7), never pays more than it got; each period counts its open pools and
    /// registrations right. Claim records (issue 16): each belongs to a pool of the run, names the wallet
    /// that claimed and holds what the claim paid (its rent paid by that wallet); an open pool's records add
    /// up to what it paid; each registration counts its claims.
    fn check_period_invariants(&self) {
        let step = self.step;
        let pool_rent = solana_rent::Rent::default().minimum_balance(RewardPool::SPACE);
        let claim_rent = solana_rent::Rent::default().minimum_balance(RewardClaim::SPACE);
        for p in &self.pools {
            let Some(pool) = self.account::<RewardPool>(&p.key) else { continue };
            assert!(pool.claimed <= pool.funded, "step {step}: pool {} paid more than it got", p.key);
            assert_eq!(pool.vault, p.vault.unwrap_or_default(), "step {step}: pool {} stores its vault", p.key);
            let held = match p.vault {
                None => self.mirror[&p.key].as_ref().map_or(0, |a| a.lamports) - pool_rent,
                Some(vault) => self.token_amount(&vault).unwrap_or(0),
            };
            assert_eq!(held, pool.funded - pool.claimed, "step {step}: pool {} holds funded - claimed", p.key);
            let recorded: u64 = self.claims.iter().filter(|c| c.pool == p.key).map(|c| c.amount).sum();
            assert_eq!(recorded, pool.claimed, "step {step}: the claim records of pool {} == what it paid", p.key);
        }
        let pools: BTreeSet<Pubkey> = self.pools.iter().map(|p| p.key).collect();
        for c in &self.claims {
            let Some(acc) = self.mirror.get(&c.key).cloned().flatten() else { continue };
            let record: RewardClaim = self.account(&c.key).expect("claim record");
            assert!(pools.contains(&record.pool), "step {step}: claim record {} of an unknown pool", c.key);
            assert_eq!(
                (record.pool, record.wallet, record.amount),
                (c.pool, self.w(c.wallet), c.amount),
                "step {step}: claim record {} holds what its claim paid",
                c.key
            );
            assert_eq!(acc.lamports, claim_rent, "step {step}: claim record {} holds its rent", c.key);
        }
        for r in &self.registrations {
            let Some(reg) = self.account::<Registration>(&r.key) else { continue };
            let claims = self.claims.iter().filter(|c| c.registration == r.key).count();
            assert_eq!(reg.claims as usize, claims, "step {step}: claims of registration {}", r.key);
        }
        for (_, _, key) in &self.periods {
            let Some(period) = self.period_of(key) else { continue };
            let open_pools =
                self.pools.iter().filter(|p| p.period == *key && self.account::<RewardPool>(&p.key).is_some()).count();
            assert_eq!(period.open_pools as usize, open_pools, "step {step}: open pools of {key}");
            let open_regs = self
                .registrations
                .iter()
                .filter(|r| r.period == *key && self.account::<Registration>(&r.key).is_some())
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
    // Tiers a run reaches (the defaults are 11,000 / 65,000 / 255,000 referral points); the first is low enough
    // that most periods have ranked members to register, claim and close (R-5.4).
    let tiers = vec![
        Tier { threshold: 300, share_bps: 5_000 },
        Tier { threshold: 3_000, share_bps: 3_000 },
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
    // the transfer fee on the way in), so later rate changes have room (R-6.6).
    let schedule = ix::Schedule { rate: 10, start: now0, end: now0 + 10 * 365 * 86_400, funding: 10_000_000_000 };
    let create =
        ix::create_staking_pool(&admin_b.pubkey(), &hub_b, 1, stake_token, reward_token, &admin_reward, schedule);
    fx.send(&[create], &[&admin_b]).await.expect("staking pool");
    // A second one with the mints swapped: stake the Token-2022 mint (transfer fee), earn the SPL one, 5
    // units per second for ten years, funded at creation. So every staking account has another of its
    // type in the run: another pool, position or vault, even one of the same mint (R-8.6).
    let admin_stake = pda::ata(&admin_b.pubkey(), &m1, &TOKEN);
    let schedule = ix::Schedule { rate: 5, start: now0, end: now0 + 10 * 365 * 86_400, funding: 5_000_000_000 };
    let create =
        ix::create_staking_pool(&admin_b.pubkey(), &hub_b, 2, reward_token, stake_token, &admin_stake, schedule);
    fx.send(&[create], &[&admin_b]).await.expect("second staking pool");
    let member_b: Vec<Pubkey> = keys.iter().take(WALLETS).map(|k| pda::member(&hub_b, &k.pubkey()).0).collect();
    let staking: Vec<StakingRef> = [(1, stake_token, reward_token), (2, reward_token, stake_token)]
        .into_iter()
        .map(|(id, stake, reward)| {
            let key = pda::staking_pool(&hub_b, id).0;
            StakingRef {
                key,
                stake,
                reward,
                stake_vault: pda::stake_vault(&key),
                reward_vault: pda::reward_vault(&key),
                positions: member_b.iter().map(|m| pda::position(&key, m).0).collect(),
            }
        })
        .collect();
    // Decoys: SPL token accounts each pool owns, of its stake mint (pool 1) or its reward mint (pool 2), that
    // are not its vaults.
    let mut decoys = Vec::new();
    for s in &staking {
        decoys.push(fx.token_account_at(&s.key, &m1).await);
    }
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
    for s in &staking {
        universe.extend([s.key, s.stake_vault, s.reward_vault]);
        universe.extend(s.positions.iter().copied());
    }
    universe.extend(decoys.iter().copied());
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
        claims: Vec::new(),
        staking,
        decoys,
    }
}

// R-8.6, R-2.3, R-2.4, R-2.6, R-4.6, R-8.3: the randomized stateful test.
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
                0..=7 => sim.gen_join(malformed),
                8..=13 => sim.gen_make_code(malformed),
                14..=19 => sim.gen_set_referrer(malformed),
                20..=27 => sim.gen_stake(malformed),
                28..=33 => sim.gen_unstake(malformed),
                34..=44 => sim.gen_route(malformed, false),
                45..=52 => sim.gen_route(malformed, true),
                53..=58 => sim.gen_award(malformed),
                59..=62 => sim.gen_claim(malformed, false),
                63..=65 => sim.gen_claim(malformed, true),
                66..=67 => sim.gen_pause(malformed),
                68..=71 => sim.gen_config(malformed),
                72..=87 => sim.gen_period(malformed),
                // Staking operations have many malformed variants (R-8.6): they are malformed more often.
                88..=95 => {
                    let malformed = malformed || sim.rng.chance(20);
                    sim.gen_staking(malformed)
                }
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
            // Issue 16: claim records, frozen-vault reports, staking funding and excess (R-5.7, R-6.6).
            "close_reward_claim -> ok",
            "close_reward_claim -> refused",
            "fund_staking_pool -> ok",
            "withdraw_staking_excess -> ok",
            "[malformed] withdraw_staking_excess: more than the excess -> refused",
            // R-8.6: every money instruction refused with an account substituted by another of its type.
            "[malformed] fund_pool: another pool -> refused",
            "[malformed] fund_pool: another period -> refused",
            "[malformed] fund_pool_token: another vault -> refused",
            "[malformed] fund_pool_token: another pool -> refused",
            "[malformed] fund_pool_token: someone else's token account -> refused",
            "[malformed] claim_reward: another pool -> refused",
            "[malformed] claim_reward: another registration -> refused",
            "[malformed] claim_reward: another claim record -> refused",
            "[malformed] claim_reward_token: another vault -> refused",
            "[malformed] claim_reward_token: another pool -> refused",
            "[malformed] close_pool: another pool -> refused",
            "[malformed] close_pool: another period -> refused",
            "[malformed] close_pool_token: another vault -> refused",
            "[malformed] close_pool_token: another pool -> refused",
            "[malformed] close_registration: another registration -> refused",
            "[malformed] close_registration: another period -> refused",
            "[malformed] close_reward_claim: another pool -> refused",
            "[malformed] close_reward_claim: another claim record -> refused",
            "[malformed] pool_stake: another vault -> refused",
            "[malformed] pool_stake: another pool -> refused",
            "[malformed] pool_stake: another referrer position -> refused",
            "[malformed] pool_withdraw: another vault -> refused",
            "[malformed] pool_withdraw: another pool -> refused",
            "[malformed] pool_withdraw: another referrer position -> refused",
            "[malformed] pool_claim: another vault -> refused",
            "[malformed] pool_claim: another pool -> refused",
            "[malformed] withdraw_staking_excess: another vault -> refused",
            "[malformed] withdraw_staking_excess: another pool -> refused",
            "[malformed] withdraw_staking_excess: another hub -> refused",
            "[malformed] set_staking_rate: another hub -> refused",
            "[malformed] fund_staking_pool: another vault -> refused",
            "[malformed] fund_staking_pool: another pool -> refused",
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
