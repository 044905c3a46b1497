/** Every key of the English catalogue; the other locales are checked against it by i18n.test.ts. */
export type MessageKey = keyof typeof import('../../public/_locales/en/messages.json');
