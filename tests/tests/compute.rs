//! Compute-unit ceilings per instruction and account sizes on the SBF binary.
use referral_client::{
    Hub, Member, Period, PoolPosition, ReferralCode, Registration, RewardClaim, RewardPool, StakeReceipt, StakingPool,
};
use referral_tests::compute;

// every instruction stays under its pinned ceiling and under the 60,000 CU bar.
#[tokio::test]
async fn every_instruction_under_its_ceiling() {
    let rows = compute::measure_all().await;
    assert_eq!(rows.len(), compute::CEILINGS.len(), "every pinned scenario is measured");
    for r in &rows {
        assert!(r.cu > 0, "{}: measured nothing", r.name);
        assert!(r.cu <= r.ceiling, "{}: {} CU is above its ceiling {}", r.name, r.cu, r.ceiling);
        assert!(r.cu < 60_000, "{}: {} CU is above the 60,000 CU bar of R-8.1", r.name, r.cu);
    }
    // route_fee with a referrer and depth 2 stays under 40,000 CU (goal 4,500, see COMPUTE.md).
    let route = rows.iter().find(|r| r.name == "route_fee (SOL, referrer, depth 2)").expect("route_fee measured");
    assert!(route.cu < 40_000, "route_fee: {} CU", route.cu);
}

// account sizes are what the state docs say; Member within the 200-byte goal.
#[test]
fn account_sizes() {
    assert_eq!(Member::SPACE, 200);
    const { assert!(Member::SPACE <= 200) };
    assert_eq!(Hub::SPACE, 456);
    assert_eq!(ReferralCode::SPACE, 117);
    assert_eq!(StakeReceipt::SPACE, 162);
    assert_eq!(Period::SPACE, 246);
    assert_eq!(RewardPool::SPACE, 198);
    assert_eq!(Registration::SPACE, 150);
    assert_eq!(RewardClaim::SPACE, 121);
    assert_eq!(StakingPool::SPACE, 381);
    assert_eq!(PoolPosition::SPACE, 218);
}
