import { defineConfig } from '@playwright/test';
import base from './playwright.config.ts';

/** `npm run screenshots`: the look of the main pages, written to e2e/screenshots/ for review. */
export default defineConfig({
  ...base,
  testMatch: 'screenshots.shot.ts',
  workers: 1,
  timeout: 120_000,
});
