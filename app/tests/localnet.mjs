// The end-to-end tests' view of the running local node (scripts/localnet.sh start): its URL, hub, genesis
// wallets and NFTs, the `referral` CLI run against it over RPC, and transactions sent with the TS client.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { address, createKeyPairSignerFromBytes, createSolanaRpc } from '@solana/kit';
import * as client from '../build/client.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
for (const k of ['LOCALNET_URL', 'LOCALNET_DIR', 'LOCALNET_HUB', 'REFERRAL_BIN']) {
  if (!process.env[k]) throw new Error(`${k} is not set: run the end-to-end tests through scripts/e2e.sh`);
}
export const URL_ = process.env.LOCALNET_URL;
export const DIR = process.env.LOCALNET_DIR;
export const HUB = address(process.env.LOCALNET_HUB);
export const fixture = JSON.parse(readFileSync(join(DIR, 'fixture.json'), 'utf8'));
export const rpc = createSolanaRpc(URL_);
export { client };

export const walletFile = (name) => join(DIR, 'wallets', `${name}.json`);
export const secret = (name) => new Uint8Array(JSON.parse(readFileSync(walletFile(name), 'utf8')));
export const signer = (name) => createKeyPairSignerFromBytes(secret(name));

/** Runs `referral <args> --url <node> --keypair <wallet> --output json` (never a panic). */
function runCli(wallet, args) {
  const r = spawnSync(process.env.REFERRAL_BIN, [...args, '--url', URL_, '--keypair', walletFile(wallet), '--output', 'json'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.stderr.includes('panicked')) throw new Error(`referral ${args.join(' ')} panicked: ${r.stderr}`);
  return r;
}

/** Runs the CLI as `wallet`; returns its parsed JSON output. */
export function cli(wallet, ...args) {
  const r = runCli(wallet, args);
  if (r.status !== 0) throw new Error(`referral ${args.join(' ')} (as ${wallet}) exited ${r.status}: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout);
}

/** Like `cli` but expects a failure; returns its stderr. */
export function cliFails(wallet, ...args) {
  const r = runCli(wallet, args);
  if (r.status === 0) throw new Error(`referral ${args.join(' ')} succeeded but should have failed: ${r.stdout}`);
  return r.stderr;
}

export async function balance(addr) {
  return (await rpc.getBalance(address(addr), { commitment: 'confirmed' }).send()).value;
}

export async function member(wallet) {
  const m = await client.referral.fetchMaybeMember(rpc, await client.pdas.memberPda(HUB, address(wallet)));
  return m.exists ? m.data : null;
}

/** The demo marketplace of the hub's admin, created once (its reporter is in the hub's reporters). */
export async function ensureMarket() {
  const admin = await signer('admin');
  const market = await client.pdas.marketPda(admin.address);
  const existing = await client.market.fetchMaybeMarket(rpc, market);
  if (!existing.exists) {
    await client.send(rpc, admin, [
      client.market.getInitMarketInstruction({ admin, market, hub: HUB, treasury: admin.address }),
    ]);
  }
  return market;
}

/** `seller` lists the genesis NFT `mint` at `price` lamports. */
export async function list(market, mint, price) {
  const seller = await signer('seller');
  const listing = await client.pdas.listingPda(market, address(mint));
  await client.send(rpc, seller, [
    client.market.getListInstruction({
      seller,
      market,
      mint: address(mint),
      sellerToken: await client.pdas.ata(seller.address, address(mint)),
      listing,
      escrow: await client.pdas.listingEscrowPda(listing),
      price,
    }),
  ]);
}

/** `buyer` buys the listed `mint`: its token account is created, the fee routed by CPI. */
export async function buy(market, mint, buyerName) {
  const { getCreateAssociatedTokenIdempotentInstructionAsync } = await import('@solana-program/token');
  const buyer = await signer(buyerName);
  const ata = await getCreateAssociatedTokenIdempotentInstructionAsync({ payer: buyer, owner: buyer.address, mint: address(mint) });
  return client.send(rpc, buyer, [ata, await client.buyInstruction(rpc, market, address(mint), buyer)]);
}

/** What a referrer earns from a purchase at `price` on the demo marketplace (2% fee; the hub's share). */
export async function referrerShare(price) {
  const hub = await client.referral.fetchHub(rpc, HUB);
  const fee = (price * 200n) / 10_000n;
  return (fee * BigInt(hub.data.rules.referrerFeeBps)) / 10_000n;
}

/** The fee of a transaction with `signatures` signatures on this cluster (5,000 lamports each). */
export const txFee = (signatures = 1) => 5_000n * BigInt(signatures);
