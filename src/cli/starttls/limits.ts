/**
 * Bounds on what a mail or chat server may make the STARTTLS client do (issue #15). The server is
 * on the network and may be hostile: every reply, line and step is bounded, and every step has a
 * time-out, so a bad server costs at most the step time-out and a few KiB of memory.
 */
export const STARTTLS_LIMITS = {
  /**
   * One reply line. RFC 5321 §4.5.3.1.5 allows 512 octets with CRLF; real servers stay far below.
   * Four times that leaves room for long IMAP CAPABILITY lines (RFC 9051 §7.2.2) yet ends an
   * endless line early.
   */
  maxLineOctets: 2048,
  /** Lines in one multi-line reply (an EHLO reply has ~10 keywords; RFC 5321 §4.2.1). */
  maxReplyLines: 100,
  /** Octets of one reply, all lines together: ends an "endless banner" of continuation lines. */
  maxReplyOctets: 32 * 1024,
  /** Octets read before TLS starts, over the whole dialogue (XMPP stream features included). */
  maxPlaintextOctets: 64 * 1024,
  /** Default time-out of one step (connect, banner, EHLO, STARTTLS, TLS handshake), ms. */
  stepTimeoutMs: 10_000,
} as const;
