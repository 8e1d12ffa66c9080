import type { Page } from 'playwright-core';

// How long a change made on one screen takes to show on another, measured by the pages
// themselves: the moment of a click and the moment the DOM changed, each from its own
// page's clock (all pages run on this machine, so the clocks are the same). Polling from
// the test would add its own delay to every figure.

/** What the pages keep in their globals for the test to read. */
type Marks = {
  clicks?: { text: string; at: number }[];
  shownSteps?: { step: string; at: number }[];
};

/** Notes the time of every button click on the page, with the button's text. */
export async function noteClicks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const marks = globalThis as unknown as Marks;
    const clicks: NonNullable<Marks['clicks']> = [];
    marks.clicks = clicks;
    document.addEventListener(
      'click',
      (event) => {
        const button = event.target instanceof Element ? event.target.closest('button') : null;
        if (button) clicks.push({ text: button.textContent?.trim() ?? '', at: Date.now() });
      },
      true,
    );
  });
}

/** When a button whose text begins with `text` was last clicked (page clock, ms), or 0. */
export function lastClickAt(page: Page, text: string): Promise<number> {
  return page.evaluate(
    (text) => (globalThis as unknown as Marks).clicks?.filter((c) => c.text.startsWith(text)).at(-1)?.at ?? 0,
    text,
  );
}

/**
 * Notes each change of the step shown by the element at `selector` (its `data-step` or its
 * text), as the DOM changes, including the element appearing.
 */
export async function noteShownSteps(page: Page, selector: string): Promise<void> {
  await page.evaluate((selector) => {
    const marks = globalThis as unknown as Marks;
    const shown: NonNullable<Marks['shownSteps']> = [];
    marks.shownSteps = shown;
    let last = '';
    const note = () => {
      const element = document.querySelector(selector);
      const now = element ? `${element.getAttribute('data-step') ?? ''} ${element.textContent ?? ''}` : '';
      if (now === last) return;
      last = now;
      if (element) shown.push({ step: element.getAttribute('data-step') ?? '', at: Date.now() });
    };
    new MutationObserver(note).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['data-step'],
    });
    note();
  }, selector);
}

/** When the page first showed `step` at or after `after` (page clock, ms); waits for it. */
export async function stepShownAt(
  page: Page,
  step: string,
  after: number,
  timeout = 15_000,
): Promise<number> {
  const at = await page.waitForFunction(
    ({ step, after }) =>
      (globalThis as unknown as Marks).shownSteps?.find((s) => s.step === step && s.at >= after)?.at,
    { step, after },
    { timeout },
  );
  return Number(await at.jsonValue());
}
