/**
 * Probing the participant side from a browser's point of view (issue 8): public pages never answer a 5xx or a
 * stack trace to bad input; the participant page's title and meta tags are neutral; an external id alone does not
 * open someone's session; a script URL stored as the completion URL never reaches the page.
 */
import { expect, test } from '@playwright/test';
import { eq } from 'drizzle-orm';
import * as schema from '../db/schema';
import { createTestStudy, testStudyConfig } from '../server/participants/testing/fixtures';
import { closeE2eDb, e2eDb } from './participant-helpers';

test.afterAll(closeE2eDb);

const BROKEN_COOKIE = 'cs_p_x=%E0%A4%A; next-auth.session-token=%E0%A4%A; __Secure-next-auth.session-token=%';
const STACK_TRACE = /\n\s+at\s|node_modules\/|\.tsx?:\d+:\d+|URIError|TypeError/;

test('public pages answer bad query strings, slugs and cookies without a server error', async ({ request }) => {
  const { slug } = await createTestStudy(e2eDb());
  const bad = ['%00', 'a%00b', '%ED%A0%80', '%E0%A4%A', '%', '%C0%AF', "'%20OR%201=1--", '..%2F..%2Fetc%2Fpasswd'];
  const paths = ['/', '/sign-in', '/api/health', `/s/${slug}`, '/s/demo', `/s/${slug}?preview=1`];
  for (const value of bad) {
    paths.push(`/s/${slug}?PROLIFIC_PID=${value}&STUDY_ID=${value}&SESSION_ID=${value}`);
    paths.push(`/s/${slug}?workerId=${value}&assignmentId=${value}&hitId=${value}&turkSubmitTo=${value}`);
    paths.push(`/s/${slug}?${value}=${value}`);
    paths.push(`/s/${value}`);
    paths.push(`/sign-in?callbackUrl=${value}`);
    paths.push(`/s/${slug}${value}`, `/api/trpc/participant.state${value}`, `/studies/${value}`, `/api/studies/${value}/export`);
  }
  const failures: string[] = [];
  for (const path of paths) {
    for (const cookie of [undefined, BROKEN_COOKIE]) {
      const res = await request.get(path, { headers: cookie ? { cookie } : {}, maxRedirects: 0 });
      const body = await res.text();
      if (res.status() >= 500 || STACK_TRACE.test(body)) failures.push(`${path} (cookie: ${cookie ? 'broken' : 'none'}) → ${res.status()}`);
    }
  }
  expect(failures).toEqual([]);
});

test('the participant page is titled from the public title, never the internal name, also before launch', async ({ page, request }) => {
  const db = e2eDb();
  const internalName = 'CollabLLM vs proactive baseline (collaborative hypothesis)';
  const running = await createTestStudy(db, { config: testStudyConfig({ title: 'Writing with an assistant' }) });
  const draft = await createTestStudy(db, { status: 'draft', withVersion: false });
  for (const s of [running, draft]) await db.update(schema.studies).set({ name: internalName }).where(eq(schema.studies.id, s.studyId));

  for (const [slug, title] of [
    [running.slug, 'Writing with an assistant'],
    [draft.slug, 'Writing study'],
  ] as const) {
    await page.goto(`/s/${slug}`);
    await expect(page).toHaveTitle(title);
    await expect(page.locator('meta[name="description"]')).toHaveAttribute('content', title);
    const html = await (await request.get(`/s/${slug}`)).text();
    expect(html).not.toMatch(/collab|proactive|hypothesis/i);
    expect(html).toContain(`<title>${title}</title>`);
  }
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Writing study');
});

test('a Prolific id alone shows "already taking part" in another browser; the same submission resumes', async ({ page, browser }) => {
  const db = e2eDb();
  const { slug } = await createTestStudy(db);
  const pid = `taken-${Date.now()}`;
  await page.goto(`/s/${slug}?PROLIFIC_PID=${pid}&STUDY_ID=s&SESSION_ID=first`);
  await page.getByRole('button', { name: 'I agree to take part' }).click();
  await expect(page.getByRole('heading', { name: 'Instructions' })).toBeVisible();

  const stranger = await browser.newContext();
  const strangerPage = await stranger.newPage();
  for (const query of [`PROLIFIC_PID=${pid}`, `PROLIFIC_PID=${pid}&STUDY_ID=s&SESSION_ID=guessed`]) {
    await strangerPage.goto(`/s/${slug}?${query}`);
    await expect(strangerPage.getByRole('status')).toContainText('You are already taking part in this study');
    await expect(strangerPage.getByRole('heading', { name: 'Instructions' })).toHaveCount(0);
    await expect(strangerPage.getByRole('button', { name: 'I agree to take part' })).toHaveCount(0);
  }
  // Prolific re-opening the same submission on another device continues it.
  await strangerPage.goto(`/s/${slug}?PROLIFIC_PID=${pid}&STUDY_ID=s&SESSION_ID=first`);
  await expect(strangerPage.getByRole('heading', { name: 'Instructions' })).toBeVisible();
  await stranger.close();
});

test('a javascript: completion URL stored in an old version never reaches the page', async ({ page }) => {
  const db = e2eDb();
  // Written straight to the database, as a version saved before the check existed would be.
  const config = { ...testStudyConfig(), prolificCompletionUrl: 'javascript:document.title="pwned"//{code}' };
  const { slug, studyId } = await createTestStudy(db, { config });
  page.on('dialog', (dialog) => void dialog.dismiss());
  await page.goto(`/s/${slug}?PROLIFIC_PID=redirect-${Date.now()}&STUDY_ID=s&SESSION_ID=x`);
  await expect(page.getByRole('button', { name: 'I agree to take part' })).toBeVisible();
  // End the session directly (the way to the end is not what is tested here), then come back to the done page.
  const [participant] = await db.select().from(schema.participants).where(eq(schema.participants.studyId, studyId));
  await db
    .update(schema.participants)
    .set({ stage: 'done', outcome: 'no_consent', completionCode: 'CODE-NOCONSENT', finishedAt: new Date() })
    .where(eq(schema.participants.id, participant!.id));
  await page.reload();
  await expect(page.getByLabel('Completion code')).toHaveText('CODE-NOCONSENT');
  await expect(page.getByRole('link', { name: 'Return to Prolific' })).toHaveCount(0);
  expect(await page.locator('a[href^="javascript:" i], form[action^="javascript:" i]').count()).toBe(0);
  expect(await page.title()).not.toBe('pwned');
});
