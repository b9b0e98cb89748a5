// The TypeScript client as one module: the generated programs (accounts, instructions, errors), every PDA,
// and the hand-written resolvers. Bundled for Node by `npm run build:client` (build/client.mjs) for the
// end-to-end tests; the page imports the same files.
export * from './referral';
export * as pdas from './pdas';
export * as referral from '../generated/referral';
export * as market from '../generated/demo_marketplace';
