/**
 * Store and phone screenshots, from Firefox ESR with the built extension against the offline world
 * (`npm run demo -- --browser firefox --store-screenshots`, or this file alone with the world running:
 * `npx tsx scripts/store-screenshots.ts`):
 *
 * - docs/store/<n>-<name>.jpg, 1280×800 (the Chrome Web Store's size; addons.mozilla.org takes it too):
 *   the popup in a main state beside a caption, composed in the browser from a real popup screenshot.
 * - docs/screenshots/android-*.png: the popup (collapsed, and every section open) and the options page
 *   at 360 CSS px wide with a mobile viewport (touch, device pixel ratio 2), as Firefox for Android
 *   shows them full screen. Each page is measured for horizontal overflow: every element whose box
 *   reaches past 360 px is reported, and a page that scrolls sideways is an error.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer';
import { gotoExtensionPage, openExtensionPage, type LaunchedBrowser } from '../test/browser/harness';
import { readCatalogue, readWorld, type Catalogue, type World } from '../test/world/world.mjs';
import { caseUrl, closeTab, configure, openTab, pageShouldLoad, POPUP_WIDTH, showPopup, waitForVerdict, worldOptions } from '../test/browser/extension';
import { launchWithExtension, README_SCREENSHOTS_DIR } from './demo-browser';

const REPO = path.resolve(import.meta.dirname, '..');
export const STORE_SCREENSHOTS_DIR = path.join(REPO, 'docs', 'store');
/** Chrome Web Store screenshot size (1280×800 or 640×400). */
export const STORE_SIZE = { width: 1280, height: 800 };
/** A small phone: the narrowest width the popup and options must work at. */
export const PHONE_VIEWPORT = { width: 360, height: 740, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

const STORE_SHOTS: { file: string; caseId: string; headline: string; text: string }[] = [
  {
    file: '1-dane-verified.jpg',
    caseId: 'alg13-www',
    headline: 'DNSSEC and DANE, checked by your browser',
    text: 'The chain of trust is validated from the root anchors with WebCrypto, and the certificate the browser received is compared with the TLSA records.',
  },
  {
    file: '2-tlsa-mismatch.jpg',
    caseId: 'dane-mismatch-ee',
    headline: 'A certificate that does not match its TLSA records',
    text: 'Firefox gives the extension the certificate of every page: a certificate that matches none of the signed TLSA records is shown, and can be blocked.',
  },
  {
    file: '3-bogus.jpg',
    caseId: 'bogus-expired',
    headline: 'Bogus answers never look secure',
    text: 'Expired or forged signatures fail validation. The DNS-over-HTTPS resolver only carries packets: its own verdict is never trusted.',
  },
  {
    file: '4-insecure.jpg',
    caseId: 'insecure-nsec',
    headline: 'Provably unsigned, said in words',
    text: 'Each verdict says exactly what was proven: not signed, secured by DNSSEC, verified with TLSA, failed, or could not be checked — with the reason.',
  },
];

export interface Overflow {
  page: string;
  /** document width minus viewport width, in CSS px (0 = no sideways scrolling). */
  scrollsBy: number;
  /** Elements whose right edge is past the viewport. */
  wide: string[];
}

/**
 * What sticks out of a page's viewport to the right. Firefox for Android draws overlay scrollbars,
 * which take no width; desktop Firefox here takes ~12 px for a classic one, so the page is measured
 * (and photographed) with the scrollbar hidden (`scrollbar-width: none`), as on the phone.
 */
async function measureOverflow(page: Page, name: string): Promise<Overflow> {
  await page.addStyleTag({ content: 'html { scrollbar-width: none; }' });
  return page.evaluate((pageName: string) => {
    const vw = document.documentElement.clientWidth;
    const wide: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.right > vw + 0.5) {
        const id = el.id ? `#${el.id}` : el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : '';
        wide.push(`${el.tagName.toLowerCase()}${id} right=${Math.round(r.right)}`);
      }
    }
    return { page: pageName, scrollsBy: document.documentElement.scrollWidth - vw, wide: wide.slice(0, 20) };
  }, name);
}

async function openAllSections(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const d of Array.from(document.querySelectorAll('details'))) d.open = true;
  });
  await new Promise((r) => setTimeout(r, 300));
}

async function composeStoreShot(b: LaunchedBrowser, popupPng: Buffer, shot: (typeof STORE_SHOTS)[number], file: string): Promise<void> {
  const page = await b.browser.newPage();
  try {
    await page.setViewport(STORE_SIZE);
    const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    await page.setContent(
      `<!doctype html><html><head><meta charset="utf-8"><style>
        html, body { margin: 0; width: 1280px; height: 800px; overflow: hidden; }
        body { display: flex; align-items: center; gap: 64px; padding: 0 80px; box-sizing: border-box;
               font-family: "DejaVu Sans", sans-serif; color: #1b2733;
               background: linear-gradient(135deg, #eef3f8 0%, #dde7f1 100%); }
        .text { flex: 1; }
        h1 { font-size: 44px; line-height: 1.15; margin: 0 0 24px; }
        p { font-size: 22px; line-height: 1.45; margin: 0; color: #3b4a59; }
        .name { font-size: 18px; letter-spacing: 0.06em; text-transform: uppercase; color: #2f6f3e; margin-bottom: 18px; font-weight: bold; }
        .popup { flex: none; max-height: 700px; overflow: hidden; border-radius: 10px; background: #fff;
                 box-shadow: 0 12px 40px rgba(20, 40, 60, 0.25); }
        .popup img { display: block; width: ${POPUP_WIDTH * 1.25}px; }
      </style></head><body>
        <div class="text"><div class="name">DNSSEC/TLSA Validator</div><h1>${esc(shot.headline)}</h1><p>${esc(shot.text)}</p></div>
        <div class="popup"><img src="data:image/png;base64,${popupPng.toString('base64')}" alt=""></div>
      </body></html>`,
    );
    await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete && i.naturalWidth > 0), { timeout: 10_000 });
    // JPEG: the Chrome Web Store takes JPEG or 24-bit PNG without alpha (puppeteer's PNGs have alpha).
    await page.screenshot({ path: file as `${string}.jpeg`, type: 'jpeg', quality: 92, clip: { x: 0, y: 0, ...STORE_SIZE } });
  } finally {
    await page.close();
  }
}

/** Writes the store and phone screenshots; returns the files and the overflow measured at 360 px. */
export async function writeStoreScreenshots(o: { world: World; catalogue: Catalogue; log: (m: string) => void }): Promise<{ files: string[]; overflow: Overflow[] }> {
  fs.mkdirSync(STORE_SCREENSHOTS_DIR, { recursive: true });
  const b = await launchWithExtension('firefox', o.world, false);
  const files: string[] = [];
  const overflow: Overflow[] = [];
  try {
    const helper = await openExtensionPage(b, 'src/options/index.html');
    await configure(helper, worldOptions(o.world));
    const popup = await b.browser.newPage();
    const phone = await b.browser.newPage();
    await phone.setViewport(PHONE_VIEWPORT);
    for (const [i, shot] of STORE_SHOTS.entries()) {
      const c = o.catalogue.cases.find((x) => x.id === shot.caseId);
      if (!c) throw new Error(`catalogue case ${shot.caseId} missing`);
      const url = caseUrl(c, o.world);
      const tabId = await openTab(helper, url);
      await waitForVerdict(helper, tabId, url, pageShouldLoad(c, 'firefox'));

      // Desktop popup (400 px, the chain section open) for the store picture.
      await popup.setViewport({ width: POPUP_WIDTH, height: 300, deviceScaleFactor: 1.25 });
      await showPopup(b, popup, tabId);
      await popup.evaluate(() => {
        const chain = document.getElementById('chain-section') as HTMLDetailsElement | null;
        if (chain) chain.open = true;
      });
      const png = Buffer.from(await popup.screenshot({ fullPage: true }));
      const file = path.join(STORE_SCREENSHOTS_DIR, shot.file);
      await composeStoreShot(b, png, shot, file);
      files.push(file);

      // The first state also on a phone: collapsed, then with every section open.
      if (i === 0) {
        await showPopup(b, phone, tabId);
        overflow.push(await measureOverflow(phone, 'popup'));
        files.push(await phoneShot(phone, 'android-popup.png'));
        await openAllSections(phone);
        overflow.push(await measureOverflow(phone, 'popup, all sections open'));
        files.push(await phoneShot(phone, 'android-popup-open.png'));
      }
      await closeTab(helper, tabId);
    }
    await popup.close();

    await gotoExtensionPage(b, phone, 'src/options/index.html');
    await phone.waitForFunction('document.getElementById("resolver")?.value === "custom"', { timeout: 10_000 });
    overflow.push(await measureOverflow(phone, 'options'));
    files.push(await phoneShot(phone, 'android-options.png'));
    await phone.close();
  } finally {
    await b.close();
  }
  for (const f of files) o.log(`${path.relative(REPO, f)}: ${Math.round(fs.statSync(f).size / 1024)} KB`);
  for (const m of overflow) o.log(`360 px ${m.page}: ${m.scrollsBy > 0 ? `scrolls sideways by ${m.scrollsBy} px` : 'no sideways scrolling'}${m.wide.length ? `; too wide: ${m.wide.join(', ')}` : ''}`);
  return { files, overflow };
}

async function phoneShot(page: Page, name: string): Promise<string> {
  const file = path.join(README_SCREENSHOTS_DIR, name);
  await page.screenshot({ path: file as `${string}.png`, fullPage: true });
  return file;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { overflow } = await writeStoreScreenshots({ world: readWorld(), catalogue: readCatalogue(), log: (m) => console.log(`store-screenshots: ${m}`) });
  process.exit(overflow.some((m) => m.scrollsBy > 0) ? 1 : 0);
}
