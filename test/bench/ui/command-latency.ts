import type { Browser } from 'playwright-core';
import { openSignedIn } from '../../support/browser.js';
import { percentile } from './stats.js';

export type LatencyFigures = { tries: number; p50: number; p95: number; max: number; min: number };

type PageDom = {
  document: {
    body: { textContent: string | null };
    querySelector(selector: string): { click(): void } | null;
  };
  MutationObserver: new (callback: () => void) => {
    observe(target: unknown, options: object): void;
    disconnect(): void;
  };
};

/**
 * From a command on one operator's screen to the change on another's: a log entry typed
 * and sent on the first page (through the outbox and the socket), and the moment the
 * second page's DOM shows it. Both pages run in one browser, so they share a clock.
 */
export async function measureCommandLatency(
  browser: Browser,
  hubUrl: string,
  tries: number,
): Promise<LatencyFigures> {
  const sender = await openSignedIn(browser, hubUrl, 'tib.nacka');
  const receiver = await openSignedIn(browser, hubUrl, 'tib.solna');
  const form = sender.page.locator('.log-form');
  const samples: number[] = [];
  for (let i = 0; i < tries; i++) {
    const marker = `Latens ${i} ${Date.now()}`;
    await form.getByLabel('Ny loggpost').fill(marker);
    const seen = receiver.page.evaluate((text) => {
      const w = globalThis as unknown as PageDom;
      return new Promise<number>((resolve) => {
        const observer = new w.MutationObserver(() => {
          if (w.document.body.textContent?.includes(text)) {
            observer.disconnect();
            resolve(Date.now());
          }
        });
        observer.observe(w.document.body, { subtree: true, childList: true, characterData: true });
      });
    }, marker);
    // Let the observer be in place before the command leaves.
    await receiver.page.evaluate(() => undefined);
    const sentAt = await sender.page.evaluate(() => {
      const w = globalThis as unknown as PageDom;
      const button = w.document.querySelector('.log-form button[type="submit"]');
      const at = Date.now();
      button?.click();
      return at;
    });
    samples.push((await seen) - sentAt);
  }
  await sender.context.close();
  await receiver.context.close();
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    tries,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted.at(-1) ?? 0,
    min: sorted[0] ?? 0,
  };
}
