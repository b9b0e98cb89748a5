// A Wallet Standard wallet for the browser test, injected before the page loads (Playwright addInitScript).
// It implements standard:connect, standard:events, solana:signTransaction and solana:signAndSendTransaction
// and registers itself by the Wallet Standard's window-event protocol, as wallet extensions do. Signing
// happens with a real ed25519 keypair held by the test process (exposed as window.__e2eWalletSign), the way
// an extension keeps its keys out of the page.
(({ address, publicKey, chain, rpc }) => {
  const listeners = { change: new Set() };
  let connected = false;
  const account = Object.freeze({
    address,
    publicKey: new Uint8Array(publicKey),
    chains: [chain],
    features: ['solana:signTransaction', 'solana:signAndSendTransaction'],
    label: 'e2e',
  });
  const sign = async (tx) => new Uint8Array(await window.__e2eWalletSign(Array.from(tx)));
  const b64 = (bytes) => btoa(String.fromCharCode(...bytes));
  const wallet = {
    version: '1.0.0',
    name: 'E2E Test Wallet',
    icon: 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxIiBoZWlnaHQ9IjEiLz4=',
    chains: [chain],
    get accounts() {
      return connected ? [account] : [];
    },
    features: {
      'standard:connect': {
        version: '1.0.0',
        connect: async () => {
          connected = true;
          listeners.change.forEach((l) => l({ accounts: [account] }));
          return { accounts: [account] };
        },
      },
      'standard:disconnect': { version: '1.0.0', disconnect: async () => { connected = false; } },
      'standard:events': {
        version: '1.0.0',
        on: (event, listener) => {
          listeners[event]?.add(listener);
          return () => listeners[event]?.delete(listener);
        },
      },
      'solana:signTransaction': {
        version: '1.0.0',
        supportedTransactionVersions: ['legacy', 0],
        signTransaction: async (...inputs) => Promise.all(inputs.map(async (i) => ({ signedTransaction: await sign(i.transaction) }))),
      },
      'solana:signAndSendTransaction': {
        version: '1.0.0',
        supportedTransactionVersions: ['legacy', 0],
        signAndSendTransaction: async (...inputs) =>
          Promise.all(
            inputs.map(async (i) => {
              const signed = await sign(i.transaction);
              const r = await fetch(rpc, {
                method: 'POST',
                headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'sendTransaction', params: [b64(signed), { encoding: 'base64' }] }),
              }).then((x) => x.json());
              if (r.error) throw new Error(r.error.message);
              // The signature is the first 64 bytes after the compact signature count.
              return { signature: signed.slice(1, 65) };
            }),
          ),
      },
    },
  };
  const callback = ({ register }) => register(wallet);
  try {
    window.dispatchEvent(
      new (class extends Event {
        constructor() {
          super('wallet-standard:register-wallet', { bubbles: false, cancelable: false, composed: false });
        }
        get detail() {
          return callback;
        }
      })(),
    );
  } catch (e) {
    console.error('test wallet: could not dispatch the register event', e);
  }
  window.addEventListener('wallet-standard:app-ready', ({ detail: api }) => callback(api));
})
