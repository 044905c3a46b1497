/**
 * Trust anchors from text (DS or DNSKEY lines, RFC 4034 §5.3 / §2.2; see dnssec/anchors.ts), with
 * the one wording of what is wrong that the CLI (`--trust-anchor <file>`) and the extension (a
 * custom trust anchor in the options) both show.
 */
import { parseTrustAnchors, type AnchorError, type TrustAnchor } from './dnssec/anchors';

/** "line 3: …; line 7: …". */
export function anchorErrorsText(errors: readonly AnchorError[]): string {
  return errors.map((e) => `line ${e.line}: ${e.message}`).join('; ');
}

export function trustAnchorsFromText(text: string): { ok: true; anchors: readonly TrustAnchor[] } | { ok: false; error: string } {
  const parsed = parseTrustAnchors(text);
  return parsed.ok ? { ok: true, anchors: parsed.anchors } : { ok: false, error: anchorErrorsText(parsed.errors) };
}
