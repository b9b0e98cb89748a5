// The TypeScript client's own rules, with exact integers (no node needed): the same cases as the program's
// logic tests (programs/referral/src/logic/{periods,milestones,rewards}.rs), links and codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as client from '../build/client.mjs';

const T = (iso) => Date.parse(iso) / 1000;
const monthly = { rules: { periodSeconds: 0, periodOrigin: 0n } };
const fixed = { rules: { periodSeconds: 3600, periodOrigin: 1000n } };

test('R-5.1: period index of calendar months and fixed periods, at their edges', () => {
  assert.equal(client.periodIndex(monthly, 0), 0);
  assert.equal(client.periodIndex(monthly, -5), 0);
  assert.equal(client.periodIndex(monthly, T('2024-02-29T23:59:59Z')), 54 * 12 + 1);
  assert.equal(client.periodIndex(monthly, T('2024-03-01T00:00:00Z')), 54 * 12 + 2);
  assert.equal(client.periodIndex(monthly, T('2026-11-23T12:00:00Z')), 682);
  assert.equal(client.periodIndex(monthly, T('2399-12-31T23:59:59Z')), 429 * 12 + 11);
  assert.equal(client.periodIndex(fixed, 999), 0);
  assert.equal(client.periodIndex(fixed, 1000), 0);
  assert.equal(client.periodIndex(fixed, 4599), 0);
  assert.equal(client.periodIndex(fixed, 4600), 1);
});

test('R-3.4: milestone benefits of the default schedule, steps capped by the next milestone', () => {
  const m = (count, multiplierBps, shareBps, stepMultiplierBps, stepShareBps) => ({ count, multiplierBps, shareBps, stepMultiplierBps, stepShareBps });
  const hub = { rules: { milestoneCount: 3, milestones: [m(1, 11000, 1000, 250, 50), m(10, 12500, 1500, 125, 25), m(50, 15000, 2500, 0, 0), m(0, 0, 0, 0, 0)] } };
  const b = (n) => {
    const { multiplierBps, shareBps } = client.milestoneBenefits(hub, n);
    return [multiplierBps, shareBps];
  };
  assert.deepEqual(b(0), [10000, 0]);
  assert.deepEqual(b(1), [11000, 1000]);
  assert.deepEqual(b(5), [12000, 1200]);
  assert.deepEqual(b(9), [12500, 1400]);
  assert.deepEqual(b(10), [12500, 1500]);
  assert.deepEqual(b(30), [15000, 2000]);
  assert.deepEqual(b(49), [15000, 2475]);
  assert.deepEqual(b(50), [15000, 2500]);
  assert.deepEqual(b(65535), [15000, 2500]);
});

test('R-5.3: tiers reached and the distance to the next', () => {
  const hub = { rules: { tierCount: 3, tierThresholds: [11000n, 65000n, 255000n, 0n] } };
  assert.deepEqual(client.tierOf(hub, 0n), { tier: null, next: { tier: 0, missing: 11000n } });
  assert.deepEqual(client.tierOf(hub, 10999n), { tier: null, next: { tier: 0, missing: 1n } });
  assert.deepEqual(client.tierOf(hub, 11000n), { tier: 0, next: { tier: 1, missing: 54000n } });
  assert.deepEqual(client.tierOf(hub, 255000n), { tier: 2, next: null });
  assert.equal(client.tierName(1, 3), 'Brand Ambassador');
  assert.equal(client.tierName(1, 2), 'Tier 2');
});

test('R-5.6: leaderboard order: points, then Member address; zero points left out', () => {
  const hub = { rules: { tierCount: 1, tierThresholds: [100n, 0n, 0n, 0n] } };
  const mem = (address, points, period = 7) => ({ address, data: { wallet: `w${address}`, period, referralPoints: points, prevPeriod: 6, prevReferralPoints: 0n } });
  const rows = client.leaderboard(hub, [mem('b', 50n), mem('c', 200n), mem('a', 50n), mem('d', 0n), mem('e', 999n, 6)], 7);
  assert.deepEqual(rows.map((r) => [r.rank, r.member, r.points, r.tier]), [[1, 'c', 200n, 0], [2, 'a', 50n, null], [3, 'b', 50n, null]]);
});

test('R-2.2: referral links and codes as the program normalises them', () => {
  assert.equal(client.pdas.normalizeCode('Alice-2024_X'), 'alice-2024_x');
  assert.throws(() => client.pdas.normalizeCode('ab'), /CodeLength/);
  assert.throws(() => client.pdas.normalizeCode('a'.repeat(33)), /CodeLength/);
  assert.throws(() => client.pdas.normalizeCode('héllo'), /CodeCharacter/);
  assert.deepEqual(client.parseRef('Bob-Code'), { kind: 'code', code: 'bob-code' });
  const wallet = 'FX99cs7nEKSWFNh5GgnppBD94mGKiMrfD9ghC9uuq6YS';
  assert.deepEqual(client.parseRef(wallet), { kind: 'address', wallet });
  assert.equal(client.referralLink('https://app.example/page?x=1#top', 'bob-code'), 'https://app.example/page?ref=bob-code');
});
