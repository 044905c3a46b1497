/** Every key of the English catalogue; the other locales are checked against it by i18n.test.ts. */
export type MessageKey = keyof typeof import('../../public/_locales/en/messages.json');

/** The word for each validation state (one table for popup, options page and the CLI's picture). */
export const SECURITY_STATE_WORDS = { secure: 'wordSecure', insecure: 'wordInsecure', bogus: 'wordBogus', indeterminate: 'wordIndeterminate' } as const satisfies Record<string, MessageKey>;
