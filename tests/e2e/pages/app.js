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
    await this.page.screenshot({ path: `screenshots/${name}.png`, fullPage });
  }

  expectNoErrors() {
    expect(this.errors, 'console errors').toEqual([]);
  }
}
