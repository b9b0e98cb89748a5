//! Mints, token accounts, NFTs with Token Metadata accounts (written directly: the Metaplex program is
//! not loaded, SPEC ), Token-2022 mints with a transfer fee.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::program_pack::Pack;
use anchor_spl::associated_token::spl_associated_token_account::instruction as ata_ix;
use anchor_spl::metadata::mpl_token_metadata::accounts::Metadata;
use anchor_spl::metadata::mpl_token_metadata::types::{Collection, Key, TokenStandard};
use anchor_spl::token::spl_token;
use anchor_spl::token_2022::spl_token_2022;
use anchor_spl::token_interface::{Mint, TokenAccount};
use solana_account::Account;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::Fixture;

/// SPL Token program id.
pub const TOKEN: Pubkey = anchor_spl::token::ID;
/// Token-2022 program id.
pub const TOKEN_2022: Pubkey = anchor_spl::token_2022::ID;
/// Size Metaplex allocates for a metadata account.
pub const METADATA_LEN: usize = 679;

/// Who holds a test NFT's mint or freeze authority.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Authority {
    /// The NFT's master edition PDA, as Metaplex sets it (the default).
    Edition,
    /// The key that created the mint (it could still mint or freeze).
    Creator,
    /// Nobody.
    Nobody,
}

/// How a test NFT's mint and metadata look.
#[derive(Clone, Debug)]
pub struct NftSpec {
    /// Collection key written in the metadata (`None`: no collection).
    pub collection: Option<Pubkey>,
    /// Whether the collection is verified.
    pub verified: bool,
    /// Token standard in the metadata.
    pub standard: Option<TokenStandard>,
    /// The mint's mint authority after the one token is minted.
    pub mint_authority: Authority,
    /// The mint's freeze authority.
    pub freeze_authority: Authority,
}

impl NftSpec {
    /// A verified member of `collection`, standard NonFungible, authorities with its master edition.
    pub fn of(collection: Pubkey) -> NftSpec {
        NftSpec {
            collection: Some(collection),
            verified: true,
            standard: Some(TokenStandard::NonFungible),
            mint_authority: Authority::Edition,
            freeze_authority: Authority::Edition,
        }
    }
}

impl Fixture {
    fn ok(&mut self, what: &str, r: Result<crate::Sent, crate::Failed>) {
        if let Err(f) = r {
            panic!("{what} failed: {:?}\n{}", f.error, f.logs.join("\n"));
        }
    }

    /// A new mint of `token_program` with `authority` as mint authority.
    pub async fn mint(&mut self, authority: &Keypair, decimals: u8, token_program: Pubkey) -> Pubkey {
        self.mint_at(&Keypair::new(), authority, decimals, token_program).await
    }

    /// A new mint at the address of `mint` (fixed keys make CU measurements repeatable).
    pub async fn mint_at(
        &mut self,
        mint: &Keypair,
        authority: &Keypair,
        decimals: u8,
        token_program: Pubkey,
    ) -> Pubkey {
        let len = if token_program == TOKEN { spl_token::state::Mint::LEN } else { spl_token_2022::state::Mint::LEN };
        self.create_mint(mint, authority, decimals, token_program, len, vec![], None).await
    }

    /// A new SPL Token mint whose freeze authority is `authority` too.
    pub async fn freezable_mint(&mut self, authority: &Keypair, decimals: u8) -> Pubkey {
        self.freezable_mint_at(&Keypair::new(), authority, decimals).await
    }

    /// [`Fixture::freezable_mint`] at the address of `mint` (fixed keys for the compute report).
    pub async fn freezable_mint_at(&mut self, mint: &Keypair, authority: &Keypair, decimals: u8) -> Pubkey {
        let freeze = Some(authority.pubkey());
        self.create_mint(mint, authority, decimals, TOKEN, spl_token::state::Mint::LEN, vec![], freeze).await
    }

    /// A Token-2022 mint with the extensions `types`, initialised by `inits` (each built for the mint's
    /// address, given), `authority` as mint authority and `freeze` as freeze authority.
    pub async fn mint_2022(
        &mut self,
        authority: &Keypair,
        decimals: u8,
        types: &[spl_token_2022::extension::ExtensionType],
        inits: impl FnOnce(&Pubkey) -> Vec<Instruction>,
        freeze: Option<Pubkey>,
    ) -> Pubkey {
        let mint = Keypair::new();
        let len =
            spl_token_2022::extension::ExtensionType::try_calculate_account_len::<spl_token_2022::state::Mint>(types)
                .expect("mint length");
        let ixs = inits(&mint.pubkey());
        self.create_mint(&mint, authority, decimals, TOKEN_2022, len, ixs, freeze).await
    }

    /// A Token-2022 mint with the transfer-fee extension (`fee_bps`, capped at `max_fee`).
    pub async fn mint_with_transfer_fee(
        &mut self,
        authority: &Keypair,
        decimals: u8,
        fee_bps: u16,
        max_fee: u64,
    ) -> Pubkey {
        use spl_token_2022::extension::{transfer_fee, ExtensionType};
        let auth = authority.pubkey();
        let init = move |mint: &Pubkey| {
            vec![transfer_fee::instruction::initialize_transfer_fee_config(
                &TOKEN_2022,
                mint,
                Some(&auth),
                Some(&auth),
                fee_bps,
                max_fee,
            )
            .expect("transfer fee config")]
        };
        self.mint_2022(authority, decimals, &[ExtensionType::TransferFeeConfig], init, None).await
    }

    /// Creates the mint account (`len` bytes, owned by `token_program`), runs `extensions` (extension
    /// initialisers, which must come before the mint's), then `initialize_mint2` with `freeze` as freeze
    /// authority.
    #[allow(clippy::too_many_arguments)]
    async fn create_mint(
        &mut self,
        mint: &Keypair,
        authority: &Keypair,
        decimals: u8,
        token_program: Pubkey,
        len: usize,
        extensions: Vec<Instruction>,
        freeze: Option<Pubkey>,
    ) -> Pubkey {
        let payer = self.payer();
        let (auth, key) = (authority.pubkey(), mint.pubkey());
        let init = if token_program == TOKEN {
            spl_token::instruction::initialize_mint2(&TOKEN, &key, &auth, freeze.as_ref(), decimals)
        } else {
            spl_token_2022::instruction::initialize_mint2(&TOKEN_2022, &key, &auth, freeze.as_ref(), decimals)
        }
        .expect("initialize_mint2");
        let create = anchor_lang::solana_program::system_instruction::create_account(
            &payer.pubkey(),
            &mint.pubkey(),
            solana_rent::Rent::default().minimum_balance(len),
            len as u64,
            &token_program,
        );
        let mut ixs = vec![create];
        ixs.extend(extensions);
        ixs.push(init);
        let r = self.send(&ixs, &[mint]).await;
        self.ok("create mint", r);
        mint.pubkey()
    }

    /// A new SPL Token account of `mint` owned by `owner` at a fresh address (not the owner's associated
    /// account): an attacker's decoy.
    pub async fn token_account_at(&mut self, owner: &Pubkey, mint: &Pubkey) -> Pubkey {
        let account = Keypair::new();
        let payer = self.payer();
        let len = spl_token::state::Account::LEN;
        let create = anchor_lang::solana_program::system_instruction::create_account(
            &payer.pubkey(),
            &account.pubkey(),
            solana_rent::Rent::default().minimum_balance(len),
            len as u64,
            &TOKEN,
        );
        let init = spl_token::instruction::initialize_account3(&TOKEN, &account.pubkey(), mint, owner)
            .expect("initialize_account3");
        let r = self.send(&[create, init], &[&account]).await;
        self.ok("create token account", r);
        account.pubkey()
    }

    /// The associated token account of `owner` for `mint`, created if needed.
    pub async fn ata(&mut self, owner: &Pubkey, mint: &Pubkey, token_program: Pubkey) -> Pubkey {
        let payer = self.payer();
        let ix = ata_ix::create_associated_token_account_idempotent(&payer.pubkey(), owner, mint, &token_program);
        let r = self.send(&[ix], &[]).await;
        self.ok("create ATA", r);
        referral_client::pda::ata(owner, mint, &token_program)
    }

    /// Mints `amount` of `mint` to `to`.
    pub async fn mint_to(
        &mut self,
        authority: &Keypair,
        mint: &Pubkey,
        to: &Pubkey,
        amount: u64,
        token_program: Pubkey,
    ) {
        let ix = if token_program == TOKEN {
            spl_token::instruction::mint_to(&TOKEN, mint, to, &authority.pubkey(), &[], amount)
        } else {
            spl_token_2022::instruction::mint_to(&TOKEN_2022, mint, to, &authority.pubkey(), &[], amount)
        }
        .expect("mint_to");
        let r = self.send(&[ix], &[authority]).await;
        self.ok("mint_to", r);
    }

    /// Token balance of a token account (SPL or Token-2022); 0 when it does not exist.
    pub async fn token_balance(&mut self, account: &Pubkey) -> u64 {
        match self.raw(account).await {
            Some(a) if !a.data.is_empty() => {
                referral_client::decode::account::<TokenAccount>(&a.data).map(|t| t.amount).unwrap_or(0)
            }
            _ => 0,
        }
    }

    /// Whether a token account (SPL or Token-2022) is frozen; false when it does not exist.
    pub async fn is_frozen(&mut self, account: &Pubkey) -> bool {
        match self.raw(account).await {
            Some(a) if !a.data.is_empty() => {
                referral_client::decode::account::<TokenAccount>(&a.data).map(|t| t.is_frozen()).unwrap_or(false)
            }
            _ => false,
        }
    }

    /// Supply of a mint.
    pub async fn supply(&mut self, mint: &Pubkey) -> u64 {
        let raw = self.raw(mint).await.expect("mint");
        referral_client::decode::account::<Mint>(&raw.data).expect("mint").supply
    }

    /// An NFT held by `owner` (mint with 0 decimals, 1 minted to its ATA) with a Token Metadata account
    /// per `spec`. Returns (mint, owner's token account).
    pub async fn nft(&mut self, owner: &Pubkey, spec: NftSpec) -> (Pubkey, Pubkey) {
        self.nft_at(&Keypair::new(), owner, spec).await
    }

    /// [`Fixture::nft`] with the mint at the address of `mint`.
    pub async fn nft_at(&mut self, mint: &Keypair, owner: &Pubkey, spec: NftSpec) -> (Pubkey, Pubkey) {
        self.nft_by(mint, &Keypair::new(), owner, spec).await
    }

    /// [`Fixture::nft_at`] created by `creator` (the mint authority until the one token is minted, and
    /// after it when the spec says [`Authority::Creator`]).
    pub async fn nft_by(
        &mut self,
        mint: &Keypair,
        creator: &Keypair,
        owner: &Pubkey,
        spec: NftSpec,
    ) -> (Pubkey, Pubkey) {
        let edition = referral_client::pda::master_edition(&mint.pubkey());
        let holder = |a: Authority| match a {
            Authority::Edition => Some(edition),
            Authority::Creator => Some(creator.pubkey()),
            Authority::Nobody => None,
        };
        let freeze = holder(spec.freeze_authority);
        let len = spl_token::state::Mint::LEN;
        let mint = self.create_mint(mint, creator, 0, TOKEN, len, vec![], freeze).await;
        let ata = self.ata(owner, &mint, TOKEN).await;
        self.mint_to(creator, &mint, &ata, 1, TOKEN).await;
        if spec.mint_authority != Authority::Creator {
            let to = holder(spec.mint_authority);
            let ix = spl_token::instruction::set_authority(
                &TOKEN,
                &mint,
                to.as_ref(),
                spl_token::instruction::AuthorityType::MintTokens,
                &creator.pubkey(),
                &[],
            )
            .expect("set_authority");
            let r = self.send(&[ix], &[creator]).await;
            self.ok("hand the mint authority to the edition", r);
        }
        self.write_metadata(&mint, &creator.pubkey(), spec);
        (mint, ata)
    }

    /// Writes the canonical Token Metadata account of `mint` (owner: the Token Metadata program).
    pub fn write_metadata(&mut self, mint: &Pubkey, update_authority: &Pubkey, spec: NftSpec) {
        let key = referral_client::pda::metadata(mint);
        let data = metadata_bytes(mint, update_authority, spec);
        self.set_raw(&key, metadata_account(data, anchor_spl::metadata::ID));
    }
}

/// Serialized Metadata, padded as Metaplex pads it.
pub fn metadata_bytes(mint: &Pubkey, update_authority: &Pubkey, spec: NftSpec) -> Vec<u8> {
    let md = Metadata {
        key: Key::MetadataV1,
        update_authority: *update_authority,
        mint: *mint,
        name: "Test NFT".into(),
        symbol: "TNFT".into(),
        uri: "https://example.invalid/nft.json".into(),
        seller_fee_basis_points: 500,
        creators: None,
        primary_sale_happened: false,
        is_mutable: true,
        edition_nonce: Some(255),
        token_standard: spec.standard,
        collection: spec.collection.map(|key| Collection { verified: spec.verified, key }),
        uses: None,
        collection_details: None,
        programmable_config: None,
    };
    let mut data = anchor_lang::prelude::borsh::to_vec(&md).expect("serialize metadata");
    data.resize(METADATA_LEN.max(data.len()), 0);
    data
}

/// A rent-exempt account holding `data`, owned by `owner`.
pub fn metadata_account(data: Vec<u8>, owner: Pubkey) -> Account {
    Account {
        lamports: solana_rent::Rent::default().minimum_balance(data.len()),
        data,
        owner,
        executable: false,
        rent_epoch: 0,
    }
}
