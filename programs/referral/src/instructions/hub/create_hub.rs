//! `create_hub`: anyone creates a referral programme with a validated configuration.
use anchor_lang::prelude::*;

use crate::constants::HUB_SEED;
use crate::errors::ReferralError;
use crate::events::HubCreated;
use crate::state::{Hub, HubConfig, HubRules};
use crate::utils::create::{create_pda, write_zero_copy};

#[derive(Accounts)]
#[instruction(hub_id: u64)]
pub struct CreateHub<'info> {
    /// The hub's creator and first admin; a seed of the hub address.
    pub creator: Signer<'info>,
    /// Pays the hub's rent.
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The new hub, created here. Unchecked by Anchor (CHECK): the seeds constraint proves the address,
    /// `create_pda` that it is empty (`HubAlreadyExists` otherwise).
    #[account(mut, seeds = [HUB_SEED, creator.key().as_ref(), &hub_id.to_le_bytes()], bump)]
    pub hub: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl CreateHub<'_> {
    /// Steps:
    /// 1. Validate the whole configuration (named error per rule, R-1.2).
    /// 2. Create the hub PDA (`HubAlreadyExists` if it exists), rent from `payer`.
    /// 3. Store bump, creator, id, admin = creator, no pending admin, nothing paused, the configuration
    ///    (as zero-copy rules).
    /// 4. Emit `HubCreated`.
    pub fn handler(ctx: Context<Self>, hub_id: u64, config: HubConfig) -> Result<()> {
        config.validate()?;
        let accounts = &ctx.accounts;
        let creator = accounts.creator.key();
        let bump = ctx.bumps.hub;
        let id_bytes = hub_id.to_le_bytes();
        let seeds: &[&[u8]] = &[HUB_SEED, creator.as_ref(), &id_bytes, &[bump]];
        create_pda(
            &accounts.payer,
            &accounts.hub,
            &accounts.system_program,
            seeds,
            Hub::SPACE,
            &crate::ID,
            ReferralError::HubAlreadyExists,
        )?;
        let hub = Hub {
            hub_id,
            creator,
            admin: creator,
            pending_admin: Pubkey::default(),
            rules: HubRules::from_config(&config),
            claims_paused_at: 0,
            bump,
            paused: 0,
            _padding: [0; 6],
        };
        write_zero_copy(&accounts.hub, &hub)?;
        emit!(HubCreated { hub: accounts.hub.key(), creator, hub_id });
        Ok(())
    }
}
