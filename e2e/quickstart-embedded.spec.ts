/**
 * The README's promise: with nothing configured the app runs on the embedded database, and a newcomer can open
 * /s/demo and complete the study. Runs against the second server that e2e/support/serve.ts starts without DATABASE_URL.
 */
import { expect, test } from '@playwright/test';
import { demoStudyConfig } from '../server/studies/demo-study';
import { chatAndFinish, consentAndSetup } from './participant-helpers';
import { e2eEmbeddedPort } from './support/env';

const embeddedURL = `http://127.0.0.1:${e2eEmbeddedPort}`;

test('a newcomer completes the demo study on the embedded database', async ({ page, request }) => {
  test.setTimeout(240_000);
  // The embedded server starts alongside the main one; wait for it to migrate and seed.
  await expect
    .poll(async () => (await request.get(`${embeddedURL}/api/health`).catch(() => null))?.status() ?? 0, { timeout: 90_000 })
    .toBe(200);
  expect(await (await request.get(`${embeddedURL}/api/health`)).json()).toEqual({
    status: 'ok',
    database: { ok: true, kind: 'pglite' },
  });

  const demo = demoStudyConfig();
  await page.route('https://app.prolific.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: 'ok' }));
  await page.goto(`${embeddedURL}/s/demo?PROLIFIC_PID=newcomer-${Date.now()}&STUDY_ID=s&SESSION_ID=x`);
  await expect(page.getByText('Demo assistant (offline)')).toBeVisible();
  await consentAndSetup(page);
  await chatAndFinish(page, { turns: demo.minTurns, ratingInterval: demo.ratingInterval });
  await expect(page.getByRole('heading', { name: 'Thank you! You have completed the study.' })).toBeVisible();
  await expect(page.getByLabel('Completion code')).toHaveText(demo.completionCodes.completed);
});
