// The member's page (SPEC R-7.5, issue 12): connect a Wallet Standard wallet, join through a referral link,
// see my link and codes, make a code, my milestone, points, tier, claimable fees (one-click claim), my
// referees by level and the period leaderboard. Every read and instruction goes through src/client.
import { type Address, address, createSolanaRpc } from '@solana/kit';
import type { Wallet } from '@wallet-standard/base';
import * as client from './client/referral';
import { type Connected, connect, onWalletsChanged, solanaWallets } from './wallet';
import './style.css';

type Config = { rpc: string; hub: string; chain: string };
type View = Awaited<ReturnType<typeof client.memberView>>;

const REF_KEY = 'referral.pendingRef';
const state: {
  config?: Config;
  rpc?: client.SolanaRpc;
  hub?: Address;
  conn?: Connected;
  view?: View;
  busy: string | null;
  error: { name: string; words: string } | null;
  notice: string | null;
  board: 'current' | 'previous';
} = { busy: null, error: null, notice: null, board: 'current' };

const $ = <T extends HTMLElement>(sel: string) => document.querySelector(sel) as T;
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const short = (a: string) => `${a.slice(0, 4)}…${a.slice(-4)}`;
const sol = (l: bigint) => `${(Number(l) / 1e9).toLocaleString('en-US', { maximumFractionDigits: 9 })} SOL`;
const bps = (b: number) => `${(b / 10_000).toFixed(b % 100 === 0 ? 2 : 4)}x`;
const pct = (b: number) => `${(b / 100).toFixed(2)}%`;
const num = (n: bigint | number) => n.toLocaleString('en-US');

async function loadConfig(): Promise<Config> {
  const params = new URLSearchParams(location.search);
  let file: Partial<Config> = {};
  try {
    const r = await fetch('config.json', { cache: 'no-store' });
    if (r.ok) file = await r.json();
  } catch {
    // no config.json: query parameters or defaults
  }
  return {
    rpc: params.get('rpc') ?? file.rpc ?? 'http://127.0.0.1:8899',
    hub: params.get('hub') ?? file.hub ?? '',
    chain: file.chain ?? 'solana:localnet',
  };
}

/** The `?ref=` of the address bar, remembered until a wallet connects and joins (or refuses). */
function pendingRef(): string | null {
  const fromUrl = new URLSearchParams(location.search).get('ref');
  if (fromUrl) localStorage.setItem(REF_KEY, fromUrl);
  return localStorage.getItem(REF_KEY);
}

async function refresh() {
  if (!state.rpc || !state.hub || !state.conn) return render();
  try {
    state.view = await client.memberView(state.rpc, state.hub, state.conn.address, Math.floor(Date.now() / 1000));
  } catch (e) {
    showError(e);
  }
  render();
}

function showError(e: unknown) {
  const err = client.explainError(e);
  if (err instanceof client.ProgramError) state.error = { name: err.errorName, words: err.words };
  else {
    const m = /^(\w+): (.*)$/s.exec(err.message);
    state.error = m ? { name: m[1], words: m[2] } : { name: 'Error', words: err.message };
  }
}

/** Runs a signed action: shows it as busy, reports a program error by name and words, then reloads. */
async function act(label: string, build: () => Promise<Parameters<typeof client.send>[2]>, done: string) {
  if (!state.rpc || !state.conn) return;
  state.busy = label;
  state.error = null;
  state.notice = null;
  render();
  try {
    const ixs = await build();
    const sig = await client.send(state.rpc, state.conn.signer, ixs);
    state.notice = `${done} (${short(sig)})`;
    return sig;
  } catch (e) {
    showError(e);
  } finally {
    state.busy = null;
    await refresh();
  }
}

async function onConnect(wallet: Wallet) {
  try {
    state.conn = await connect(wallet, state.config!.chain);
    state.error = null;
  } catch (e) {
    showError(e);
  }
  await refresh();
}

async function onJoin() {
  const raw = pendingRef();
  const ref = raw ? client.parseRef(raw) : undefined;
  const sig = await act('Joining', async () => [await client.joinInstruction(state.rpc!, state.hub!, state.conn!.signer, ref)], 'Joined the programme');
  if (sig) localStorage.removeItem(REF_KEY);
}

async function onMakeCode(e: Event) {
  e.preventDefault();
  const input = $<HTMLInputElement>('#code-input');
  const code = input.value;
  await act('Making the code', async () => [await client.makeCodeInstruction(state.hub!, state.conn!.signer, code)], `Code "${code.toLowerCase()}" created`);
}

async function onClaimSol() {
  await act('Claiming', async () => [await client.claimFeesInstruction(state.hub!, state.conn!.signer)], 'Fees claimed');
}

async function onClaimToken(mint: Address, tokenProgram: Address) {
  await act('Claiming', async () => [await client.claimTokenFeesInstruction(state.hub!, state.conn!.signer, mint, tokenProgram)], 'Token fees claimed');
}

function walletSection(): string {
  if (state.conn) {
    return `<div class="wallet">Connected: <b data-testid="wallet-address">${esc(state.conn.address)}</b> (${esc(state.conn.wallet.name)})</div>`;
  }
  const wallets = solanaWallets();
  if (wallets.length === 0) return `<div class="wallet">No Solana wallet found: install a Wallet Standard wallet, then reload.</div>`;
  return `<div class="wallet">${wallets
    .map((w, i) => `<button data-testid="connect" data-wallet="${i}">Connect ${esc(w.name)}</button>`)
    .join(' ')}</div>`;
}

function memberSections(v: View): string {
  const m = v.member!;
  const link = client.referralLink(location.href, state.conn!.address);
  const hub = v.hub;
  const codes = m.codes.length
    ? m.codes.map((c) => `<li><code data-testid="code">${esc(c.code)}</code> — <a href="${esc(client.referralLink(location.href, c.code))}">${esc(client.referralLink(location.href, c.code))}</a></li>`).join('')
    : '<li>No code yet.</li>';
  const staking = hub.rules.collection !== client.DEFAULT_PUBKEY;
  const tierLine =
    m.tier.tier === null
      ? 'Not ranked yet'
      : `${esc(client.tierName(m.tier.tier, hub.rules.tierCount))}`;
  const nextLine = m.tier.next
    ? `${num(m.tier.next.missing)} points to ${esc(client.tierName(m.tier.next.tier, hub.rules.tierCount))}`
    : 'Top tier reached';
  const tokens = m.tokens
    .map(
      (t) => `<tr><td>${esc(short(t.mint))}</td><td data-testid="claimable-token">${num(t.amount)}</td>
      <td><button data-claim-mint="${t.mint}" data-claim-program="${t.tokenProgram}" ${t.amount === 0n ? 'disabled' : ''}>Claim</button></td></tr>`,
    )
    .join('');
  const levels = m.levels.length
    ? m.levels
        .map((l, i) => `<li>Level ${i + 1}: <span data-testid="level-${i + 1}">${l.length}</span> — ${l.map((x) => esc(short(x.wallet))).join(', ')}</li>`)
        .join('')
    : '<li>Nobody yet: share your link.</li>';
  return `
  <section><h2>My referral link</h2>
    <p><input readonly data-testid="referral-link" value="${esc(link)}" size="70"> <button id="copy-link">Copy</button></p>
    <p>Referred by: <span data-testid="referrer">${m.referrerWallet ? esc(m.referrerWallet) : 'nobody'}</span></p>
    <h3>My codes</h3><ul>${codes}</ul>
    <form id="make-code"><input id="code-input" data-testid="code-input" placeholder="3-32 of a-z 0-9 - _" required>
    <button data-testid="make-code" ${state.busy ? 'disabled' : ''}>Make a code</button></form>
  </section>
  <section><h2>My milestone</h2>
    ${
      staking
        ? `<p>Staked NFTs: <b data-testid="staked">${m.data.stakedCount}</b> · milestone ${m.milestone.milestone} ·
           points multiplier <b data-testid="multiplier">${bps(m.milestone.multiplierBps)}</b> ·
           share of referee points <b data-testid="share">${pct(m.milestone.shareBps)}</b></p>`
        : '<p>This hub has no NFT collection: no milestones.</p>'
    }
  </section>
  <section><h2>My points</h2>
    <table><tr><th></th><th>own</th><th>referral</th></tr>
    <tr><td>This period (${v.index})</td><td data-testid="own-points">${num(m.thisPeriod.own)}</td><td data-testid="referral-points">${num(m.thisPeriod.referral)}</td></tr>
    <tr><td>Last period (${v.index - 1})</td><td>${num(m.lastPeriod.own)}</td><td>${num(m.lastPeriod.referral)}</td></tr></table>
    <p>Tier: <b data-testid="tier">${tierLine}</b> · <span data-testid="next-tier">${nextLine}</span></p>
  </section>
  <section><h2>Claimable fees</h2>
    <table><tr><th>asset</th><th>claimable</th><th></th></tr>
    <tr><td>SOL</td><td data-testid="claimable-sol">${sol(m.claimableLamports)}</td>
      <td><button data-testid="claim-sol" id="claim-sol" ${m.claimableLamports === 0n || state.busy ? 'disabled' : ''}>Claim</button></td></tr>
    ${tokens}</table>
    <p>Lifetime SOL fees: ${sol(m.data.lifetimeFeeLamports)}</p>
  </section>
  <section><h2>My referees</h2><ul>${levels}</ul></section>`;
}

function leaderboardSection(v: View): string {
  const index = state.board === 'current' ? v.index : v.index - 1;
  const rows = client.leaderboard(v.hub, v.members, index);
  const me = state.conn?.address;
  const body = rows.length
    ? rows
        .map(
          (r) => `<tr class="${r.wallet === me ? 'me' : ''}"><td>${r.rank}</td><td>${esc(short(r.wallet))}</td><td>${num(r.points)}</td>
          <td>${r.tier === null ? '—' : esc(client.tierName(r.tier, v.hub.rules.tierCount))}</td>
          <td>${r.next ? `${num(r.next.missing)} to ${esc(client.tierName(r.next.tier, v.hub.rules.tierCount))}` : 'top'}</td></tr>`,
        )
        .join('')
    : '<tr><td colspan="5">No referral points in this period yet.</td></tr>';
  return `<section><h2>Leaderboard — period ${index}</h2>
    <p><button id="board-current" ${state.board === 'current' ? 'disabled' : ''}>This period</button>
       <button id="board-previous" ${state.board === 'previous' ? 'disabled' : ''}>Last period</button></p>
    <table data-testid="leaderboard"><tr><th>#</th><th>wallet</th><th>referral points</th><th>tier</th><th>next</th></tr>${body}</table></section>`;
}

function render() {
  const v = state.view;
  const ref = pendingRef();
  let main = '';
  if (!state.hub) main = '<p class="error">No hub configured: set "hub" in config.json or add ?hub=&lt;address&gt;.</p>';
  else if (!state.conn) main = `<p>Connect a wallet to see your referral programme.${ref ? ` You were invited with <b data-testid="pending-ref">${esc(ref)}</b>: it is kept until you join.` : ''}</p>`;
  else if (!v) main = '<p>Loading…</p>';
  else if (!v.member)
    main = `<section><h2>Join</h2><p>${ref ? `Invited with <b data-testid="pending-ref">${esc(ref)}</b>.` : 'No referral link used: you join without a referrer.'}</p>
      <button data-testid="join" id="join" ${state.busy ? 'disabled' : ''}>Join the programme</button></section>`;
  else main = memberSections(v);
  $('#app').innerHTML = `
    <header><h1>Referral programme</h1>
      <div class="meta">hub <code data-testid="hub">${esc(state.hub ?? '—')}</code> · node ${esc(state.config?.rpc ?? '')}</div>
      ${walletSection()}</header>
    ${state.busy ? `<div class="busy" data-testid="busy">${esc(state.busy)}… approve in your wallet</div>` : ''}
    ${state.error ? `<div class="error" data-testid="error"><b data-testid="error-name">${esc(state.error.name)}</b>: ${esc(state.error.words)}</div>` : ''}
    ${state.notice ? `<div class="notice" data-testid="notice">${esc(state.notice)}</div>` : ''}
    ${main}
    ${v && state.conn ? leaderboardSection(v) : ''}`;
  document.querySelectorAll<HTMLButtonElement>('[data-wallet]').forEach((b) =>
    b.addEventListener('click', () => onConnect(solanaWallets()[Number(b.dataset.wallet)])),
  );
  $('#join')?.addEventListener('click', onJoin);
  $('#make-code')?.addEventListener('submit', onMakeCode);
  $('#claim-sol')?.addEventListener('click', onClaimSol);
  document.querySelectorAll<HTMLButtonElement>('[data-claim-mint]').forEach((b) =>
    b.addEventListener('click', () => onClaimToken(address(b.dataset.claimMint!), address(b.dataset.claimProgram!))),
  );
  $('#copy-link')?.addEventListener('click', () => navigator.clipboard?.writeText($<HTMLInputElement>('[data-testid=referral-link]').value));
  $('#board-current')?.addEventListener('click', () => ((state.board = 'current'), render()));
  $('#board-previous')?.addEventListener('click', () => ((state.board = 'previous'), render()));
}

async function main() {
  state.config = await loadConfig();
  state.rpc = createSolanaRpc(state.config.rpc);
  try {
    state.hub = state.config.hub ? address(state.config.hub) : undefined;
  } catch {
    state.error = { name: 'InvalidHub', words: `"${state.config.hub}" is not an address` };
  }
  pendingRef();
  onWalletsChanged(render);
  render();
  // Balances move when others trade: reload the member's figures every few seconds.
  setInterval(() => {
    if (state.conn && !state.busy) refresh();
  }, 4000);
  (window as unknown as { referralRefresh: () => Promise<void> }).referralRefresh = refresh;
}

main();
