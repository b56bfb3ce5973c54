// Page object for the Data page: import, export, workspaces.
import { expect } from '@playwright/test';
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
