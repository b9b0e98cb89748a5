// Every PDA of the two programs, from the seeds in the committed IDLs (src/generated/*/extras.ts).
// Nothing else in the app or the tests derives an address: mirrors crates/referral-client/src/pda.rs.
import { type Address, getAddressEncoder, getProgramDerivedAddress, getU32Encoder, getU64Encoder, getUtf8Encoder } from '@solana/kit';
import { REFERRAL_PROGRAM_ADDRESS } from '../generated/referral';
import { DEMO_MARKETPLACE_PROGRAM_ADDRESS } from '../generated/demo_marketplace';
import * as R from '../generated/referral/extras';
import * as M from '../generated/demo_marketplace/extras';

export const SYSTEM_PROGRAM = '11111111111111111111111111111111' as Address;
export const TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA' as Address;
export const TOKEN_2022_PROGRAM = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb' as Address;
export const ASSOCIATED_TOKEN_PROGRAM = 'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL' as Address;
export const TOKEN_METADATA_PROGRAM = 'metaqbxxUerdq28cj1RbAWkYQm3ybzjb6a8bt518x1s' as Address;

const addr = getAddressEncoder();
const u32 = getU32Encoder();
const u64 = getU64Encoder();

async function pda(programAddress: Address, seeds: (Uint8Array | string)[]): Promise<Address> {
  const [address] = await getProgramDerivedAddress({ programAddress, seeds });
  return address;
}
const a = (x: Address) => addr.encode(x) as Uint8Array;

/** A code as the program stores it: 3..=32 of a-z 0-9 - _, upper case lowered (logic/codes.rs). */
export function normalizeCode(code: string): string {
  if (code.length < R.MIN_CODE_LEN || code.length > R.MAX_CODE_LEN) {
    throw new Error(`CodeLength: a code has ${R.MIN_CODE_LEN} to ${R.MAX_CODE_LEN} characters`);
  }
  const lower = code.toLowerCase();
  for (const ch of lower) {
    if (!R.CODE_ALPHABET.includes(ch)) throw new Error(`CodeCharacter: "${ch}" is not allowed in a code (a-z 0-9 - _)`);
  }
  return lower;
}

export const hubPda = (creator: Address, hubId: bigint) => pda(REFERRAL_PROGRAM_ADDRESS, [R.HUB_SEED, a(creator), u64.encode(hubId) as Uint8Array]);
export const memberPda = (hub: Address, wallet: Address) => pda(REFERRAL_PROGRAM_ADDRESS, [R.MEMBER_SEED, a(hub), a(wallet)]);
export const codePda = (hub: Address, code: string) =>
  pda(REFERRAL_PROGRAM_ADDRESS, [R.CODE_SEED, a(hub), getUtf8Encoder().encode(normalizeCode(code)) as Uint8Array]);
export const stakeReceiptPda = (hub: Address, mint: Address) => pda(REFERRAL_PROGRAM_ADDRESS, [R.STAKE_SEED, a(hub), a(mint)]);
export const stakeEscrowPda = (receipt: Address) => pda(REFERRAL_PROGRAM_ADDRESS, [R.ESCROW_SEED, a(receipt)]);
export const pendingConfigPda = (hub: Address) => pda(REFERRAL_PROGRAM_ADDRESS, [R.PENDING_SEED, a(hub)]);
export const periodPda = (hub: Address, index: number) => pda(REFERRAL_PROGRAM_ADDRESS, [R.PERIOD_SEED, a(hub), u32.encode(index) as Uint8Array]);
export const rewardPoolPda = (period: Address, funder: Address, mint: Address) =>
  pda(REFERRAL_PROGRAM_ADDRESS, [R.POOL_SEED, a(period), a(funder), a(mint)]);
export const registrationPda = (period: Address, member: Address) => pda(REFERRAL_PROGRAM_ADDRESS, [R.REGISTRATION_SEED, a(period), a(member)]);
/** The record of a registration's claim from a period reward pool. */
export const rewardClaimPda = (pool: Address, registration: Address) => pda(REFERRAL_PROGRAM_ADDRESS, [R.REWARD_CLAIM_SEED, a(pool), a(registration)]);
export const stakingPoolPda = (hub: Address, poolId: number) => pda(REFERRAL_PROGRAM_ADDRESS, [R.STAKING_POOL_SEED, a(hub), u32.encode(poolId) as Uint8Array]);
export const stakeVaultPda = (pool: Address) => pda(REFERRAL_PROGRAM_ADDRESS, [R.STAKE_VAULT_SEED, a(pool)]);
export const rewardVaultPda = (pool: Address) => pda(REFERRAL_PROGRAM_ADDRESS, [R.REWARD_VAULT_SEED, a(pool)]);
export const positionPda = (pool: Address, member: Address) => pda(REFERRAL_PROGRAM_ADDRESS, [R.POSITION_SEED, a(pool), a(member)]);

/** Token Metadata's metadata and master edition of `mint` (checked by stake_nft). */
export const metadataPda = (mint: Address) => pda(TOKEN_METADATA_PROGRAM, [R.METADATA_SEED, a(TOKEN_METADATA_PROGRAM), a(mint)]);
export const masterEditionPda = (mint: Address) =>
  pda(TOKEN_METADATA_PROGRAM, [R.METADATA_SEED, a(TOKEN_METADATA_PROGRAM), a(mint), R.EDITION_SEED]);

/** The associated token account of `owner` for `mint` under `tokenProgram`. */
export const ata = (owner: Address, mint: Address, tokenProgram: Address = TOKEN_PROGRAM) =>
  pda(ASSOCIATED_TOKEN_PROGRAM, [a(owner), a(tokenProgram), a(mint)]);
/** A member's fee vault for `mint`: the Member account's associated token account. */
export const feeVault = (member: Address, mint: Address, tokenProgram: Address = TOKEN_PROGRAM) => ata(member, mint, tokenProgram);
/** A period reward pool's token vault: the pool's associated token account. */
export const poolVault = (pool: Address, mint: Address, tokenProgram: Address = TOKEN_PROGRAM) => ata(pool, mint, tokenProgram);

// The demo marketplace (the integration example).
export const marketPda = (admin: Address) => pda(DEMO_MARKETPLACE_PROGRAM_ADDRESS, [M.MARKET_SEED, a(admin)]);
export const reporterPda = (market: Address) => pda(DEMO_MARKETPLACE_PROGRAM_ADDRESS, [M.REPORTER_SEED, a(market)]);
export const listingPda = (market: Address, mint: Address) => pda(DEMO_MARKETPLACE_PROGRAM_ADDRESS, [M.LISTING_SEED, a(market), a(mint)]);
export const listingEscrowPda = (listing: Address) => pda(DEMO_MARKETPLACE_PROGRAM_ADDRESS, [M.ESCROW_SEED, a(listing)]);
