//! Referral-boosted staking pools from the command line (R-6.1 .. ): create, fund, re-rate, stake,
//! withdraw, claim and show. Addresses, instructions and decoding come from `referral-client`; the rules
//! shown (weights, what is owed) are `logic::pools`.
use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, Result};
use referral_client::ix::{self, PoolToken};
use referral_client::logic::pools::{advance, excess};
use referral_client::{pda, Member, PoolPosition, StakingPool};
use serde_json::json;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::chain::Chain;
use crate::output::Out;

/// What `referral pool` does.
#[derive(clap::Subcommand, Debug)]
pub enum PoolAction {
    /// Create a pool of a hub (admin): stake mint, reward mint, rate per second, schedule
    Create {
        #[arg(long)]
        hub: Pubkey,
        #[arg(long)]
        id: u32,
        #[arg(long)]
        stake_mint: Pubkey,
        #[arg(long)]
        reward_mint: Pubkey,
        /// Reward base units per second
        #[arg(long)]
        rate: u64,
        /// Unix time emission starts [default: now]
        #[arg(long)]
        start: Option<i64>,
        /// Unix time emission ends
        #[arg(long)]
        end: i64,
        /// Rewards to fund at creation, from your associated token account of the reward mint; it must
        /// cover rate x (end - start) [default: exactly that]
        #[arg(long)]
        funding: Option<u64>,
        /// Token program of the stake mint (SPL Token by default)
        #[arg(long)]
        stake_token_program: Option<Pubkey>,
        /// Token program of the reward mint (SPL Token by default)
        #[arg(long)]
        reward_token_program: Option<Pubkey>,
    },
    /// Deposit rewards (base units of the reward mint, from your associated token account)
    Fund {
        #[arg(long)]
        hub: Pubkey,
        #[arg(long)]
        id: u32,
        #[arg(long)]
        amount: u64,
    },
    /// Change the rate and end (admin; what accrued so far stays accrued): a raise at once, a cut (lower rate
    /// or earlier end) after a 7-day notice
    Rate {
        #[arg(long)]
        hub: Pubkey,
        #[arg(long)]
        id: u32,
        #[arg(long)]
        rate: u64,
        #[arg(long)]
        end: i64,
    },
    /// Apply a pool's pending rate cut once its notice has passed (anyone)
    Apply {
        #[arg(long)]
        hub: Pubkey,
        #[arg(long)]
        id: u32,
    },
    /// Take back rewards no accrued or future emission can claim (admin), to your associated token account
    Excess {
        #[arg(long)]
        hub: Pubkey,
        #[arg(long)]
        id: u32,
        /// Base units of the reward mint [default: all the excess]
        #[arg(long)]
        amount: Option<u64>,
    },
    /// Stake base units of the stake mint from your associated token account
    Stake {
        #[arg(long)]
        hub: Pubkey,
        #[arg(long)]
        id: u32,
        #[arg(long)]
        amount: u64,
    },
    /// Withdraw stake (ends your referral bonus in this pool for good)
    Withdraw {
        #[arg(long)]
        hub: Pubkey,
        #[arg(long)]
        id: u32,
        #[arg(long)]
        amount: u64,
    },
    /// Claim your accrued rewards
    Claim {
        #[arg(long)]
        hub: Pubkey,
        #[arg(long)]
        id: u32,
    },
    /// Show a pool, and a position (yours by default)
    Show {
        #[arg(long)]
        hub: Pubkey,
        #[arg(long)]
        id: u32,
        #[arg(long)]
        wallet: Option<Pubkey>,
    },
}

fn load_pool(chain: &Chain, hub: &Pubkey, id: u32) -> Result<(Pubkey, StakingPool)> {
    let key = pda::staking_pool(hub, id).0;
    let pool = chain.account(&key)?.ok_or_else(|| anyhow!("hub {hub} has no staking pool {id} on {}", chain.url))?;
    Ok((key, pool))
}

fn referrer_of(chain: &Chain, hub: &Pubkey, wallet: &Pubkey) -> Result<Option<Pubkey>> {
    let m: Member = chain
        .account(&pda::member(hub, wallet).0)?
        .ok_or_else(|| anyhow!("{wallet} is not a member of hub {hub}: join it first (`referral join`)"))?;
    if !m.has_referrer() {
        return Ok(None);
    }
    let r: Member = chain.account(&m.referrer)?.ok_or_else(|| anyhow!("the referrer's member account is missing"))?;
    Ok(Some(r.wallet))
}

/// Runs one `referral pool` action.
pub fn run(chain: &Chain, signer: impl Fn() -> Result<Keypair>, action: PoolAction) -> Result<Out> {
    match action {
        PoolAction::Create {
            hub,
            id,
            stake_mint,
            reward_mint,
            rate,
            start,
            end,
            funding,
            stake_token_program,
            reward_token_program,
        } => {
            let stake =
                PoolToken { mint: stake_mint, token_program: stake_token_program.unwrap_or(anchor_spl::token::ID) };
            let reward =
                PoolToken { mint: reward_mint, token_program: reward_token_program.unwrap_or(anchor_spl::token::ID) };
            let start = start.unwrap_or_else(crate::periods::now);
            let needed = u128::from(rate) * u128::try_from(end.saturating_sub(start)).unwrap_or(0);
            let funding = match funding {
                Some(f) if u128::from(f) < needed => {
                    return Err(anyhow!(
                    "--funding {f} does not cover the schedule: rate x (end - start) = {needed}; fund at least that, \
                         or lower --rate or --end"
                ))
                }
                Some(f) => f,
                None => u64::try_from(needed).map_err(|_| {
                    anyhow!("rate x (end - start) = {needed} is more than any mint holds: lower --rate or --end")
                })?,
            };
            let kp = signer()?;
            let from = pda::ata(&kp.pubkey(), &reward.mint, &reward.token_program);
            let schedule = ix::Schedule { rate, start, end, funding };
            let sig = chain.send(
                &[ix::create_staking_pool(&kp.pubkey(), &hub, id, stake, reward, &from, schedule)],
                &kp,
                &[],
            )?;
            Ok(Out::kv(
                "staking pool created",
                json!({ "pool": pda::staking_pool(&hub, id).0.to_string(), "funded": funding, "signature": sig }),
            ))
        }
        PoolAction::Excess { hub, id, amount } => {
            let kp = signer()?;
            let (key, pool) = load_pool(chain, &hub, id)?;
            let reward = PoolToken { mint: pool.reward_mint, token_program: pool.reward_token_program };
            let mut accrual = pool.accrual();
            advance(&mut accrual, crate::periods::now()).map_err(|_| anyhow!("the pool's accrual does not compute"))?;
            let available = excess(&accrual, pool.funded);
            let amount = amount.unwrap_or(available);
            if amount == 0 || amount > available {
                return Err(anyhow!(
                    "pool {id} holds {available} beyond what it owes and can still emit: nothing above that can be taken back"
                ));
            }
            let to = pda::ata(&kp.pubkey(), &reward.mint, &reward.token_program);
            let sig =
                chain.send(&[ix::withdraw_staking_excess(&kp.pubkey(), &hub, &key, reward, &to, amount)], &kp, &[])?;
            Ok(Out::kv("excess withdrawn", json!({ "pool": key.to_string(), "amount": amount, "signature": sig })))
        }
        PoolAction::Fund { hub, id, amount } => {
            let kp = signer()?;
            let (key, pool) = load_pool(chain, &hub, id)?;
            let reward = PoolToken { mint: pool.reward_mint, token_program: pool.reward_token_program };
            let from = pda::ata(&kp.pubkey(), &reward.mint, &reward.token_program);
            let sig =
                chain.send(&[ix::fund_staking_pool(&kp.pubkey(), &hub, &key, &from, reward, amount)], &kp, &[])?;
            Ok(Out::kv("pool funded", json!({ "pool": key.to_string(), "amount": amount, "signature": sig })))
        }
        PoolAction::Rate { hub, id, rate, end } => {
            let kp = signer()?;
            let (key, _) = load_pool(chain, &hub, id)?;
            let sig = chain.send(&[ix::set_staking_rate(&kp.pubkey(), &hub, &key, rate, end)], &kp, &[])?;
            let after: Option<StakingPool> = chain.account(&key)?;
            let effective_at = after.filter(|p| p.next_at != 0).map(|p| p.next_at);
            let what = if effective_at.is_some() {
                "rate cut scheduled: it applies after 7 days' notice (`referral pool apply`)"
            } else {
                "rate set"
            };
            Ok(Out::kv(
                what,
                json!({ "pool": key.to_string(), "rate": rate, "end": end, "effective_at": effective_at, "signature": sig }),
            ))
        }
        PoolAction::Apply { hub, id } => {
            let kp = signer()?;
            let (key, pool) = load_pool(chain, &hub, id)?;
            if pool.next_at == 0 {
                return Err(anyhow!("pool {id} has no pending rate change"));
            }
            let sig = chain.send(&[ix::apply_staking_rate(&key)], &kp, &[])?;
            Ok(Out::kv(
                "rate cut applied",
                json!({ "pool": key.to_string(), "rate": pool.next_rate, "signature": sig }),
            ))
        }
        PoolAction::Stake { hub, id, amount } | PoolAction::Withdraw { hub, id, amount } if amount == 0 => {
            let _ = (hub, id);
            Err(anyhow!("--amount must be more than zero"))
        }
        PoolAction::Stake { hub, id, amount } => {
            let kp = signer()?;
            let (key, pool) = load_pool(chain, &hub, id)?;
            let stake = PoolToken { mint: pool.stake_mint, token_program: pool.stake_token_program };
            let from = pda::ata(&kp.pubkey(), &stake.mint, &stake.token_program);
            let referrer = referrer_of(chain, &hub, &kp.pubkey())?;
            let sig = chain.send(
                &[ix::pool_stake(&kp.pubkey(), &hub, &key, stake, &from, referrer.as_ref(), amount)],
                &kp,
                &[],
            )?;
            Ok(Out::kv("staked", json!({ "pool": key.to_string(), "amount": amount, "signature": sig })))
        }
        PoolAction::Withdraw { hub, id, amount } => {
            let kp = signer()?;
            let (key, pool) = load_pool(chain, &hub, id)?;
            let stake = PoolToken { mint: pool.stake_mint, token_program: pool.stake_token_program };
            let to = pda::ata(&kp.pubkey(), &stake.mint, &stake.token_program);
            let member = pda::member(&hub, &kp.pubkey()).0;
            let position: PoolPosition = chain
                .account(&pda::position(&key, &member).0)?
                .ok_or_else(|| anyhow!("you have no position in pool {id}: nothing to withdraw"))?;
            let referrer = if position.referrer_position == Pubkey::default() {
                None
            } else {
                referrer_of(chain, &hub, &kp.pubkey())?
            };
            let sig = chain.send(
                &[ix::pool_withdraw(&kp.pubkey(), &hub, &key, stake, &to, referrer.as_ref(), amount)],
                &kp,
                &[],
            )?;
            Ok(Out::kv(
                "withdrawn (your referral bonus in this pool has ended)",
                json!({ "pool": key.to_string(), "amount": amount, "signature": sig }),
            ))
        }
        PoolAction::Claim { hub, id } => {
            let kp = signer()?;
            let (key, pool) = load_pool(chain, &hub, id)?;
            let reward = PoolToken { mint: pool.reward_mint, token_program: pool.reward_token_program };
            let dest = pda::ata(&kp.pubkey(), &reward.mint, &reward.token_program);
            let create = anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent(
                &kp.pubkey(), &kp.pubkey(), &reward.mint, &reward.token_program,
            );
            let member_key = pda::member(&hub, &kp.pubkey()).0;
            let position: PoolPosition = chain
                .account(&pda::position(&key, &member_key).0)?
                .ok_or_else(|| anyhow!("you have no position in pool {id}: stake first (`referral pool stake`)"))?;
            let member: Member =
                chain.account(&member_key)?.ok_or_else(|| anyhow!("{} is not a member of hub {hub}", kp.pubkey()))?;
            // A referral made since the last stake takes effect at this claim.
            let link = if ix::claim_links_referrer(&position, &member) {
                referrer_of(chain, &hub, &kp.pubkey())?
            } else {
                None
            };
            let claim = ix::pool_claim(&kp.pubkey(), &hub, &key, reward, &dest, link.as_ref());
            let sig = chain.send(&[create, claim], &kp, &[])?;
            Ok(Out::kv("rewards claimed", json!({ "pool": key.to_string(), "signature": sig })))
        }
        PoolAction::Show { hub, id, wallet } => {
            let (key, pool) = load_pool(chain, &hub, id)?;
            let wallet = match wallet {
                Some(w) => w,
                None => signer()?.pubkey(),
            };
            let position: Option<PoolPosition> =
                chain.account(&pda::position(&key, &pda::member(&hub, &wallet).0).0)?;
            // What the position is owed now, by the program's own rules.
            let mut accrual = pool.accrual();
            let _ = advance(&mut accrual, crate::periods::now());
            let owed = position.as_ref().and_then(|p| {
                let mut s = p.stake();
                s.settle(accrual.acc).ok().map(|_| s.owed)
            });
            Ok(Out::kv(
                "staking pool",
                json!({
                    "pool": key.to_string(), "stake_mint": pool.stake_mint.to_string(), "reward_mint": pool.reward_mint.to_string(),
                    "rate_per_second": pool.rate, "start_unix": pool.start, "end_unix": pool.end,
                    "total_staked": pool.total_staked, "total_weight": pool.total_weight.to_string(),
                    "funded": pool.funded, "paid": pool.paid, "emitted": pool.emitted.to_string(),
                    "wallet": wallet.to_string(),
                    "staked": position.as_ref().map(|p| p.staked), "weight": position.as_ref().map(|p| p.stake().weight().to_string()),
                    "bonus_valid": position.as_ref().map(|p| p.bonus_valid), "owed_now": owed,
                    "claimed": position.as_ref().map(|p| p.paid),
                }),
            ))
        }
    }
}
