import browser, { type Action } from 'webextension-polyfill';
import type { DisplayState } from '../shared/display-state';
import type { TabState } from '../shared/messages';
import { styleForVerdict } from '../shared/state-style';
import pixels from 'virtual:icon-pixels';

/** The toolbar sizes painted (1× and 2× screens). */
const SIZES = [16, 32] as const;
type IconImages = Record<string, Action.ImageDataType>;

/**
 * The decoded icons, one per display state, drawn once. In Chrome's service worker `setIcon({ path })`
 * makes the bindings fetch, decode and draw both PNGs again on every call; the same pixels as
 * ImageData are handed over as they are. They come with the script (`virtual:icon-pixels`, rendered
 * at build time): a worker that just started paints at once, where fetching and decoding the two
 * PNGs of a state took ~15 ms of its start (tracing). In a document (Firefox's event page) the
 * browser keeps the decoded paths itself and ImageData only costs a copy: paths there (measured,
 * both ways: bench/results/page-load.md).
 */
const drawn = new Map<DisplayState, Promise<IconImages | null>>();

/** The build's pixels of one icon as ImageData, or null (not built in, or no ImageData here). */
function builtIn(name: string, size: (typeof SIZES)[number]): Action.ImageDataType | null {
  const b64 = pixels?.[name]?.[size];
  if (!b64 || typeof ImageData !== 'function') return null;
  const bytes = Uint8ClampedArray.from(atob(b64), (c) => c.charCodeAt(0));
  return bytes.length === size * size * 4 ? (new ImageData(bytes, size, size) as Action.ImageDataType) : null;
}

async function decode(file: string, size: number): Promise<Action.ImageDataType> {
  const blob = await (await fetch(browser.runtime.getURL(file))).blob();
  const bitmap = await createImageBitmap(blob);
  const canvas = new OffscreenCanvas(size, size);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d context');
  ctx.drawImage(bitmap, 0, 0, size, size);
  bitmap.close();
  return ctx.getImageData(0, 0, size, size) as Action.ImageDataType;
}

/** The state's icons as ImageData, or null where this context cannot draw them (then: paths). */
function imagesFor(state: DisplayState): Promise<IconImages | null> {
  let p = drawn.get(state);
  if (!p) {
    const style = styleForVerdict(state);
    const small = typeof document === 'undefined' ? builtIn(state, 16) : null;
    const large = small && builtIn(state, 32);
    if (small && large) {
      p = Promise.resolve({ '16': small, '32': large });
      drawn.set(state, p);
      return p;
    }
    p =
      typeof document === 'undefined' && typeof OffscreenCanvas === 'function' && typeof createImageBitmap === 'function'
        ? Promise.all(SIZES.map((s) => decode(style.icon[s], s))).then(
            ([a, b]) => ({ '16': a!, '32': b! }),
            () => null,
          )
        : Promise.resolve(null);
    drawn.set(state, p);
  }
  return p;
}

/**
 * How long after start-up the other states' icons are drawn. Drawing all 24 images at once took
 * ~40 ms of a restarted Chrome worker's start (measured: tracing, ResourceFetcher per PNG) before
 * it could handle the navigation that woke it; a state painted earlier draws its own two.
 */
export const PREDRAW_AFTER_MS = 2_000;

/**
 * Draws every state's icons in the background's idle time after start-up (off the navigation
 * path), where they are not built in.
 */
export function predrawIcons(states: readonly DisplayState[]): void {
  if (pixels) return;
  setTimeout(() => {
    for (const s of states) void imagesFor(s);
  }, PREDRAW_AFTER_MS);
}

/**
 * Per-tab paint counter: a paint that waited for its icons must not overwrite a newer paint of
 * the same tab that did not have to wait.
 */
const paints = new Map<number, number>();

export function forgetPaints(tabId: number): void {
  paints.delete(tabId);
}

/** Paints the toolbar button of one tab: icon, badge and tooltip. */
export async function showState({ tabId, host, state }: TabState): Promise<void> {
  const seq = (paints.get(tabId) ?? 0) + 1;
  paints.set(tabId, seq);
  const style = styleForVerdict(state);
  const images = await imagesFor(state);
  if (paints.get(tabId) !== seq) return; // a newer state of this tab was painted meanwhile
  const title = browser.i18n.getMessage(style.titleKey);
  await Promise.all([
    browser.action.setIcon(images ? { tabId, imageData: images } : { tabId, path: { 16: style.icon[16], 32: style.icon[32] } }),
    browser.action.setBadgeText({ tabId, text: style.badgeText }),
    browser.action.setBadgeBackgroundColor({ tabId, color: style.badgeColor }),
    browser.action.setTitle({
      tabId,
      title: host ? browser.i18n.getMessage('actionTitle', [title, host]) : title,
    }),
  ]);
}
