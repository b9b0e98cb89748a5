//! Issue 8, point 2: a fee share never fails a trade, for every token, and a claim that cannot
//! move fails with a named error, never a raw token-program error. The decision table is
//! docs/DECISIONS.md D-37 (`logic::tokens`); each test first shows what the token would do to a naive
//! transfer (the attack or the trap), then that `route_fee_token` moves nothing, says why, and the trade
//! goes on, and what a claim does.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_spl::token::spl_token;
use anchor_spl::token_2022::spl_token_2022;
use anchor_spl::token_2022::spl_token_2022::extension::ExtensionType;
use anchor_spl::token_2022::spl_token_2022::state::AccountState;
use referral::errors::ReferralError;
use referral::events::FeeRouted;
use referral_client::ix;
use referral_client::{decode, pda, HubConfig, RouteFeeResult, ShareOutcome};
use referral_tests::tokens::{TOKEN, TOKEN_2022};
use referral_tests::{assert_custom_error, Fixture, TestKeypair, TestSigner};

const FEE: u64 = 1_000_000;

/// A hub without a collection (every referrer earns 5%): `a` referred `t`, who pays fees.
struct World {
    fx: Fixture,
    hub: Pubkey,
    reporter: TestKeypair,
    a: TestKeypair,
    t: TestKeypair,
    auth: TestKeypair,
}

async fn world() -> World {
    let mut fx = Fixture::new().await;
    let reporter = fx.wallet().await;
    let mut c = HubConfig::with_defaults(Pubkey::default());
    c.reporters = vec![reporter.pubkey()];
    let hub = fx.hub_with(c).await;
    let a = fx.member_under(&hub, None).await;
    let t = fx.member_under(&hub, Some(&a)).await;
    let auth = fx.wallet().await;
    World { fx, hub, reporter, a, t, auth }
}

impl World {
    /// The referrer's fee vault for `mint`.
    fn vault(&self, mint: &Pubkey, program: &Pubkey) -> Pubkey {
        pda::fee_vault(&pda::member(&self.hub, &self.a.pubkey()).0, mint, program)
    }

    /// `t`'s token account for `mint`, holding `amount` (thawed first when the mint makes it frozen).
    async fn funded(&mut self, mint: &Pubkey, program: Pubkey, amount: u64) -> Pubkey {
        let account = self.fx.ata(&self.t.pubkey(), mint, program).await;
        if self.fx.is_frozen(&account).await {
            self.thaw(mint, &account, program).await;
        }
        let auth = self.auth.insecure_clone();
        self.fx.mint_to(&auth, mint, &account, amount, program).await;
        account
    }

    async fn thaw(&mut self, mint: &Pubkey, account: &Pubkey, program: Pubkey) {
        let ix =
            spl_token_2022::instruction::thaw_account(&program, account, mint, &self.auth.pubkey(), &[]).expect("thaw");
        let auth = self.auth.insecure_clone();
        self.fx.send(&[ix], &[&auth]).await.expect("thaw");
    }

    async fn authority_sends(&mut self, ixs: &[Instruction]) {
        let auth = self.auth.insecure_clone();
        if let Err(f) = self.fx.send(ixs, &[&auth]).await {
            panic!("{:?}\n{}", f.error, f.logs.join("\n"));
        }
    }

    /// Routes a token fee for `t`'s trade; the trade succeeds. Returns the result (checked against the
    /// event).
    async fn route(&mut self, mint: &Pubkey, program: Pubkey, payer_token: &Pubkey) -> RouteFeeResult {
        let trade = self.fx.trade_of(&self.hub, &self.t.pubkey()).await;
        let ixt = ix::route_fee_token(
            &self.reporter.pubkey(),
            &self.hub,
            &self.t.pubkey(),
            payer_token,
            mint,
            &program,
            &trade,
            FEE,
            100,
        );
        let (reporter, t) = (self.reporter.insecure_clone(), self.t.insecure_clone());
        let sent = match self.fx.send(&[ixt], &[&reporter, &t]).await {
            Ok(s) => s,
            Err(f) => panic!("the trade must not fail: {:?}\n{}", f.error, f.logs.join("\n")),
        };
        let r: RouteFeeResult = decode::return_data(&sent.return_data.expect("return data").1).expect("result");
        let events = decode::events::<FeeRouted>(&sent.logs);
        assert_eq!(events.len(), 1);
        assert_eq!((events[0].outcome, events[0].referrer_share), (r.outcome, r.referrer_share));
        r
    }

    /// Routes and checks that nothing moved for `outcome`: the payer keeps its tokens and lamports, the
    /// vault is not created or changed, and the trade's points are still credited.
    async fn route_nothing(&mut self, mint: &Pubkey, program: Pubkey, payer_token: &Pubkey, outcome: ShareOutcome) {
        let vault = self.vault(mint, &program);
        let watch = [*payer_token, vault, self.t.pubkey()];
        let before = self.fx.snapshot(&watch).await;
        let own_before = self.fx.member(&self.hub, &self.t.pubkey()).await.own_points;
        let r = self.route(mint, program, payer_token).await;
        assert_eq!((r.referrer_share, r.remainder, r.credited, r.outcome), (0, FEE, 0, outcome));
        assert_eq!(self.fx.snapshot(&watch).await, before, "nothing left the payer, the vault is untouched");
        assert_eq!(self.fx.member(&self.hub, &self.t.pubkey()).await.own_points, own_before + 105);
    }

    /// `a` claims `mint` to its own token account.
    async fn claim(&mut self, mint: &Pubkey, program: Pubkey) -> Result<referral_tests::Sent, referral_tests::Failed> {
        let dest = self.fx.ata(&self.a.pubkey(), mint, program).await;
        let a = self.a.insecure_clone();
        self.fx.send(&[ix::claim_token_fees(&a.pubkey(), &self.hub, mint, &program, &dest)], &[&a]).await
    }

    /// Puts `amount` straight into the referrer's vault (creating it), as anyone may.
    async fn fill_vault(&mut self, mint: &Pubkey, program: Pubkey, amount: u64) -> Pubkey {
        let member = pda::member(&self.hub, &self.a.pubkey()).0;
        let vault = self.fx.ata(&member, mint, program).await;
        let auth = self.auth.insecure_clone();
        self.fx.mint_to(&auth, mint, &vault, amount, program).await;
        vault
    }
}

// an SPL mint's freeze authority freezes the referrer's vault. A transfer into it fails (the
// trap); the referee's next trade still succeeds and moves nothing (VaultFrozen); a claim fails with
// VaultFrozen, and works again once the vault is thawed. A frozen destination is DestinationFrozen.
#[tokio::test]
async fn frozen_vault_routes_nothing_and_claims_say_so() {
    let mut w = world().await;
    let auth = w.auth.insecure_clone();
    let mint = w.fx.freezable_mint(&auth, 6).await;
    let payer_token = w.funded(&mint, TOKEN, 100 * FEE).await;
    let r = w.route(&mint, TOKEN, &payer_token).await;
    assert_eq!((r.referrer_share, r.outcome), (FEE / 20, ShareOutcome::Routed));
    let vault = w.vault(&mint, &TOKEN);
    w.authority_sends(&[spl_token::instruction::freeze_account(&TOKEN, &vault, &mint, &auth.pubkey(), &[]).unwrap()])
        .await;
    // The trap: a plain transfer into the frozen vault fails.
    let t = w.t.insecure_clone();
    let push =
        spl_token::instruction::transfer_checked(&TOKEN, &payer_token, &mint, &vault, &t.pubkey(), &[], 1, 6).unwrap();
    assert!(w.fx.send(&[push], &[&t]).await.is_err(), "a transfer into a frozen vault fails");
    w.route_nothing(&mint, TOKEN, &payer_token, ShareOutcome::VaultFrozen).await;
    let snap = w.fx.snapshot(&[vault]).await;
    assert_custom_error(w.claim(&mint, TOKEN).await, ReferralError::VaultFrozen);
    assert_eq!(w.fx.snapshot(&[vault]).await, snap);
    w.thaw(&mint, &vault, TOKEN).await;
    // A frozen destination: named error, then the claim goes through once it is thawed.
    let dest = w.fx.ata(&w.a.pubkey(), &mint, TOKEN).await;
    w.authority_sends(&[spl_token::instruction::freeze_account(&TOKEN, &dest, &mint, &auth.pubkey(), &[]).unwrap()])
        .await;
    assert_custom_error(w.claim(&mint, TOKEN).await, ReferralError::DestinationFrozen);
    w.thaw(&mint, &dest, TOKEN).await;
    w.claim(&mint, TOKEN).await.expect("claim after thaw");
    assert_eq!(w.fx.token_balance(&dest).await, FEE / 20);
}

// a Token-2022 mint whose accounts start frozen: a new account is frozen (the trap), so the vault
// is not created and nothing moves (DefaultFrozen). Once the freeze authority has thawed the vault, shares
// flow into it.
#[tokio::test]
async fn default_frozen_mint_creates_no_frozen_vault() {
    let mut w = world().await;
    let auth = w.auth.insecure_clone();
    let init = |mint: &Pubkey| {
        vec![spl_token_2022::extension::default_account_state::instruction::initialize_default_account_state(
            &TOKEN_2022,
            mint,
            &AccountState::Frozen,
        )
        .unwrap()]
    };
    let mint = w.fx.mint_2022(&auth, 6, &[ExtensionType::DefaultAccountState], init, Some(auth.pubkey())).await;
    let payer_token = w.funded(&mint, TOKEN_2022, 100 * FEE).await;
    let probe = w.fx.ata(&Pubkey::new_unique(), &mint, TOKEN_2022).await;
    assert!(w.fx.is_frozen(&probe).await, "new accounts of this mint start frozen");
    w.route_nothing(&mint, TOKEN_2022, &payer_token, ShareOutcome::DefaultFrozen).await;
    assert!(w.fx.raw(&w.vault(&mint, &TOKEN_2022)).await.is_none(), "no frozen vault was created");
    // The operator thaws a vault made for the referrer: shares then arrive.
    let vault = w.fill_vault_thawed(&mint).await;
    let r = w.route(&mint, TOKEN_2022, &payer_token).await;
    assert_eq!((r.credited, r.outcome), (FEE / 20, ShareOutcome::Routed));
    assert_eq!(w.fx.token_balance(&vault).await, FEE / 20);
}

impl World {
    async fn fill_vault_thawed(&mut self, mint: &Pubkey) -> Pubkey {
        let member = pda::member(&self.hub, &self.a.pubkey()).0;
        let vault = self.fx.ata(&member, mint, TOKEN_2022).await;
        self.thaw(mint, &vault, TOKEN_2022).await;
        vault
    }
}

// a transfer-hook mint: every transfer calls the hook program, with accounts the trade
// report does not carry, so a plain transfer fails (the trap). Routing moves nothing (TransferHook); a
// claim of tokens someone put into the vault is TransferHookUnsupported.
#[tokio::test]
async fn transfer_hook_mint_routes_nothing() {
    let mut w = world().await;
    let auth = w.auth.insecure_clone();
    let hook = Pubkey::new_unique();
    let init = move |mint: &Pubkey| {
        let auth = auth.pubkey();
        vec![spl_token_2022::extension::transfer_hook::instruction::initialize(
            &TOKEN_2022,
            mint,
            Some(auth),
            Some(hook),
        )
        .unwrap()]
    };
    let auth = w.auth.insecure_clone();
    let mint = w.fx.mint_2022(&auth, 6, &[ExtensionType::TransferHook], init, None).await;
    let payer_token = w.funded(&mint, TOKEN_2022, 100 * FEE).await;
    let other = w.fx.ata(&Pubkey::new_unique(), &mint, TOKEN_2022).await;
    let t = w.t.insecure_clone();
    let push =
        spl_token_2022::instruction::transfer_checked(&TOKEN_2022, &payer_token, &mint, &other, &t.pubkey(), &[], 1, 6)
            .unwrap();
    assert!(w.fx.send(&[push], &[&t]).await.is_err(), "a plain transfer of a hooked mint fails");
    w.route_nothing(&mint, TOKEN_2022, &payer_token, ShareOutcome::TransferHook).await;
    let vault = w.fill_vault(&mint, TOKEN_2022, 500).await;
    let snap = w.fx.snapshot(&[vault]).await;
    assert_custom_error(w.claim(&mint, TOKEN_2022).await, ReferralError::TransferHookUnsupported);
    assert_eq!(w.fx.snapshot(&[vault]).await, snap);
}

// a mint with a permanent delegate, who can move tokens out of ANY account of the mint: shown by
// taking tokens out of a vault (the attack on earned fees). Routing moves nothing (PermanentDelegate); a
// claim of what is in a vault still works (getting the tokens out of reach is what the member wants).
#[tokio::test]
async fn permanent_delegate_mint_routes_nothing() {
    let mut w = world().await;
    let delegate = w.fx.wallet().await;
    let d = delegate.pubkey();
    let init = move |mint: &Pubkey| {
        vec![spl_token_2022::instruction::initialize_permanent_delegate(&TOKEN_2022, mint, &d).unwrap()]
    };
    let auth = w.auth.insecure_clone();
    let mint = w.fx.mint_2022(&auth, 6, &[ExtensionType::PermanentDelegate], init, None).await;
    let payer_token = w.funded(&mint, TOKEN_2022, 100 * FEE).await;
    let vault = w.fill_vault(&mint, TOKEN_2022, 1_000).await;
    let loot = w.fx.ata(&delegate.pubkey(), &mint, TOKEN_2022).await;
    let take =
        spl_token_2022::instruction::transfer_checked(&TOKEN_2022, &vault, &mint, &loot, &d, &[], 400, 6).unwrap();
    w.fx.send(&[take], &[&delegate]).await.expect("the permanent delegate takes from the vault");
    assert_eq!(w.fx.token_balance(&vault).await, 600);
    w.route_nothing(&mint, TOKEN_2022, &payer_token, ShareOutcome::PermanentDelegate).await;
    w.claim(&mint, TOKEN_2022).await.expect("what is there can still be claimed");
    assert_eq!(w.fx.token_balance(&vault).await, 0);
}

// a pausable mint, paused: no transfer succeeds (the trap). Routing moves nothing
// (MintPaused); a claim is MintPaused; after resume both work.
#[tokio::test]
async fn paused_mint_routes_nothing() {
    use spl_token_2022::extension::pausable::instruction as pausable;
    let mut w = world().await;
    let auth = w.auth.insecure_clone();
    let a = auth.pubkey();
    let init = move |mint: &Pubkey| vec![pausable::initialize(&TOKEN_2022, mint, &a).unwrap()];
    let mint = w.fx.mint_2022(&auth, 6, &[ExtensionType::Pausable], init, None).await;
    let payer_token = w.funded(&mint, TOKEN_2022, 100 * FEE).await;
    let vault = w.fill_vault(&mint, TOKEN_2022, 700).await;
    w.authority_sends(&[pausable::pause(&TOKEN_2022, &mint, &a, &[]).unwrap()]).await;
    let t = w.t.insecure_clone();
    let push =
        spl_token_2022::instruction::transfer_checked(&TOKEN_2022, &payer_token, &mint, &vault, &t.pubkey(), &[], 1, 6)
            .unwrap();
    assert!(w.fx.send(&[push], &[&t]).await.is_err(), "a paused mint moves nothing");
    w.route_nothing(&mint, TOKEN_2022, &payer_token, ShareOutcome::MintPaused).await;
    assert_custom_error(w.claim(&mint, TOKEN_2022).await, ReferralError::MintPaused);
    w.authority_sends(&[pausable::resume(&TOKEN_2022, &mint, &a, &[]).unwrap()]).await;
    let r = w.route(&mint, TOKEN_2022, &payer_token).await;
    assert_eq!(r.outcome, ShareOutcome::Routed);
    w.claim(&mint, TOKEN_2022).await.expect("claim after resume");
}

// a non-transferable mint: routing moves nothing (NonTransferable); a claim is
// NonTransferableMint.
#[tokio::test]
async fn non_transferable_mint_routes_nothing() {
    let mut w = world().await;
    let auth = w.auth.insecure_clone();
    let init =
        |mint: &Pubkey| vec![spl_token_2022::instruction::initialize_non_transferable_mint(&TOKEN_2022, mint).unwrap()];
    let mint = w.fx.mint_2022(&auth, 0, &[ExtensionType::NonTransferable], init, None).await;
    let payer_token = w.funded(&mint, TOKEN_2022, 100 * FEE).await;
    w.route_nothing(&mint, TOKEN_2022, &payer_token, ShareOutcome::NonTransferable).await;
    w.fill_vault(&mint, TOKEN_2022, 5).await;
    assert_custom_error(w.claim(&mint, TOKEN_2022).await, ReferralError::NonTransferableMint);
}

// a payer whose Token-2022 account has the CPI guard on cannot move it by CPI with its own
// signature, which is how every share moves: routing moves nothing (PayerCpiGuard) instead of failing the
// trade; with the guard off, the share moves.
#[tokio::test]
async fn payer_cpi_guard_routes_nothing() {
    use spl_token_2022::extension::cpi_guard::instruction as guard;
    let mut w = world().await;
    let auth = w.auth.insecure_clone();
    let mint = w.fx.mint(&auth, 6, TOKEN_2022).await;
    let payer_token = w.funded(&mint, TOKEN_2022, 100 * FEE).await;
    let t = w.t.insecure_clone();
    let grow = spl_token_2022::instruction::reallocate(
        &TOKEN_2022,
        &payer_token,
        &t.pubkey(),
        &t.pubkey(),
        &[],
        &[ExtensionType::CpiGuard],
    )
    .unwrap();
    let on = guard::enable_cpi_guard(&TOKEN_2022, &payer_token, &t.pubkey(), &[]).unwrap();
    w.fx.send(&[grow, on], &[&t]).await.expect("enable the CPI guard");
    w.route_nothing(&mint, TOKEN_2022, &payer_token, ShareOutcome::PayerCpiGuard).await;
    let off = guard::disable_cpi_guard(&TOKEN_2022, &payer_token, &t.pubkey(), &[]).unwrap();
    w.fx.send(&[off], &[&t]).await.expect("disable the CPI guard");
    let r = w.route(&mint, TOKEN_2022, &payer_token).await;
    assert_eq!((r.credited, r.outcome), (FEE / 20, ShareOutcome::Routed));
}
