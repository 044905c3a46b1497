import type { CatalogueCase, DanePkiName } from '../world.mjs';
export const DANE_PKI: DanePkiName[];
/** Issuers whose leaves a client trusting only the world CA accepts (PKIX; the browsers). */
export const PKIX_TRUSTED_ISSUERS: string[];
export const OUTSIDE_NAME_CONSTRAINTS: string[];
/** Does the world CA alone make this case's certificate PKIX-valid (so that a browser loads it)? */
export function worldPkixTrusts(c: Pick<CatalogueCase, 'cert'>): boolean;
/** What the site sends after its leaf. */
export function sentAfterLeaf(c: Pick<CatalogueCase, 'cert'>): string[];
export function makeDanePki(run: unknown, p: (f: string) => string, keyArgs: (key: string) => string[]): Promise<void>;
