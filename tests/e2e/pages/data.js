// Page object for the Data page: import, export, workspaces.
import { expect } from '@playwright/test';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const repoFile = (rel) => fileURLToPath(new URL(`../../../${rel}`, import.meta.url));

export class DataPage {
  constructor(page) {
    this.page = page;
  }

  async open() {
    await this.page.goto('#/data');
    await expect(this.page.getByRole('heading', { name: 'Data', level: 1 })).toBeVisible();
  }

  async importFile(rel) {
    await this.page.getByTestId('import-file').setInputFiles(repoFile(rel));
  }

  /** Open a workspace file that scripts/test.sh generates as a new workspace named `name`. */
  async openGenerated(rel, name) {
    expect(existsSync(repoFile(rel)), `${rel} is written by scripts/test.sh`).toBe(true);
    await this.open();
    await this.importFile(rel);
    await this.button('Open as a new workspace').click({ timeout: 30_000 });
    await expect(this.workspaceName()).toHaveText(name);
  }

  workspaceName() {
    return this.page.locator('.topbar .ws-name');
  }

  errors() {
    return this.page.locator('.import-errors');
  }

  button(name) {
    return this.page.getByRole('button', { name, exact: true });
  }
}

/** The four files of the import fixture set (Partner Center downloads and the collector bundle). */
export const IMPORT_FIXTURES = [
  'tests/data/import/azure-usage.csv',
  'tests/data/import/cpor-m365-usage.csv',
  'tests/data/import/trainings.csv',
  'tests/data/import/tenant-inventory.json',
];

/** The "Import from Partner Center or Azure" card of the Data page. */
export class ImportCard {
  constructor(page) {
    this.page = page;
    this.card = page.locator('.import-card');
  }

  async drop(rels) {
    await this.page.getByTestId('import-data-files').setInputFiles(rels.map(repoFile));
  }

  files() {
    return this.card.locator('.import-file');
  }

  customers() {
    return this.card.locator('details.import-customer[data-customer]');
  }

  headline() {
    return this.card.locator('.import-headline');
  }

  applyButton() {
    return this.card.getByRole('button', { name: /Apply the import|Nothing to apply/ });
  }
}
