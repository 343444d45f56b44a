// Opens an HTML report in headless Debian Chromium and records everything the page does that a
// self-contained report must not: requests, console errors, uncaught exceptions, dialogs.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { scratchFolderForSuite } from '../helpers/scratch-folder.js';

export const CHROMIUM = '/usr/bin/chromium';
// one folder for the reports a test file opens, removed when the file's tests end
const reportsDir = scratchFolderForSuite('html');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface OpenedReport {
  page: Page;
  pageUrl: string;
  requests: string[];
  consoleErrors: string[];
  dialogs: string[];
}

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

export async function openReport(browser: Browser, html: string): Promise<OpenedReport> {
  const dir = fs.mkdtempSync(path.join(reportsDir, 'report-'));
  const file = path.join(dir, 'report.html');
  fs.writeFileSync(file, html);
  const pageUrl = pathToFileURL(file).href;
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const opened: OpenedReport = { page: await context.newPage(), pageUrl, requests: [], consoleErrors: [], dialogs: [] };
  const { page } = opened;
  // Every request is recorded; anything but the report file itself is refused.
  await context.route('**/*', (route) => (route.request().url() === pageUrl ? route.continue() : route.abort()));
  page.on('request', (request) => opened.requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') opened.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => opened.consoleErrors.push(String(error)));
  page.on('dialog', (dialog) => {
    opened.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(pageUrl, { waitUntil: 'load' });
  return opened;
}
