// Launches Debian's Chromium through playwright-core for the report's browser tests. No browser
// is downloaded: the global set-up (test/setup/system-packages.ts) installs it when missing, and
// a chromium still missing fails the tests with a message saying how to install it.
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { CHROMIUM } from '../../src/env/system-packages.ts';

export const CHROMIUM_PATHS = [process.env.TENREC_CHROMIUM, ...CHROMIUM.paths].filter((p): p is string => !!p);

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function chromiumPath(): string {
  const found = CHROMIUM_PATHS.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(`Chromium not found (looked at ${CHROMIUM_PATHS.join(', ')}): install Debian's chromium (apt-get install chromium) or set TENREC_CHROMIUM; the report's browser tests cannot run without it`);
  }
  return found;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}
