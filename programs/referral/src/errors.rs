//! Every error the program returns by name. Codes are stable (Anchor numbers them from 6000 in order):
//! append new variants at the end, never reorder.
use anchor_lang::prelude::*;

#[error_code]
pub enum ReferralError {
    // --- configuration (R-1.2) ---
    #[msg("A basis-point share is above 10,000")]
    BpsAboveOneHundredPercent,
    #[msg("The referrer fee share is above the compiled-in cap of 5,000 bps")]
    ReferrerFeeAboveCap,
    #[msg("A multiplier is below 1.00x (10,000 bps) or above the 5.00x cap")]
    MultiplierOutOfRange,
    #[msg("Referral depth must be between 1 and 4")]
    InvalidDepth,
    #[msg("A per-level share is set for a level deeper than the hub's depth")]
    LevelShareBeyondDepth,
    #[msg("Milestone schedule holds more than 8 entries")]
    TooManyMilestones,
    #[msg("Milestone NFT counts must be strictly increasing and start above zero")]
    MilestonesNotIncreasing,
    #[msg("A milestone's values must not decrease from the previous milestone")]
    MilestoneValuesDecrease,
    #[msg("Milestones, a minimum stake to earn or a minimum stake time are set but the hub has no collection")]
    StakingWithoutCollection,
    #[msg("Ambassador tiers hold more than 4 entries")]
    TooManyTiers,
    #[msg("Ambassador tier thresholds must be strictly increasing and above zero")]
    TiersNotIncreasing,
    #[msg("Ambassador tier shares add up to more than 10,000 bps")]
    TierSharesAboveOneHundredPercent,
    #[msg("Fixed-length periods must be at least one hour long")]
    PeriodTooShort,
    #[msg("A fixed-length period schedule cannot start before 1970")]
    PeriodOriginNegative,
    #[msg("Too many authorised reporters (max 4)")]
    TooManyReporters,
    #[msg("An authorised reporter is listed twice or is the default key")]
    InvalidReporter,
    // --- hubs and members (R-1.1, R-2.x) ---
    #[msg("The hub account does not sit at the address derived from creator and hub id")]
    HubAddressMismatch,
    #[msg("A hub with this creator and id already exists")]
    HubAlreadyExists,
    #[msg("The member account does not sit at the address derived from hub and wallet")]
    MemberAddressMismatch,
    #[msg("This wallet is already a member of this hub")]
    AlreadyMember,
    #[msg("The hub is invite-only: join with a referral code or a referrer's address")]
    InviteOnly,
    #[msg("Sign-ups are paused on this hub")]
    SignupsPaused,
    #[msg("A member cannot refer itself")]
    SelfReferral,
    #[msg("This member already has a referrer; the relationship never changes")]
    ReferrerAlreadySet,
    #[msg("A member that already has referees cannot set a referrer")]
    HasReferees,
    #[msg("The referrer account is not a member of this hub")]
    ReferrerNotMember,
    #[msg("The upline accounts passed do not follow the referrer chain")]
    UplineMismatch,
    #[msg("Pass every upline member up to 4 levels (the referrer's referrer and above)")]
    UplineIncomplete,
    #[msg("Upline member accounts must be passed writable")]
    UplineNotWritable,
    #[msg("The referral would close a cycle")]
    ReferralCycle,
    #[msg("A code was given without its code account, or a code account without a code")]
    CodeAccountMissing,
    #[msg("The referrer's Member account is missing: pass it when joining with a code, and in a trade report (route_fee, route_fee_token, award_points) whenever the trader has a referrer")]
    ReferrerAccountMissing,
    #[msg("The code account does not hold this code for this hub")]
    CodeMismatch,
    #[msg("The code does not belong to the referrer account passed")]
    CodeOwnerMismatch,
    #[msg("Referral codes are 3 to 32 characters")]
    CodeLength,
    #[msg("Referral codes may hold only a-z, 0-9, '-' and '_' (uppercase is lowercased)")]
    CodeCharacter,
    #[msg("This referral code is already taken on this hub")]
    CodeTaken,
    #[msg("The code account does not sit at the address derived from hub and code")]
    CodeAddressMismatch,
    #[msg("Arithmetic overflow")]
    MathOverflow,
    #[msg("The signer is not the member's wallet")]
    NotMemberWallet,
    #[msg("The account belongs to another hub")]
    WrongHub,
    // --- NFT staking (R-3.x) ---
    #[msg("This hub has no NFT collection: staking is off")]
    StakingDisabled,
    #[msg("Staking is paused on this hub")]
    StakingPaused,
    #[msg("The mint is not an NFT (decimals must be 0 and supply 1)")]
    NotAnNft,
    #[msg("The metadata account is not the canonical Token Metadata account of this mint")]
    InvalidMetadataAccount,
    #[msg("The NFT is not in the hub's collection")]
    WrongCollection,
    #[msg("The NFT's collection is not verified")]
    CollectionNotVerified,
    #[msg("Programmable NFTs are not supported (they move only through Token Metadata)")]
    ProgrammableNftUnsupported,
    #[msg("The signer does not hold this NFT")]
    NotNftOwner,
    #[msg("This NFT is already staked")]
    AlreadyStaked,
    #[msg("Only the wallet that staked the NFT can unstake it")]
    NotStakeOwner,
    #[msg("The NFT's minimum stake time has not passed")]
    MinStakeTimeNotReached,
    #[msg("The token account does not match the receipt's mint or escrow")]
    WrongTokenAccount,
    // --- points and fees (R-4.x) ---
    #[msg("The signer is not an authorised reporter of this hub")]
    UnauthorizedReporter,
    #[msg("Fee routing is paused on this hub")]
    RoutingPaused,
    #[msg("The referrer account passed is not the trader's referrer")]
    ReferrerMismatch,
    #[msg("The fee vault is not the referrer's token account for this mint")]
    WrongFeeVault,
    #[msg("Nothing to claim")]
    NothingToClaim,
    #[msg("The destination is not a token account of the member's wallet for this mint")]
    WrongDestination,
    // --- administration (R-1.3, R-1.4) ---
    #[msg("Only the hub's admin may do this")]
    NotAdmin,
    #[msg("A configuration change is already pending: apply or cancel it first")]
    ConfigChangePending,
    #[msg("The pending configuration change is not effective yet")]
    ConfigNotYetEffective,
    #[msg("Only the proposed admin may accept the admin role")]
    NotPendingAdmin,
    #[msg("Unknown pause bits")]
    InvalidPauseBits,
    // --- added by the security review (issue 8); codes continue from here ---
    #[msg("The trader account is not the reported wallet's Member of this hub (an empty account must be that wallet's Member address)")]
    TraderMemberMismatch,
    #[msg("The NFT's mint authority could mint another token: it must be none or the NFT's master edition")]
    NftStillMintable,
    #[msg("The NFT's freeze authority must be none or the NFT's master edition")]
    NftFreezable,
    #[msg("The minimum stake time is above the compiled-in cap of 30 days")]
    MinStakeTimeAboveCap,
    #[msg("A configuration delay in seconds must be at least the compiled-in notice of 7 days")]
    ConfigDelayTooShort,
    #[msg("The fee vault is frozen by the mint's freeze authority: nothing can move until it is thawed")]
    VaultFrozen,
    #[msg("The destination token account is frozen")]
    DestinationFrozen,
    #[msg("The mint has a transfer hook: its tokens cannot move through the referral program")]
    TransferHookUnsupported,
    #[msg("The mint is non-transferable")]
    NonTransferableMint,
    #[msg("The mint is paused (Token-2022 pausable extension)")]
    MintPaused,
    // --- issue 9 ---
    #[msg("route_fee runs from the program's entrypoint: this build lacks the fast-entry feature (build with scripts/build-sbf.sh)")]
    RouteFeeNeedsProgramEntry,
    #[msg("route_fee returned no result (the program invoked is not the referral program?)")]
    RouteFeeReturnMissing,
    // --- issue 10 ---
    #[msg("The registration window must be at least one hour and at most the shortest period (28 days for calendar months)")]
    RegistrationWindowOutOfRange,
    #[msg("An explicit claim window must be at least one day (0 means one period)")]
    ClaimWindowTooShort,
    #[msg("The period schedule of a hub is fixed at creation: points, registrations and pools are indexed by it")]
    PeriodKindLocked,
    #[msg("This period's registration window has closed: it can no longer be opened or funded")]
    PeriodClosed,
    #[msg("The period has not ended yet: registration opens when it ends")]
    PeriodNotEnded,
    #[msg("The registration window of this period has closed")]
    RegistrationClosed,
    #[msg("The member reached no tier in this period (unranked members are not registered)")]
    NotRanked,
    #[msg("This member is already registered for this period")]
    AlreadyRegistered,
    #[msg("Rewards can be claimed only after the registration window closes")]
    ClaimsNotOpen,
    #[msg("This registration already claimed from this pool")]
    AlreadyClaimed,
    #[msg("The pool is not of this period, or the registration not of this pool's period")]
    WrongPeriod,
    #[msg("Retired in issue 16 (a period holds any number of pools); never returned, kept so later codes stay stable")]
    TooManyPools,
    #[msg("The pool's mint differs from the mint passed")]
    WrongPoolMint,
    #[msg("The claim window of this period has not closed yet")]
    ClaimWindowOpen,
    #[msg("Reward claims are paused by the hub admin (for at most 7 days from the pause)")]
    RewardClaimsPaused,
    #[msg("A claims pause cannot start again within 14 days of the last one")]
    ClaimsPauseCooldown,
    #[msg("A reward pool must be funded with more than zero")]
    ZeroFunding,
    #[msg("The registration is not the signer's")]
    NotRegistrationWallet,
    #[msg("The period index is not the one the accounts name")]
    PeriodMismatch,
    #[msg("This period is already open")]
    PeriodAlreadyOpen,
    #[msg("The period has not started yet: a period is opened from its start")]
    PeriodNotStarted,
    #[msg("The mint has a permanent delegate, who could take the pool: it cannot fund a reward pool")]
    PermanentDelegateMint,
    #[msg("The mint's new accounts start frozen: a pool vault of it could never pay out")]
    DefaultFrozenMint,
    #[msg("The funder's token account has its CPI guard on: turn it off to fund through the program")]
    FunderCpiGuard,
    #[msg("The pool vault is not the pool's associated token account for this mint")]
    WrongPoolVault,
    #[msg("A registration can be closed after the registration window once it claimed from every pool or every pool is closed")]
    PoolsStillOpen,
    #[msg("The account named as the pool's funder, or as the registration's payer, is another")]
    WrongRecipient,
    // --- issue 11 ---
    #[msg("A staking pool's schedule must end after it starts")]
    InvalidSchedule,
    #[msg("More withdrawn than staked in this pool")]
    WithdrawMoreThanStaked,
    #[msg("The amount must be more than zero")]
    ZeroAmount,
    #[msg("The pool's reward vault holds less than the rewards owed: the operator must fund the pool")]
    PoolUnderfunded,
    #[msg("The position is not of this pool, or not the signer's")]
    WrongPosition,
    #[msg("The referrer's position is missing, of another pool, or not the staker's referrer's")]
    WrongReferrerPosition,
    #[msg("The account is not the pool's vault or mint")]
    WrongPoolAccount,
    #[msg("A new rate's end cannot be in the past")]
    RateEndInThePast,
    // --- issue 16 ---
    #[msg("The schedule would promise more than the pool holds: emitted + rate x remaining time must not exceed what was funded")]
    EmissionExceedsFunding,
    #[msg("The amount is more than the pool holds beyond what it owes and what its schedule can still emit")]
    NoExcessFunding,
    #[msg("A configuration change is due: apply it first (apply_config, anyone may), then open the period")]
    ConfigChangeDue,
    #[msg("The trader is not a member: a report for it takes no referrer, referrer vault or upline accounts")]
    NonMemberTakesNoReferrer,
    #[msg("The referrer is owed a share in this mint: pass its fee vault (its Member's associated token account)")]
    ReferrerVaultMissing,
    #[msg("A second claim could still be made with this record's pool and registration: close it once the pool is closed or has returned its rest, or the registration is closed")]
    PoolNotClosed,
    #[msg("The pool is not the one this claim record names")]
    WrongPool,
    #[msg("The account is not the hub's pending configuration address")]
    WrongPendingAccount,
    #[msg("The pool's rest went back to its funder after the claim window: it takes no more claims")]
    PoolReturned,
    #[msg("Part of this claim is still owed: collect it first (collect_reward)")]
    RewardStillOwed,
    #[msg("The staking pool has no pending rate change")]
    NoPendingRateChange,
    #[msg("The pending rate change applies only after its notice (7 days from when it was set)")]
    RateChangeNotYetEffective,
    #[msg("The mint can be paused, or given a transfer hook, by its authority: staked principal could be held")]
    StakeMintCanBlockTransfers,
}
