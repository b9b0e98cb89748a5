// The hand-written half of the TypeScript client: what an instruction needs beyond its IDL (the upline
// resolver, codes and links), reading a member's whole situation, the leaderboard, sending a transaction
// and explaining a program error. Account decoding and instruction encoding are codama's (src/generated).
// Mirrors crates/referral-client (ix::upline, leaderboard) so the CLI and the app compute the same figures.
import {
  type Address,
  type Decoder,
  type Instruction,
  type Rpc,
  type SolanaRpcApi,
  type TransactionSigner,
  AccountRole,
  address,
  appendTransactionMessageInstructions,
  createTransactionMessage,
  getBase58Decoder,
  getBase58Encoder,
  getBase64EncodedWireTransaction,
  getBase64Encoder,
  isSolanaError,
  SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
} from '@solana/kit';
import {
  type Hub,
  type Member,
  type ReferralCode,
  getMemberDecoder,
  getReferralCodeDecoder,
  fetchMaybeHub,
  fetchMaybeMember,
  fetchMaybeReferralCode,
  getClaimFeesInstruction,
  getClaimTokenFeesInstruction,
  getJoinInstruction,
  getMakeCodeInstruction,
  getMemberDiscriminatorBytes,
  getReferralCodeDiscriminatorBytes,
  REFERRAL_PROGRAM_ADDRESS,
} from '../generated/referral';
import { getBuyInstruction, fetchMarket, fetchListing } from '../generated/demo_marketplace';
import { MAX_DEPTH, MEMBER_OFFSETS, PROGRAM_ERRORS, REFERRAL_CODE_OFFSETS } from '../generated/referral/extras';
import { PROGRAM_ERRORS as MARKET_ERRORS } from '../generated/demo_marketplace/extras';
import * as pdas from './pdas';

export type SolanaRpc = Rpc<SolanaRpcApi>;
export const DEFAULT_PUBKEY = '11111111111111111111111111111111' as Address;

// ---------------------------------------------------------------------------------------------------
// Referral links

/** What a `?ref=` parameter names: a referrer's wallet address or one of its codes. */
export type Ref = { kind: 'address'; wallet: Address } | { kind: 'code'; code: string };

/** Parses a `?ref=` value: a base58 address of 32 bytes is a wallet, anything else a code. */
export function parseRef(value: string): Ref {
  const v = value.trim();
  try {
    if (getBase58Encoder().encode(v).length === 32) return { kind: 'address', wallet: address(v) };
  } catch {
    // not base58: a code
  }
  return { kind: 'code', code: pdas.normalizeCode(v) };
}

/** The referral link of `ref` on the page at `base` (e.g. `https://app.example/`). */
export function referralLink(base: string, ref: string): string {
  const url = new URL(base);
  url.search = '';
  url.hash = '';
  url.searchParams.set('ref', ref);
  return url.toString();
}

// ---------------------------------------------------------------------------------------------------
// The upline resolver: which extra accounts an instruction needs.

/** The Member accounts above `referrerMember` that an instruction must pass, up to `depth - 1` of them:
 * the referrer's referrer, that one's referrer, ... (crates/referral-client `ix::upline_to_depth`). */
export async function uplineOf(rpc: SolanaRpc, referrer: Member, depth: number): Promise<Address[]> {
  const out: Address[] = [];
  let next = referrer.referrer;
  while (next !== DEFAULT_PUBKEY && out.length < Math.max(0, depth - 1)) {
    out.push(next);
    const m = await fetchMaybeMember(rpc, next);
    if (!m.exists) break;
    next = m.data.referrer;
  }
  return out;
}

/** Appends `upline` as writable remaining accounts (the program credits them). */
export function withUpline<T extends Instruction>(ix: T, upline: Address[]): T {
  return { ...ix, accounts: [...(ix.accounts ?? []), ...upline.map((a) => ({ address: a, role: AccountRole.WRITABLE }))] };
}

/** The accounts a trade of `traderWallet` needs: its Member, its referrer's Member (if any) and the
 * referrer's upline to the hub's depth. */
export async function tradeAccounts(rpc: SolanaRpc, hub: Address, traderWallet: Address) {
  const hubAccount = await fetchMaybeHub(rpc, hub);
  if (!hubAccount.exists) throw new Error(`HubNotFound: no hub at ${hub}`);
  const trader = await pdas.memberPda(hub, traderWallet);
  const t = await fetchMaybeMember(rpc, trader);
  if (!t.exists || t.data.referrer === DEFAULT_PUBKEY) return { trader, referrer: undefined, upline: [] as Address[] };
  const r = await fetchMaybeMember(rpc, t.data.referrer);
  const upline = r.exists ? await uplineOf(rpc, r.data, hubAccount.data.rules.depth) : [];
  return { trader, referrer: t.data.referrer, upline };
}

// ---------------------------------------------------------------------------------------------------
// Instructions with their accounts resolved

/** `join` through `ref` (or none): resolves the code to its owner, the referrer's Member and its upline. */
export async function joinInstruction(rpc: SolanaRpc, hub: Address, wallet: TransactionSigner, ref?: Ref): Promise<Instruction> {
  const member = await pdas.memberPda(hub, wallet.address);
  if (!ref) {
    return getJoinInstruction({ wallet, payer: wallet, hub, member, code: null });
  }
  let referrerWallet: Address;
  let codeAccount: Address | undefined;
  let code: string | null = null;
  if (ref.kind === 'code') {
    codeAccount = await pdas.codePda(hub, ref.code);
    const c = await fetchMaybeReferralCode(rpc, codeAccount);
    if (!c.exists) throw new Error(`CodeNotFound: the code "${ref.code}" does not exist in this hub`);
    referrerWallet = c.data.owner;
    code = ref.code;
  } else {
    referrerWallet = ref.wallet;
  }
  if (referrerWallet === wallet.address) throw new Error('SelfReferral: a wallet cannot refer itself');
  const referrer = await pdas.memberPda(hub, referrerWallet);
  const r = await fetchMaybeMember(rpc, referrer);
  if (!r.exists) throw new Error(`ReferrerNotMember: ${referrerWallet} has not joined this hub`);
  const upline = await uplineOf(rpc, r.data, MAX_DEPTH);
  return withUpline(getJoinInstruction({ wallet, payer: wallet, hub, member, referrer, codeAccount, code }), upline);
}

export async function makeCodeInstruction(hub: Address, wallet: TransactionSigner, code: string): Promise<Instruction> {
  const normalized = pdas.normalizeCode(code);
  return getMakeCodeInstruction({
    wallet,
    payer: wallet,
    hub,
    member: await pdas.memberPda(hub, wallet.address),
    codeAccount: await pdas.codePda(hub, normalized),
    code: normalized,
  });
}

export async function claimFeesInstruction(hub: Address, wallet: TransactionSigner): Promise<Instruction> {
  return getClaimFeesInstruction({ wallet, member: await pdas.memberPda(hub, wallet.address) });
}

/** `claim_token_fees` of `mint` into the wallet's associated token account (which must exist). */
export async function claimTokenFeesInstruction(hub: Address, wallet: TransactionSigner, mint: Address, tokenProgram: Address): Promise<Instruction> {
  const member = await pdas.memberPda(hub, wallet.address);
  return getClaimTokenFeesInstruction({
    wallet,
    member,
    mint,
    vault: await pdas.feeVault(member, mint, tokenProgram),
    destination: await pdas.ata(wallet.address, mint, tokenProgram),
    tokenProgram,
  });
}

/** `buy` of `mint` listed on the demo marketplace `market`: the fee is routed through the referral
 * program by CPI, with the buyer's referrer and upline resolved here. */
export async function buyInstruction(rpc: SolanaRpc, market: Address, mint: Address, buyer: TransactionSigner): Promise<Instruction> {
  const m = await fetchMarket(rpc, market);
  const listing = await pdas.listingPda(market, mint);
  const l = await fetchListing(rpc, listing);
  const trade = await tradeAccounts(rpc, m.data.hub, buyer.address);
  const ix = getBuyInstruction({
    buyer,
    market,
    listing,
    escrow: await pdas.listingEscrowPda(listing),
    buyerToken: await pdas.ata(buyer.address, mint),
    seller: l.data.seller,
    treasury: m.data.treasury,
    mint,
    hub: m.data.hub,
    reporter: await pdas.reporterPda(market),
    buyerMember: trade.trader,
    referrer: trade.referrer,
  });
  return withUpline(ix, trade.upline);
}

// ---------------------------------------------------------------------------------------------------
// Periods, milestones, tiers (programs/referral/src/logic, same integers)

/** The period `now` (unix seconds) falls in (logic/periods.rs `period_index`). */
export function periodIndex(hub: Hub, now: number): number {
  const seconds = hub.rules.periodSeconds;
  if (seconds === 0) {
    if (now < 0) return 0;
    const d = new Date(now * 1000);
    return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
  }
  const origin = Number(hub.rules.periodOrigin);
  if (now < origin) return 0;
  return Math.floor((now - origin) / seconds);
}

/** Own multiplier and referee share for `n` staked NFTs (logic/milestones.rs `benefits`). */
export function milestoneBenefits(hub: Hub, n: number): { multiplierBps: number; shareBps: number; milestone: number } {
  const schedule = hub.rules.milestones.slice(0, hub.rules.milestoneCount);
  let i = -1;
  schedule.forEach((m, j) => {
    if (m.count <= n) i = j;
  });
  if (i < 0) return { multiplierBps: 10_000, shareBps: 0, milestone: 0 };
  const m = schedule[i];
  const next = schedule[i + 1];
  const extra = n - m.count;
  const grow = (base: number, step: number, cap?: number) => Math.min(base + extra * step, cap ?? Infinity);
  return {
    multiplierBps: Math.min(grow(m.multiplierBps, m.stepMultiplierBps, next?.multiplierBps), 50_000),
    shareBps: Math.min(grow(m.shareBps, m.stepShareBps, next?.shareBps), 10_000),
    milestone: i + 1,
  };
}

/** Default tier names of a three-tier hub, else "Tier n" (leaderboard.rs `tier_name`). */
export function tierName(index: number, count: number): string {
  const names = ['Campaign Representative', 'Brand Ambassador', 'Global Ambassador'];
  return count === names.length ? names[index] : `Tier ${index + 1}`;
}

/** Highest tier reached with `points` (0-based) and the next tier with the points still missing. */
export function tierOf(hub: Hub, points: bigint): { tier: number | null; next: { tier: number; missing: bigint } | null } {
  const thresholds = hub.rules.tierThresholds.slice(0, hub.rules.tierCount);
  let tier: number | null = null;
  thresholds.forEach((t, i) => {
    if (points >= t) tier = i;
  });
  const n = tier === null ? 0 : (tier as number) + 1;
  return { tier, next: n < thresholds.length ? { tier: n, missing: thresholds[n] - points } : null };
}

/** A member's referral points in period `index` (Member::referral_points_in). */
export function referralPointsIn(m: Member, index: number): bigint {
  if (m.period === index) return m.referralPoints;
  if (m.prevPeriod === index) return m.prevReferralPoints;
  return 0n;
}
export function ownPointsIn(m: Member, index: number): bigint {
  if (m.period === index) return m.ownPoints;
  if (m.prevPeriod === index) return m.prevOwnPoints;
  return 0n;
}

// ---------------------------------------------------------------------------------------------------
// Reading chain state

/** Every account of the referral program with `discriminator` whose 32 bytes at `offset` are `key`,
 * decoded with the generated `decoder`. */
async function programAccounts<T>(rpc: SolanaRpc, discriminator: Uint8Array, decoder: Decoder<T>, offset: number, key: Address) {
  const raw = await rpc
    .getProgramAccounts(REFERRAL_PROGRAM_ADDRESS, {
      encoding: 'base64',
      filters: [
        { memcmp: { offset: 0n, bytes: getBase58Decoder().decode(discriminator) as never, encoding: 'base58' } },
        { memcmp: { offset: BigInt(offset), bytes: key as never, encoding: 'base58' } },
      ],
    })
    .send();
  const b64 = getBase64Encoder();
  return (raw as unknown as { pubkey: Address; account: { data: [string, string] } }[]).map((r) => ({
    address: r.pubkey,
    data: decoder.decode(b64.encode(r.account.data[0])),
  }));
}

/** Every Member of `hub` (getProgramAccounts: discriminator + hub filters). */
export async function membersOf(rpc: SolanaRpc, hub: Address) {
  return programAccounts(rpc, getMemberDiscriminatorBytes() as Uint8Array, getMemberDecoder(), MEMBER_OFFSETS.hub, hub);
}

/** The codes owned by `wallet` in `hub`. */
export async function codesOf(rpc: SolanaRpc, hub: Address, wallet: Address): Promise<ReferralCode[]> {
  const raw = await programAccounts(rpc, getReferralCodeDiscriminatorBytes() as Uint8Array, getReferralCodeDecoder(), REFERRAL_CODE_OFFSETS.owner, wallet);
  return raw
    .map((r) => r.data)
    .filter((c) => c.hub === hub)
    .sort((a, b) => (a.code < b.code ? -1 : 1));
}

export type LeaderboardRow = { rank: number; member: Address; wallet: Address; points: bigint; tier: number | null; next: { tier: number; missing: bigint } | null };

/** The leaderboard of period `index` (crates/referral-client leaderboard.rs): members with referral
 * points in it, best first, ties by Member address. */
export function leaderboard(hub: Hub, members: { address: Address; data: Member }[], index: number): LeaderboardRow[] {
  return members
    .map((m) => ({ m, points: referralPointsIn(m.data, index) }))
    .filter((x) => x.points > 0n)
    .sort((a, b) => (a.points === b.points ? (a.m.address < b.m.address ? -1 : 1) : a.points > b.points ? -1 : 1))
    .map((x, i) => ({ rank: i + 1, member: x.m.address, wallet: x.m.data.wallet, points: x.points, ...tierOf(hub, x.points) }));
}

/** Token fee vaults of a member: its token accounts under both token programs, with a balance. */
export async function tokenClaimables(rpc: SolanaRpc, member: Address) {
  const out: { mint: Address; tokenProgram: Address; amount: bigint; vault: Address }[] = [];
  for (const programId of [pdas.TOKEN_PROGRAM, pdas.TOKEN_2022_PROGRAM]) {
    const r = await rpc.getTokenAccountsByOwner(member, { programId }, { encoding: 'jsonParsed' }).send();
    for (const acc of r.value as unknown as { pubkey: Address; account: { data: { parsed: { info: { mint: Address; tokenAmount: { amount: string } } } } } }[]) {
      const info = acc.account.data.parsed.info;
      out.push({ mint: info.mint, tokenProgram: programId, amount: BigInt(info.tokenAmount.amount), vault: acc.pubkey });
    }
  }
  return out;
}

/** Everything the member's page shows, read from the chain. */
export async function memberView(rpc: SolanaRpc, hubAddress: Address, wallet: Address, now: number) {
  const hubAccount = await fetchMaybeHub(rpc, hubAddress);
  if (!hubAccount.exists) throw new Error(`HubNotFound: no hub at ${hubAddress} on this cluster`);
  const hub = hubAccount.data;
  const memberAddress = await pdas.memberPda(hubAddress, wallet);
  // One read of the hub's members serves my own account, my referees and the leaderboard.
  const members = await membersOf(rpc, hubAddress);
  const index = periodIndex(hub, now);
  const mine = members.find((x) => x.address === memberAddress);
  if (!mine) return { hub, hubAddress, index, members, member: null };
  const me = mine.data;
  const referrer = members.find((x) => x.address === me.referrer) ?? null;
  // Referees by level: level 1 name me as referrer, level n+1 name a level-n referee.
  const levels: { address: Address; wallet: Address }[][] = [];
  let frontier = new Set<Address>([memberAddress]);
  for (let level = 0; level < MAX_DEPTH && frontier.size > 0; level++) {
    const next = members.filter((x) => frontier.has(x.data.referrer));
    if (next.length === 0) break;
    levels.push(next.map((x) => ({ address: x.address, wallet: x.data.wallet })));
    frontier = new Set(next.map((x) => x.address));
  }
  const points = referralPointsIn(me, index);
  return {
    hub,
    hubAddress,
    index,
    members,
    member: {
      address: memberAddress,
      data: me,
      referrerWallet: referrer?.data.wallet ?? null,
      codes: await codesOf(rpc, hubAddress, wallet),
      milestone: milestoneBenefits(hub, me.stakedCount),
      thisPeriod: { own: ownPointsIn(me, index), referral: points },
      lastPeriod: { own: ownPointsIn(me, index - 1), referral: referralPointsIn(me, index - 1) },
      tier: tierOf(hub, points),
      claimableLamports: me.claimableLamports,
      tokens: await tokenClaimables(rpc, memberAddress),
      levels,
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Sending, and program errors by name and in words

/** A program error with its name and words, from the IDLs. */
export class ProgramError extends Error {
  constructor(
    readonly errorName: string,
    readonly words: string,
    readonly code: number | null,
    readonly logs: string[],
  ) {
    super(`${errorName}: ${words}`);
  }
}

function collect(e: unknown, logs: string[], codes: number[], seen = new Set<unknown>()) {
  if (!e || typeof e !== 'object' || seen.has(e)) return;
  seen.add(e);
  const o = e as Record<string, unknown>;
  const ctx = o.context as Record<string, unknown> | undefined;
  if (ctx && Array.isArray(ctx.logs)) logs.push(...(ctx.logs as string[]));
  if (isSolanaError(e, SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM)) codes.push(Number(e.context.code));
  for (const k of Object.keys(o)) collect(o[k], logs, codes, seen);
  if ('cause' in o) collect(o.cause, logs, codes, seen);
}

/** Turns anything a send threw into a ProgramError when a program refused, else the error itself. */
export function explainError(e: unknown): Error {
  if (e instanceof ProgramError) return e;
  const logs: string[] = [];
  const codes: number[] = [];
  collect(e, logs, codes);
  const text = logs.join('\n');
  const anchor = /Error Code: (\w+)\. Error Number: (\d+)\. Error Message: (.*?)\.?$/m.exec(text);
  if (anchor) return new ProgramError(anchor[1], anchor[3], Number(anchor[2]), logs);
  const custom = /custom program error: 0x([0-9a-f]+)/i.exec(text + ' ' + String((e as Error)?.message ?? ''));
  const code = custom ? parseInt(custom[1], 16) : codes[0];
  if (code !== undefined) {
    const known = PROGRAM_ERRORS[code] ?? MARKET_ERRORS[code];
    if (known) return new ProgramError(known.name, known.msg, code, logs);
    return new ProgramError(`Custom(${code})`, 'a program refused the transaction', code, logs);
  }
  if (/insufficient|no record of a prior credit/i.test(text + String((e as Error)?.message))) {
    return new ProgramError('InsufficientFunds', 'the wallet has not enough SOL for this transaction', null, logs);
  }
  return e instanceof Error ? e : new Error(String(e));
}

/** Signs `instructions` with their signers (the fee payer first), sends, waits for confirmation.
 * Returns the signature; throws a ProgramError when a program refuses. */
export async function send(rpc: SolanaRpc, feePayer: TransactionSigner, instructions: Instruction[]): Promise<string> {
  try {
    const { value: blockhash } = await rpc.getLatestBlockhash({ commitment: 'confirmed' }).send();
    const message = pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayerSigner(feePayer, m),
      (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
      (m) => appendTransactionMessageInstructions(instructions, m),
    );
    const tx = await signTransactionMessageWithSigners(message);
    const wire = getBase64EncodedWireTransaction(tx);
    const signature = await rpc.sendTransaction(wire, { encoding: 'base64', preflightCommitment: 'confirmed' }).send();
    for (let i = 0; i < 120; i++) {
      const { value } = await rpc.getSignatureStatuses([signature]).send();
      const s = value[0];
      if (s && (s.confirmationStatus === 'confirmed' || s.confirmationStatus === 'finalized')) {
        if (s.err) {
          const t = await rpc.getTransaction(signature, { commitment: 'confirmed', maxSupportedTransactionVersion: 0, encoding: 'json' }).send();
          throw explainError({ context: { logs: t?.meta?.logMessages ?? [] }, err: s.err });
        }
        return signature;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`transaction ${signature} was not confirmed within 30 s: is the cluster producing blocks?`);
  } catch (e) {
    throw explainError(e);
  }
}

export { pdas };
