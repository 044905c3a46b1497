/**
 * One bundled script in a page: served from 127.0.0.1 (a secure context, so WebCrypto is there)
 * to a headless Chromium that reaches nothing else. For the benches that time core code in
 * Chromium (cpu-phases.ts, certs.ts). `close()` stops both.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import puppeteer, { type Browser } from 'puppeteer';
import { CHROMIUM_PATH } from '../test/browser/harness';

export interface ScriptPage {
  browser: Browser;
  /** The page that loads the script (`<script src="/<name>">`). */
  url: string;
  close(): Promise<void>;
}

export async function scriptPage(name: string, script: string): Promise<ScriptPage> {
  const server = http.createServer((req, res) => {
    if (req.url === `/${name}`) {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      res.end(script);
    } else {
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
      res.end(`<!doctype html><script src="/${name}"></script>`);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    pipe: true,
    args: ['--no-sandbox', '--no-first-run', '--disable-gpu', '--proxy-server=http://127.0.0.1:9', '--proxy-bypass-list=127.0.0.1'],
  });
  return {
    browser,
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      await browser.close();
      server.close();
    },
  };
}
