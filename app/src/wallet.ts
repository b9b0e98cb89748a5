// Wallet Standard, without the legacy wallet-adapter: discover wallets, connect one, and turn its account
// into a @solana/kit TransactionPartialSigner that signs through `solana:signTransaction`.
import { getWallets } from '@wallet-standard/app';
import type { Wallet, WalletAccount } from '@wallet-standard/base';
import { type Address, type SignatureDictionary, type Transaction, type TransactionPartialSigner, address, getTransactionDecoder, getTransactionEncoder } from '@solana/kit';

type ConnectFeature = { 'standard:connect': { connect(input?: { silent?: boolean }): Promise<{ accounts: readonly WalletAccount[] }> } };
type SignFeature = {
  'solana:signTransaction': {
    signTransaction(...inputs: { account: WalletAccount; transaction: Uint8Array; chain?: string }[]): Promise<{ signedTransaction: Uint8Array }[]>;
  };
};

/** Wallets that can connect and sign Solana transactions. */
export function solanaWallets(): Wallet[] {
  return getWallets()
    .get()
    .filter((w) => 'standard:connect' in w.features && 'solana:signTransaction' in w.features);
}

/** Calls `cb` whenever a wallet registers (wallets may register after the page loads). */
export function onWalletsChanged(cb: () => void): () => void {
  return getWallets().on('register', cb);
}

export type Connected = { wallet: Wallet; account: WalletAccount; signer: TransactionPartialSigner; address: Address };

export async function connect(wallet: Wallet, chain: string): Promise<Connected> {
  const { accounts } = await (wallet.features as unknown as ConnectFeature)['standard:connect'].connect();
  const account = accounts[0];
  if (!account) throw new Error(`${wallet.name} returned no account: unlock it and try again`);
  const signer: TransactionPartialSigner = {
    address: address(account.address),
    async signTransactions(transactions: readonly Transaction[]): Promise<readonly SignatureDictionary[]> {
      const enc = getTransactionEncoder();
      const dec = getTransactionDecoder();
      const feature = (wallet.features as unknown as SignFeature)['solana:signTransaction'];
      const outputs = await feature.signTransaction(
        ...transactions.map((t) => ({ account, transaction: enc.encode(t) as Uint8Array, chain })),
      );
      return outputs.map((o) => {
        const signed = dec.decode(o.signedTransaction);
        const sig = signed.signatures[account.address as Address];
        if (!sig) throw new Error(`${wallet.name} did not sign the transaction`);
        return Object.freeze({ [account.address]: sig }) as SignatureDictionary;
      });
    },
  };
  return { wallet, account, signer, address: address(account.address) };
}
