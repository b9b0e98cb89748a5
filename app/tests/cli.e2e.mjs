// The CLI over JSON-RPC against a real local validator with the deployed programs (issue 12): join,
// make-code, stake, claim and leaderboard, each checked on chain through the TS client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { address } from '@solana/kit';
import { HUB, fixture, client, cli, cliFails, balance, member, ensureMarket, list, buy, referrerShare, txFee } from './localnet.mjs';

const W = fixture.wallets;

test('R-7.4 R-7.6: the CLI runs join / make-code / stake / claim / leaderboard against the node over RPC', async () => {
  // alice joins without a referrer, R-2.2 makes a code (upper case is lowered).
  cli('alice', 'join', '--hub', HUB);
  assert.equal((await member(W.alice)).referrer, '11111111111111111111111111111111');
  cli('alice', 'make-code', '--hub', HUB, 'Alice-1');
  // bob joins through alice's code; the member's referrer is alice's Member account.
  cli('bob', 'join', '--hub', HUB, '--code', 'alice-1');
  const bob = await member(W.bob);
  const alice = cli('alice', 'show-member', '--hub', HUB);
  assert.equal(bob.referrer, alice.member);
  assert.equal(alice.wallet, W.alice);
  // the TypeScript client's PDAs are the Rust client's (hub from the deploy, member from the CLI,
  // marketplace PDAs from localnet_fixtures).
  assert.equal(await client.pdas.hubPda(address(W.admin), 1n), HUB);
  assert.equal(await client.pdas.memberPda(HUB, address(W.alice)), alice.member);
  assert.equal(await client.pdas.marketPda(address(W.admin)), fixture.market);
  assert.equal(await client.pdas.reporterPda(address(fixture.market)), fixture.reporter);
  assert.equal((await member(W.alice)).refereeCounts[0], 1);
  // A named error, no panic, nothing changed: bob cannot join twice.
  const err = cliFails('bob', 'join', '--hub', HUB, '--code', 'alice-1');
  assert.match(err, /AlreadyMember|already/i);
  // bob stakes a genesis NFT of the hub's collection; its milestone follows.
  cli('bob', 'stake', '--hub', HUB, '--mint', fixture.nfts.bob[0]);
  assert.equal((await member(W.bob)).stakedCount, 1);
  const shown = cli('bob', 'show-member', '--hub', HUB);
  assert.equal(shown.nfts_staked, 1);
  assert.equal(shown.referrer_member, alice.member);

  // carol joins through bob's address and buys on the demo marketplace: 5% of the fee goes to bob.
  cli('carol', 'join', '--hub', HUB, '--referrer', W.bob);
  const market = await ensureMarket();
  const price = 1_000_000_000n;
  await list(market, fixture.nfts.seller[0], price);
  await buy(market, fixture.nfts.seller[0], 'carol');
  const share = await referrerShare(price);
  assert.ok(share > 0n);
  assert.equal((await member(W.bob)).claimableLamports, share);

  // bob claims with the CLI: exactly the share arrives, less the transaction fee.
  const before = await balance(W.bob);
  cli('bob', 'claim', '--hub', HUB);
  assert.equal(await balance(W.bob), before + share - txFee());
  assert.equal((await member(W.bob)).claimableLamports, 0n);

  // the leaderboard over RPC: best first, bob (carol's referrer) on it with his points on chain.
  const rows = cli('alice', 'leaderboard', '--hub', HUB).rows;
  const bobRow = rows.find((r) => r.wallet === W.bob);
  assert.ok(bobRow, `bob is on the leaderboard: ${JSON.stringify(rows)}`);
  assert.equal(BigInt(bobRow.referral_points), (await member(W.bob)).referralPoints);
  assert.ok(BigInt(bobRow.referral_points) > 0n);
  rows.forEach((r, i) => {
    assert.equal(r.rank, i + 1);
    if (i > 0) assert.ok(BigInt(rows[i - 1].referral_points) >= BigInt(r.referral_points));
  });
});
