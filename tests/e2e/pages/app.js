// Page object for the app shell: loading, navigation and console errors.
import { expect } from '@playwright/test';

/** Every page of the app, on the demo. */
export const DEMO_PAGES = ['', '#/customers', '#/customers/fabrikam', '#/designations/security', '#/associations',
  '#/reconciliation', '#/skilling', '#/findings', '#/what-if', '#/workshop', '#/workshop/pal-global-id', '#/rules',
  '#/data'];

export class App {
  constructor(page) {
    this.page = page;
    this.errors = [];
    page.on('console', (msg) => { if (msg.type() === 'error') this.errors.push(msg.text()); });
    page.on('pageerror', (err) => this.errors.push(String(err)));
  }

  /** Open the app at `path` (relative to the base URL, e.g. "#/customers") and wait for it to start. */
  async open(path = '') {
    await this.page.goto(path);
    // The brand is in the top bar at every width (on a phone the navigation is behind a menu).
    await expect(this.page.locator('.topbar .brand')).toBeVisible();
    await expect(this.page.locator('main h1').first()).toBeVisible();
  }

  nav(name) {
    return this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
  }

  heading() {
    return this.page.locator('main h1').first();
  }

  async screenshot(name, { fullPage = true } = {}) {
    const path = `screenshots/${name}.png`;
    if (!fullPage) return this.page.screenshot({ path });
    // The whole page with its fixed and sticky parts where a reader sees them (the header at
    // the top, a toast at the bottom): a full-page shot would draw them where the page
    // happens to be scrolled, so the viewport is grown to the page's height for the shot.
    const size = this.page.viewportSize();
    const height = await this.page.evaluate(() => document.documentElement.scrollHeight);
    await this.page.setViewportSize({ width: size.width, height: Math.max(height, size.height) });
    await this.page.screenshot({ path });
    await this.page.setViewportSize(size);
  }

  expectNoErrors() {
    expect(this.errors, 'console errors').toEqual([]);
  }
}
