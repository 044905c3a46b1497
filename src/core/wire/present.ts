/**
 * Presentation (zone-file) format, one module per job: type mnemonics (mnemonics.ts), printing
 * (print.ts), the lexer (lexer.ts), the RDATA text parser (rdata-text.ts) and the zone parser
 * (zone-text.ts). This module re-exports them for the existing imports.
 */
export { classFromString, classToString, typeFromString, typeToString } from './mnemonics';
export { formatRrsigTime, rdataToString, rrToString } from './print';
export { PresentationError, parseTtl } from './lexer';
export { parseRrsigTime } from './rdata-text';
export { parseRRLine, parseZoneText, type ParseLineOptions, type ZoneParse } from './zone-text';
