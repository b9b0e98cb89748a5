// The member's page in a real headless Chromium (Debian's, driven by playwright-core) against the local
// node with the deployed programs (issue 12): a Wallet Standard test wallet signing with a real keypair joins
// through a referral link, makes a code, sees a routed fee arrive, claims it; balances checked on chain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, extname } from 'node:path';
import { chromium } from 'playwright-core';
import { createKeyPairFromBytes, getTransactionDecoder, getTransactionEncoder, signBytes, getAddressEncoder, address } from '@solana/kit';
import { ROOT, HUB, URL_, fixture, cli, balance, member, ensureMarket, list, buy, referrerShare, txFee, secret, client, rpc } from './localnet.mjs';

const W = fixture.wallets;
const DIST = join(ROOT, 'app', 'dist');
export const SHOTS = process.env.E2E_SCREENSHOTS ?? join(ROOT, 'app', 'test-results');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.map': 'application/json' };

/** dist/ as a static host serves it, with the local node's config.json. */
function serve() {
  const config = JSON.stringify({ rpc: URL_, hub: HUB, chain: 'solana:localnet' });
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path.endsWith('/config.json')) return res.writeHead(200, { 'Content-Type': 'application/json' }).end(config);
    const file = join(DIST, path === '/' ? 'index.html' : path);
    if (!file.startsWith(DIST) || !existsSync(file)) return res.writeHead(404).end('not found');
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('R-7.5: join through a link, make a code, see a routed fee arrive and claim it, in Chromium', async () => {
  assert.ok(existsSync(join(DIST, 'index.html')), 'app/dist is built (npm run build)');
  mkdirSync(SHOTS, { recursive: true });
  // dave, a member with a code, invites the browser wallet.
  if (!(await member(W.dave))) {
    cli('dave', 'join', '--hub', HUB);
    cli('dave', 'make-code', '--hub', HUB, 'dave-code');
  }
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // The wallet's key stays in this process: the page asks it to sign transaction bytes.
    const keys = await createKeyPairFromBytes(secret('browser'));
    const me = address(W.browser);
    let signed = 0;
    await page.exposeFunction('__e2eWalletSign', async (bytes) => {
      const tx = getTransactionDecoder().decode(new Uint8Array(bytes));
      assert.ok(me in tx.signatures, 'the wallet is asked to sign only transactions that name it as a signer');
      const signature = await signBytes(keys.privateKey, tx.messageBytes);
      signed++;
      return Array.from(getTransactionEncoder().encode({ ...tx, signatures: { ...tx.signatures, [me]: signature } }));
    });
    const wallet = readFileSync(join(ROOT, 'app', 'tests', 'test-wallet.js'), 'utf8');
    const publicKey = Array.from(getAddressEncoder().encode(me));
    await page.addInitScript(`(${wallet})(${JSON.stringify({ address: W.browser, publicKey, chain: 'solana:localnet', rpc: URL_ })})`);

    // 1. A referral link: the code is remembered until the wallet connects.
    await page.goto(`${base}?ref=dave-code`);
    await page.getByTestId('pending-ref').waitFor();
    assert.equal(await page.getByTestId('pending-ref').textContent(), 'dave-code');
    await page.screenshot({ path: join(SHOTS, '01-invited.png'), fullPage: true });
    await page.reload(); // still remembered after a reload, and the URL may lose ?ref
    await page.goto(base);
    assert.equal(await page.getByTestId('pending-ref').textContent(), 'dave-code');

    // 2. Connect (Wallet Standard) and join through dave's code.
    await page.getByTestId('connect').click();
    await page.getByTestId('join').click();
    await page.getByTestId('referral-link').waitFor({ timeout: 30_000 });
    const mine = await member(W.browser);
    assert.ok(mine, 'the Member account exists on chain');
    assert.equal(mine.referrer, await client.pdas.memberPda(HUB, address(W.dave)));
    assert.equal(await page.getByTestId('referrer').textContent(), W.dave);
    const link = await page.getByTestId('referral-link').inputValue();
    assert.equal(new URL(link).searchParams.get('ref'), W.browser, 'my link carries my address');
    assert.equal(await page.getByTestId('staked').textContent(), '0');
    await page.screenshot({ path: join(SHOTS, '02-joined.png'), fullPage: true });

    // The wallet stakes its NFT (CLI, same key): the page shows milestone 1 of the local hub (R-3.4:
    // 1.10x own points, 10% of referee points).
    cli('browser', 'stake', '--hub', HUB, '--mint', fixture.nfts.browser[0]);
    await page.getByTestId('staked').filter({ hasText: '1' }).waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('multiplier').textContent(), '1.10x');
    assert.equal(await page.getByTestId('share').textContent(), '10.00%');

    // 3. A program error is shown by name and in words, and changes nothing: dave's code is taken.
    await page.getByTestId('code-input').fill('dave-code');
    await page.getByTestId('make-code').click();
    await page.getByTestId('error-name').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('error-name').textContent(), 'CodeTaken');
    assert.match(await page.getByTestId('error').textContent(), /CodeTaken: .+/);
    await page.screenshot({ path: join(SHOTS, '03-error-by-name.png'), fullPage: true });

    // 4. Make a code: listed on the page and owned by the wallet on chain.
    await page.getByTestId('code-input').fill('Browser-Code');
    await page.getByTestId('make-code').click();
    await page.getByText('Code "browser-code" created').waitFor({ timeout: 30_000 });
    assert.deepEqual(await page.getByTestId('code').allTextContents(), ['browser-code']);
    const code = await client.referral.fetchReferralCode(rpc, await client.pdas.codePda(HUB, 'browser-code'));
    assert.equal(code.data.owner, W.browser);

    // 5. erin joins through the browser wallet's code and buys on the demo marketplace: the routed fee
    //    arrives on the page by itself.
    cli('erin', 'join', '--hub', HUB, '--code', 'browser-code');
    const market = await ensureMarket();
    const price = 2_500_000_000n;
    await list(market, fixture.nfts.seller[1], price);
    await buy(market, fixture.nfts.seller[1], 'erin');
    const share = await referrerShare(price);
    assert.equal((await member(W.browser)).claimableLamports, share);
    const shown = `${(Number(share) / 1e9).toLocaleString('en-US', { maximumFractionDigits: 9 })} SOL`;
    await page.getByTestId('claimable-sol').filter({ hasText: shown }).waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('level-1').textContent(), '1');
    // the page's leaderboard is the CLI's, and my points and tier are the chain's.
    const mine2 = await member(W.browser);
    assert.ok(mine2.referralPoints > 0n);
    assert.equal(await page.getByTestId('referral-points').textContent(), mine2.referralPoints.toLocaleString('en-US'));
    const cliBoard = cli('alice', 'leaderboard', '--hub', HUB).rows;
    const pageRows = await page.locator('[data-testid=leaderboard] tr').allTextContents();
    assert.equal(pageRows.length - 1, cliBoard.length);
    cliBoard.forEach((r, i) => {
      assert.ok(pageRows[i + 1].startsWith(`${r.rank}${r.wallet.slice(0, 4)}…${r.wallet.slice(-4)}${BigInt(r.referral_points).toLocaleString('en-US')}`), `row ${i}: ${pageRows[i + 1]} vs ${JSON.stringify(r)}`);
    });
    assert.ok(cliBoard.some((r) => r.wallet === W.browser), 'the wallet is on the leaderboard');
    await page.screenshot({ path: join(SHOTS, '04-fee-arrived.png'), fullPage: true });

    // 6. One-click claim: exactly the share arrives in the wallet, less the transaction fee.
    const before = await balance(W.browser);
    await page.getByTestId('claim-sol').click();
    await page.getByText('Fees claimed').waitFor({ timeout: 30_000 });
    assert.equal(await balance(W.browser), before + share - txFee());
    assert.equal((await member(W.browser)).claimableLamports, 0n);
    assert.equal(await page.getByTestId('claimable-sol').textContent(), '0 SOL');
    await page.screenshot({ path: join(SHOTS, '05-claimed.png'), fullPage: true });

    assert.equal(signed, 4, 'signed: join, the refused make-code, make-code, claim');
    assert.deepEqual(pageErrors, []);
  } finally {
    await browser.close();
    server.close();
  }
});
