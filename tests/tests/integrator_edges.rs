//! Issue 16, item 6: what an integrator trips on, each first shown (what the program used to accept) and
//! then refused or made harmless, with the accounts read before and after: trailing instruction data, a
//! non-member report naming referrer accounts, a token report's vault asked for only when a share is due,
//! the rent of a referrer's fee vault back to whoever paid it, a sponsor's stake rent back to the sponsor,
//! and lamports sent to a Member claimable by its owner.
use anchor_lang::error::ErrorCode as Anchor;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::program_pack::Pack;
use anchor_spl::token::spl_token;
use referral::errors::ReferralError;
use referral_client::ix::{self, Trade};
use referral_client::{decode, pda, HubConfig, RouteFeeResult, ShareOutcome, StakeReceipt};
use referral_tests::tokens::{NftSpec, TOKEN};
use referral_tests::{assert_custom_error, Fixture, TestKeypair, TestSigner};

const COLLECTION: Pubkey = Pubkey::new_from_array([77; 32]);
const FEE: u64 = 1_000_000;

/// A hub with a collection (a referrer earns once it has one NFT staked): `a` referred `t`; `n` is not a
/// member; `mint` is an SPL mint `t` holds.
struct World {
    fx: Fixture,
    hub: Pubkey,
    reporter: TestKeypair,
    a: TestKeypair,
    t: TestKeypair,
    n: TestKeypair,
    mint: Pubkey,
    t_token: Pubkey,
}

async fn world() -> World {
    let mut fx = Fixture::new().await;
    let reporter = fx.wallet().await;
    let mut c = HubConfig::with_defaults(COLLECTION);
    c.reporters = vec![reporter.pubkey()];
    let hub = fx.hub_with(c).await;
    let a = fx.member_under(&hub, None).await;
    let t = fx.member_under(&hub, Some(&a)).await;
    let n = fx.wallet().await;
    let auth = TestKeypair::new();
    let mint = fx.mint(&auth, 6, TOKEN).await;
    let t_token = fx.ata(&t.pubkey(), &mint, TOKEN).await;
    fx.mint_to(&auth, &mint, &t_token, 100 * FEE, TOKEN).await;
    World { fx, hub, reporter, a, t, n, mint, t_token }
}

impl World {
    fn vault(&self) -> Pubkey {
        pda::fee_vault(&pda::member(&self.hub, &self.a.pubkey()).0, &self.mint, &TOKEN)
    }
    fn route_token(&self, trade: &Trade) -> referral_client::Instruction {
        let (r, t) = (self.reporter.pubkey(), self.t.pubkey());
        ix::route_fee_token(&r, &self.hub, &t, &self.t_token, &self.mint, &TOKEN, trade, FEE, 100)
    }
    async fn send_report(
        &mut self,
        ixn: referral_client::Instruction,
    ) -> Result<referral_tests::Sent, referral_tests::Failed> {
        let (r, t) = (self.reporter.insecure_clone(), self.t.insecure_clone());
        self.fx.send(&[ixn], &[&r, &t]).await
    }
}

/// `ixn` with its optional account `key` left out (Anchor reads the program id as "none").
fn without(mut ixn: referral_client::Instruction, key: &Pubkey) -> referral_client::Instruction {
    let meta = ixn.accounts.iter_mut().find(|m| m.pubkey == *key).expect("account in the instruction");
    meta.pubkey = referral::ID;
    meta.is_writable = false;
    ixn
}

// R-4.1 (issue 16, 6): route_fee read a prefix of its instruction data and ignored the rest, so an
// integrator's encoding error went unnoticed. Trailing bytes are refused (InstructionDidNotDeserialize)
// and change nothing; the exact 48 bytes of arguments still route.
#[tokio::test]
async fn route_fee_refuses_trailing_bytes() {
    let mut w = world().await;
    let trade = w.fx.trade_of(&w.hub, &w.t.pubkey()).await;
    let honest = ix::route_fee(&w.reporter.pubkey(), &w.hub, &w.t.pubkey(), &trade, FEE, 100);
    assert_eq!(honest.data.len(), 8 + referral::RouteFeeArgs::LEN);
    let watch = [pda::member(&w.hub, &w.t.pubkey()).0, pda::member(&w.hub, &w.a.pubkey()).0, w.t.pubkey()];
    let before = w.fx.snapshot(&watch).await;
    let mut padded = honest.clone();
    padded.data.push(0);
    assert_custom_error(w.send_report(padded).await, Anchor::InstructionDidNotDeserialize);
    let mut short = honest.clone();
    short.data.pop();
    assert_custom_error(w.send_report(short).await, Anchor::InstructionDidNotDeserialize);
    assert_eq!(w.fx.snapshot(&watch).await, before, "refused reports change nothing");
    w.send_report(honest).await.expect("the exact arguments route");
}

// R-4.1 (issue 16, 6): a non-member's report used to accept and ignore referrer, vault and upline
// accounts, hiding a client's mistake (or a forged referral). route_fee, route_fee_token and
// award_points now refuse them (NonMemberTakesNoReferrer) and change nothing; the honest non-member
// report still goes through with NotMember.
#[tokio::test]
async fn non_member_reports_take_no_referrer_accounts() {
    let mut w = world().await;
    let n = w.n.pubkey();
    let (reporter, hub) = (w.reporter.pubkey(), w.hub);
    let a_member = pda::member(&hub, &w.a.pubkey()).0;
    let honest = Trade { trader_wallet: n, referrer_wallet: None, upline: vec![] };
    let with_referrer = Trade { referrer_wallet: Some(w.a.pubkey()), ..honest.clone() };
    let with_upline = Trade { upline: vec![a_member], ..honest.clone() };
    let watch = [pda::member(&hub, &n).0, a_member, n, w.vault(), w.t_token];
    let before = w.fx.snapshot(&watch).await;
    let nk = w.n.insecure_clone();
    let rk = w.reporter.insecure_clone();
    for trade in [&with_referrer, &with_upline] {
        let route = ix::route_fee(&reporter, &hub, &n, trade, FEE, 100);
        assert_custom_error(w.fx.send(&[route], &[&rk, &nk]).await, ReferralError::NonMemberTakesNoReferrer);
        let award = ix::award_points(&reporter, &hub, trade, 100);
        assert_custom_error(w.fx.send(&[award], &[&rk]).await, ReferralError::NonMemberTakesNoReferrer);
        let token = w.route_token(trade);
        assert_custom_error(w.send_report(token).await, ReferralError::NonMemberTakesNoReferrer);
    }
    // The referrer's vault alone (account 7 of route_fee_token), for a non-member.
    let mut token = w.route_token(&honest);
    assert_eq!(token.accounts[7].pubkey, referral::ID, "no vault for a report without a referrer");
    token.accounts[7].pubkey = w.vault();
    token.accounts[7].is_writable = true;
    assert_custom_error(w.send_report(token).await, ReferralError::NonMemberTakesNoReferrer);
    assert_eq!(w.fx.snapshot(&watch).await, before, "refused reports change nothing");
    let route = ix::route_fee(&reporter, &hub, &n, &honest, FEE, 100);
    let sent = w.fx.send(&[route], &[&rk, &nk]).await.expect("a non-member's honest report");
    let r: RouteFeeResult = decode::return_data(&sent.return_data.expect("return data").1).expect("result");
    assert_eq!((r.outcome, r.referrer_share, r.remainder), (ShareOutcome::NotMember, 0, FEE));
}

// R-4.2 (issue 16, 6): a token report asked for the referrer's fee vault even when no share was due.
// Now it is needed only when one is: an ineligible referrer (no NFT staked) routes nothing without it;
// once the referrer is eligible, leaving it out is refused (ReferrerVaultMissing, nothing changes: a
// trader cannot skip its referrer's share that way), and with it the share is routed.
#[tokio::test]
async fn token_report_needs_the_vault_only_when_a_share_is_due() {
    let mut w = world().await;
    let trade = w.fx.trade_of(&w.hub, &w.t.pubkey()).await;
    let vault = w.vault();
    let sent = w.send_report(without(w.route_token(&trade), &vault)).await.expect("no share due, no vault");
    let r: RouteFeeResult = decode::return_data(&sent.return_data.expect("return data").1).expect("result");
    assert_eq!((r.outcome, r.remainder), (ShareOutcome::NotEligible, FEE));
    assert!(w.fx.raw(&vault).await.is_none(), "no vault created");
    let a = w.a.insecure_clone();
    w.fx.stake_many(&w.hub.clone(), &a, COLLECTION, 1).await;
    let watch = [w.t_token, vault, pda::member(&w.hub, &w.a.pubkey()).0, pda::member(&w.hub, &w.t.pubkey()).0];
    let before = w.fx.snapshot(&watch).await;
    assert_custom_error(
        w.send_report(without(w.route_token(&trade), &vault)).await,
        ReferralError::ReferrerVaultMissing,
    );
    assert_eq!(w.fx.snapshot(&watch).await, before);
    let sent = w.send_report(w.route_token(&trade)).await.expect("with the vault");
    let r: RouteFeeResult = decode::return_data(&sent.return_data.expect("return data").1).expect("result");
    assert_eq!((r.outcome, r.referrer_share), (ShareOutcome::Routed, FEE / 20));
}

// R-4.2 (issue 16, 6): the trader paid the rent of its referrer's token vault on first use and no
// instruction could ever close it. The payer now becomes the vault's close authority: it cannot touch a
// vault that holds fees (the token program refuses, the referrer's balance stays), and once the referrer
// has claimed, it closes the empty vault and gets its rent back; the next share recreates it.
#[tokio::test]
async fn fee_vault_rent_goes_back_to_its_payer() {
    let mut w = world().await;
    let a = w.a.insecure_clone();
    w.fx.stake_many(&w.hub.clone(), &a, COLLECTION, 1).await;
    let trade = w.fx.trade_of(&w.hub, &w.t.pubkey()).await;
    let vault = w.vault();
    let t_before = w.fx.lamports(&w.t.pubkey()).await;
    w.send_report(w.route_token(&trade)).await.expect("first share creates the vault");
    let rent = w.fx.lamports(&vault).await;
    assert_eq!(w.fx.lamports(&w.t.pubkey()).await, t_before - rent, "the trader paid the vault's rent");
    let account = spl_token::state::Account::unpack(&w.fx.raw(&vault).await.expect("vault").data).expect("token");
    assert_eq!(account.close_authority, Some(w.t.pubkey()).into(), "the payer may close it when empty");
    let t = w.t.insecure_clone();
    let close = spl_token::instruction::close_account(&TOKEN, &vault, &t.pubkey(), &t.pubkey(), &[]).expect("ix");
    let before = w.fx.snapshot(&[vault]).await;
    assert!(w.fx.send(std::slice::from_ref(&close), &[&t]).await.is_err(), "a vault holding fees cannot be closed");
    assert_eq!(w.fx.snapshot(&[vault]).await, before);
    let dest = w.fx.ata(&w.a.pubkey(), &w.mint, TOKEN).await;
    w.fx.send(&[ix::claim_token_fees(&a.pubkey(), &w.hub, &w.mint, &TOKEN, &dest)], &[&a]).await.expect("claim");
    assert_eq!(w.fx.token_balance(&dest).await, FEE / 20);
    let t_before = w.fx.lamports(&w.t.pubkey()).await;
    w.fx.send(&[close], &[&t]).await.expect("the payer closes the empty vault");
    assert_eq!(w.fx.lamports(&w.t.pubkey()).await, t_before + rent, "rent back to whoever paid it");
    w.send_report(w.route_token(&trade)).await.expect("the next share recreates the vault");
    assert_eq!(w.fx.token_balance(&vault).await, FEE / 20);
}

// R-3.3 (issue 16, 6): a stake receipt refunded its rent (and the escrow's) to the staker even when a
// sponsor had paid it. The receipt now records its payer: unstaking names it (WrongRecipient otherwise,
// nothing changes) and both rents go back to the sponsor, the NFT to its owner.
#[tokio::test]
async fn a_sponsor_gets_its_stake_rent_back() {
    let mut w = world().await;
    let a = w.a.insecure_clone();
    let sponsor = w.fx.wallet().await;
    let (mint, token) = w.fx.nft(&a.pubkey(), NftSpec::of(COLLECTION)).await;
    let stake = ix::stake_nft(&a.pubkey(), &sponsor.pubkey(), &w.hub, &mint, &token);
    let sponsor_before = w.fx.lamports(&sponsor.pubkey()).await;
    w.fx.send(&[stake], &[&a, &sponsor]).await.expect("a sponsored stake");
    let receipt = pda::stake_receipt(&w.hub, &mint).0;
    let escrow = pda::stake_escrow(&receipt).0;
    let rents = w.fx.lamports(&receipt).await + w.fx.lamports(&escrow).await;
    assert_eq!(w.fx.lamports(&sponsor.pubkey()).await, sponsor_before - rents);
    assert_eq!(w.fx.account::<StakeReceipt>(&receipt).await.expect("receipt").payer, sponsor.pubkey());
    let watch = [receipt, escrow, token, a.pubkey(), sponsor.pubkey()];
    let before = w.fx.snapshot(&watch).await;
    let to_owner = ix::unstake_nft(&a.pubkey(), &a.pubkey(), &w.hub, &mint, &token);
    assert_custom_error(w.fx.send(&[to_owner], &[&a]).await, ReferralError::WrongRecipient);
    assert_eq!(w.fx.snapshot(&watch).await, before);
    let a_before = w.fx.lamports(&a.pubkey()).await;
    w.fx.send(&[ix::unstake_nft(&a.pubkey(), &sponsor.pubkey(), &w.hub, &mint, &token)], &[&a]).await.expect("unstake");
    assert_eq!(w.fx.lamports(&sponsor.pubkey()).await, sponsor_before, "both rents back to the sponsor");
    assert_eq!(w.fx.lamports(&a.pubkey()).await, a_before);
    assert_eq!(w.fx.token_balance(&token).await, 1, "the NFT back to its owner");
}

// R-4.8 (issue 16, 6): lamports sent straight to a Member account were locked for good (claims paid the
// tracked balance only). A claim now pays everything the account holds above its rent; the Member keeps
// exactly its rent.
#[tokio::test]
async fn lamports_sent_to_a_member_are_claimable() {
    let mut w = world().await;
    let a = w.a.insecure_clone();
    let member = pda::member(&w.hub, &a.pubkey()).0;
    assert_custom_error(w.fx.send(&[ix::claim_fees(&a.pubkey(), &w.hub)], &[&a]).await, ReferralError::NothingToClaim);
    w.fx.fund(&member, 123_456_789).await;
    let before = w.fx.lamports(&a.pubkey()).await;
    w.fx.send(&[ix::claim_fees(&a.pubkey(), &w.hub)], &[&a]).await.expect("claim what was sent");
    assert_eq!(w.fx.lamports(&a.pubkey()).await, before + 123_456_789);
    let rent = solana_rent::Rent::default().minimum_balance(referral_client::Member::SPACE);
    assert_eq!(w.fx.lamports(&member).await, rent, "the Member keeps exactly its rent");
    assert_eq!(w.fx.member(&w.hub, &a.pubkey()).await.claimable_lamports, 0);
}
