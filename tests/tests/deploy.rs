//! The deploy path against the embedded SVM: the referral program is NOT loaded at genesis here;
//! it is deployed through the upgradeable loader by the same plan the CLI sends over RPC, and then used.
use referral_client::deploy;
use referral_client::HubConfig;
use referral_tests::{keypair_from_json, program_binary, Fixture, TestKeypair, TestSigner};

// buffer, chunked writes, deploy; then a hub is created through the freshly deployed program.
#[tokio::test]
async fn deploy_then_create_hub() {
    let mut fx = Fixture::with_programs(&[]).await;
    let payer = fx.payer();
    let program = keypair_from_json(include_str!("../../keys/referral-keypair.json"));
    assert_eq!(program.pubkey(), referral::ID, "keys/referral-keypair.json is the declared program id");
    let buffer = TestKeypair::new();
    let elf = program_binary("referral");
    let plan = deploy::plan(&payer.pubkey(), &program.pubkey(), &buffer.pubkey(), &payer.pubkey(), &elf).expect("plan");
    assert_eq!(plan.transactions.len(), 2 + elf.len().div_ceil(deploy::CHUNK));
    for (i, tx) in plan.transactions.iter().enumerate() {
        if let Err(f) = fx.send(tx, &[&buffer, &program]).await {
            panic!("deploy transaction {i} failed: {:?}\n{}", f.error, f.logs.join("\n"));
        }
    }
    let account = fx.raw(&referral::ID).await.expect("program account");
    assert!(account.executable);
    assert_eq!(account.owner, anchor_lang::solana_program::bpf_loader_upgradeable::ID);
    // A deployed program becomes callable from the next slot.
    let slot = fx.ctx.banks_client.get_root_slot().await.expect("slot");
    fx.ctx.warp_to_slot(slot + 1).expect("warp");
    let hub = fx.hub_with(HubConfig::with_defaults(anchor_lang::prelude::Pubkey::default())).await;
    assert!(fx.account::<referral_client::Hub>(&hub).await.is_some());
}
