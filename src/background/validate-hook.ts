import type { DisplayState } from '../shared/display-state';
import type { Options } from '../shared/options';

/**
 * How the background asks for a verdict on one host. The implementation will wrap
 * `validateHost` from src/core/index.ts (DNSSEC chain + TLSA) and map its result to a
 * `DisplayState`.
 */
export type ValidateHost = (host: string, options: Options, signal: AbortSignal) => Promise<DisplayState>;

// TODO(core-hook): set this to an adapter over `validateHost` from '../core' once the core
// exports it. While it is null, checked tabs stay in the honest "checking" state: no verdict
// is ever invented here.
export const validateHostHook: ValidateHost | null = null;
