/**
 * The participant's experience beyond "it works": inserting a reply's draft (and undoing it), several tabs
 * of one session converging, the phone layout, and completing the whole study with the keyboard alone.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { desc, eq } from 'drizzle-orm';
import * as schema from '../db/schema';
import { createTestStudy, demoArm, testStudyConfig } from '../server/participants/testing/fixtures';
import { assistantMessages, closeE2eDb, consentAndSetup, e2eDb, finishChat, rate, sendAndAwaitReply } from './participant-helpers';

test.afterAll(closeE2eDb);

/** One arm on the offline demo model's baseline style, which drafts at once and marks the draft. */
async function baselineStudy() {
  return createTestStudy(e2eDb(), { config: testStudyConfig({ arms: [demoArm('baseline')] }) });
}

test('"Use this in my document" inserts only the draft, asks before replacing own edits, and undoes in one step', async ({ page }) => {
  test.setTimeout(120_000);
  const { studyId, slug } = await baselineStudy();
  await page.goto(`/s/${slug}`);
  await consentAndSetup(page);
  const documentBox = page.getByRole('textbox', { name: 'Your document' });

  await sendAndAwaitReply(page, 'Write a blog post about night trains in Europe.', 1);
  const first = assistantMessages(page).first();
  const draft = first.getByRole('group', { name: 'Draft in this reply' });
  await expect(draft).toContainText('# ');
  const draftText = (await draft.innerText()).trim();
  await first.getByRole('button', { name: 'Use this in my document' }).click();
  await expect(documentBox).toHaveValue(draftText);
  const inserted = await documentBox.inputValue();
  expect(inserted).not.toMatch(/^Sure|<document>|Let me know|Feel free|hope this helps/);

  // Undo brings back what was there (nothing), and the empty document is what the server keeps.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(documentBox).toHaveValue('');
  await first.getByRole('button', { name: 'Use this in my document' }).click();
  await expect(documentBox).toHaveValue(draftText);

  // The participant's own text is never replaced without asking.
  await documentBox.fill('My own opening line, which I wrote myself.');
  await expect(page.getByText('All changes saved')).toBeVisible();
  await sendAndAwaitReply(page, 'Make it shorter.', 2);
  const second = assistantMessages(page).nth(1);
  await second.getByRole('button', { name: 'Use this in my document' }).click();
  const prompt = page.getByRole('alertdialog', { name: 'Replace your edited text?' });
  await prompt.getByRole('button', { name: 'Keep my text' }).click();
  await expect(prompt).toHaveCount(0);
  await expect(documentBox).toHaveValue('My own opening line, which I wrote myself.');

  await second.getByRole('button', { name: 'Use this in my document' }).click();
  await prompt.getByRole('button', { name: 'Replace my text' }).click();
  const secondDraft = (await second.getByRole('group', { name: 'Draft in this reply' }).innerText()).trim();
  await expect(documentBox).toHaveValue(secondDraft);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(documentBox).toHaveValue('My own opening line, which I wrote myself.');
  await expect(page.getByText('All changes saved')).toBeVisible();

  const db = e2eDb();
  const [participant] = await db.select().from(schema.participants).where(eq(schema.participants.studyId, studyId));
  const drafts = await db.select().from(schema.documentDrafts).where(eq(schema.documentDrafts.participantId, participant!.id)).orderBy(desc(schema.documentDrafts.createdAt));
  expect(drafts[0]!.content).toBe('My own opening line, which I wrote myself.');
  expect(drafts.find((d) => d.source === 'use_message')!.content).not.toContain('<document>');
});

test('two tabs of one session converge on the server state and always show the control it waits for', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const { slug } = await baselineStudy();
  await page.goto(`/s/${slug}`);
  await consentAndSetup(page);

  // A second window with the same session cookie but its own browsing context: no messages between the tabs
  // reach it, so it stays stale until it acts or regains focus.
  const otherContext = await browser.newContext();
  await otherContext.addCookies(await page.context().cookies());
  const stale = await otherContext.newPage();
  await stale.goto(`/s/${slug}`);
  await expect(stale.getByLabel('Your message')).toBeVisible();

  // A sibling tab in the same browser hears about every step at once.
  const sibling = await page.context().newPage();
  await sibling.goto(`/s/${slug}`);
  await expect(sibling.getByLabel('Your message')).toBeVisible();

  await sendAndAwaitReply(page, 'Write a blog post about night trains in Europe.', 1);
  await expect(assistantMessages(sibling)).toHaveCount(1);
  await sendAndAwaitReply(page, 'Make it friendlier.', 2);
  await expect(page.getByRole('form', { name: 'Rate your experience so far' })).toBeVisible();
  await expect(sibling.getByRole('form', { name: 'Rate your experience so far' })).toBeVisible();

  // The stale window still shows an empty chat; sending from it is refused, and it catches up to the due rating.
  await expect(assistantMessages(stale)).toHaveCount(0);
  await stale.getByLabel('Your message').fill('Add something about sleeper cabins.');
  await stale.getByRole('button', { name: 'Send' }).click();
  await expect(stale.getByRole('form', { name: 'Rate your experience so far' })).toBeVisible();
  await expect(assistantMessages(stale)).toHaveCount(2);
  await expect(stale.getByLabel('Your message')).toHaveValue('Add something about sleeper cabins.');
  await rate(stale, 6);

  // The rating came from the other browsing context, so this browser's tabs catch up when they regain focus.
  for (const tab of [page, sibling]) {
    await tab.evaluate(() => window.dispatchEvent(new Event('focus')));
    await expect(tab.getByRole('form', { name: 'Rate your experience so far' })).toHaveCount(0);
  }
  await stale.getByRole('button', { name: 'Send' }).click();
  await expect(assistantMessages(stale)).toHaveCount(3);
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await expect(assistantMessages(page)).toHaveCount(3);
  // …and a step in one tab reaches its sibling in the same browser without any focus change.
  await expect(page.getByRole('button', { name: 'Finish' })).toBeEnabled();
  await assistantMessages(page).last().getByRole('button', { name: 'Use this in my document' }).click();
  await expect(sibling.getByRole('textbox', { name: 'Your document' })).not.toHaveValue('');
  await otherContext.close();
});

test('a state read that arrives after a save never takes back the participant’s last edit', async ({ page }) => {
  test.setTimeout(120_000);
  const { studyId, slug } = await baselineStudy();
  await page.goto(`/s/${slug}`);
  await consentAndSetup(page);
  await sendAndAwaitReply(page, 'Write a blog post about night trains in Europe.', 1);
  await sendAndAwaitReply(page, 'Make it friendlier.', 2);
  await rate(page, 7);
  const documentBox = page.getByRole('textbox', { name: 'Your document' });
  await documentBox.fill('First version of my post.');
  await expect(page.getByText('All changes saved')).toBeVisible();

  // Hold the next state read: it is answered by the server now (with the first version) but reaches the page
  // only after the participant has edited again and that edit is saved, as a slow response can on a busy
  // network. Before the fix the page took that older draft as "newer from another tab" and showed it, and
  // finishing then stored it as the final document.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let answered!: () => void;
  const answeredByServer = new Promise<void>((resolve) => (answered = resolve));
  let delivered!: () => void;
  const deliveredToPage = new Promise<void>((resolve) => (delivered = resolve));
  let holding = false;
  const isStateRead = (url: URL) => url.pathname.startsWith('/api/trpc/') && url.pathname.includes('participant.state');
  await page.route(isStateRead, async (route) => {
    if (holding) return route.continue();
    holding = true;
    const response = await route.fetch();
    answered();
    await released;
    await route.fulfill({ response });
    delivered();
  });
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await answeredByServer;

  await documentBox.fill('Second version: my last edit.');
  await expect(page.getByText('All changes saved')).toBeVisible();
  release();
  await deliveredToPage;
  await page.unroute(isStateRead);

  await expect(documentBox).toHaveValue('Second version: my last edit.');
  await finishChat(page);
  await expect(page.getByRole('heading', { name: 'Final questions' })).toBeVisible();
  await expect(page.locator('.p-final-document')).toHaveText('Second version: my last edit.');
  const db = e2eDb();
  const [participant] = await db.select().from(schema.participants).where(eq(schema.participants.studyId, studyId));
  const [latest] = await db
    .select()
    .from(schema.documentDrafts)
    .where(eq(schema.documentDrafts.participantId, participant!.id))
    .orderBy(desc(schema.documentDrafts.createdAt))
    .limit(1);
  expect(latest!.content).toBe('Second version: my last edit.');
});

test.describe('on a 390 px phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  const noHorizontalScroll = (page: Page) =>
    expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);

  /** The ten scale buttons share one row inside the screen. */
  async function expectScaleOnOneRow(group: Locator) {
    const boxes = await group.locator('.scale-option').evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => ({ top: r.top, right: r.right, width: r.width })));
    expect(boxes).toHaveLength(10);
    expect(new Set(boxes.map((b) => Math.round(b.top))).size).toBe(1);
    expect(Math.max(...boxes.map((b) => b.right))).toBeLessThanOrEqual(390);
    expect(Math.min(...boxes.map((b) => b.width))).toBeGreaterThanOrEqual(24);
  }

  test('the layout fits: no horizontal scroll, scale on one row, document one tap away, radio labels beside their buttons', async ({ page }) => {
    test.setTimeout(120_000);
    const { slug } = await baselineStudy();
    await page.goto(`/s/${slug}`);
    await noHorizontalScroll(page);
    await consentAndSetup(page);
    await noHorizontalScroll(page);

    // Chat and document are tabs: the document is reachable without scrolling past the message box.
    const documentBox = page.getByRole('textbox', { name: 'Your document' });
    await expect(documentBox).toBeHidden();
    await page.getByRole('tab', { name: 'Document' }).click();
    await expect(documentBox).toBeInViewport();
    await expect(page.getByLabel('Your message')).toBeHidden();
    await page.getByRole('tab', { name: 'Chat' }).click();
    await expect(page.getByLabel('Your message')).toBeInViewport();
    const header = await page.locator('.p-header').boundingBox();
    expect(header!.height).toBeLessThanOrEqual(100);

    await sendAndAwaitReply(page, 'Write a blog post about night trains in Europe.', 1);
    await noHorizontalScroll(page);
    // "Use this" shows the document tab with the draft in it.
    await assistantMessages(page).first().getByRole('button', { name: 'Use this in my document' }).click();
    await expect(documentBox).toBeInViewport();
    await expect(documentBox).not.toHaveValue('');
    await page.getByRole('tab', { name: 'Chat' }).click();
    await sendAndAwaitReply(page, 'Make it shorter.', 2);
    await expectScaleOnOneRow(page.getByRole('form', { name: 'Rate your experience so far' }));
    await noHorizontalScroll(page);
    await rate(page, 7);

    await finishChat(page);
    await expect(page.getByRole('heading', { name: 'Final questions' })).toBeVisible();
    await noHorizontalScroll(page);
    await expectScaleOnOneRow(page.getByRole('group', { name: 'How good is your final document?' }));
    await expectScaleOnOneRow(page.getByRole('group', { name: 'How would you rate the interaction with the assistant overall?' }));
    for (const choice of await page.locator('.p-choice').all()) {
      const [radio, text] = await Promise.all([choice.locator('input').boundingBox(), choice.locator('span').boundingBox()]);
      expect(Math.abs(radio!.y - text!.y)).toBeLessThanOrEqual(8);
      expect(text!.x - (radio!.x + radio!.width)).toBeLessThanOrEqual(16);
    }
  });
});

/** Presses Tab until `target` has focus (keyboard only; fails if Tab never reaches it). */
async function tabTo(page: Page, target: Locator, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('Tab never reached the element');
}

test('the whole participant flow can be completed with the keyboard alone', async ({ page }) => {
  test.setTimeout(150_000);
  const { slug } = await baselineStudy();
  await page.goto(`/s/${slug}`);
  const heading = (name: string) => page.getByRole('heading', { name, level: 1 });

  await expect(heading('Consent')).toBeFocused();
  await tabTo(page, page.getByRole('button', { name: 'I agree to take part' }));
  await page.keyboard.press('Enter');

  await expect(heading('Instructions')).toBeFocused();
  await tabTo(page, page.getByRole('button', { name: 'Continue' }));
  await page.keyboard.press('Enter');

  await expect(heading('Your writing task')).toBeFocused();
  const topic = page.getByLabel('Choose a topic');
  // Submitting too early marks every missing answer and focuses the first.
  await tabTo(page, page.getByRole('button', { name: 'Start writing' }));
  await page.keyboard.press('Enter');
  await expect(topic).toBeFocused();
  await expect(page.locator('.error-text')).toHaveCount(3);
  await page.keyboard.press('ArrowDown');
  await expect(topic).not.toHaveValue('');
  for (const answer of await page.getByRole('form', { name: 'Your writing task' }).getByRole('textbox').all()) {
    await tabTo(page, answer);
    await page.keyboard.type('Night trains, for friends who travel');
  }
  await tabTo(page, page.getByRole('button', { name: 'Start writing' }));
  await page.keyboard.press('Enter');

  // Chat: the message box gets focus back after each reply, and the due rating after the second.
  const messageBox = page.getByLabel('Your message');
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await tabTo(page, messageBox);
  await page.keyboard.type('Write a blog post about night trains in Europe.');
  await page.keyboard.press('Enter');
  await expect(assistantMessages(page).first().getByRole('button', { name: 'Use this in my document' })).toBeVisible({ timeout: 20_000 });
  await expect(messageBox).toBeFocused();
  await page.keyboard.type('Make it friendlier.');
  await page.keyboard.press('Enter');
  const ratingForm = page.getByRole('form', { name: 'Rate your experience so far' });
  await expect(ratingForm.getByRole('radio', { name: '1 out of 10' })).toBeFocused({ timeout: 20_000 });
  // Radio-group semantics: arrows move the selection.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(ratingForm.getByRole('radio', { name: '3 out of 10' })).toBeChecked();
  await page.keyboard.press('ArrowLeft');
  await expect(ratingForm.getByRole('radio', { name: '2 out of 10' })).toBeChecked();
  await tabTo(page, ratingForm.getByRole('button', { name: 'Submit rating' }));
  await page.keyboard.press('Enter');
  await expect(ratingForm).toHaveCount(0);
  await expect(messageBox).toBeFocused();

  await tabTo(page, assistantMessages(page).nth(1).getByRole('button', { name: 'Use this in my document' }));
  await page.keyboard.press('Enter');
  const documentBox = page.getByRole('textbox', { name: 'Your document' });
  await expect(documentBox).toBeFocused();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' Thanks for reading.');
  await expect(documentBox).toHaveValue(/Thanks for reading\.$/);
  await expect(page.getByText('All changes saved')).toBeVisible();

  await tabTo(page, page.getByRole('button', { name: 'Finish' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alertdialog', { name: 'Finish the chat?' }).getByRole('button', { name: 'Yes, finish' })).toBeFocused();
  await page.keyboard.press('Enter');

  // Survey: the document is shown; an empty submit lists every error by its field and focuses the first.
  await expect(heading('Final questions')).toBeFocused();
  await expect(page.locator('.p-final-document')).toContainText('Thanks for reading.');
  await tabTo(page, page.getByRole('button', { name: 'Submit' }));
  await page.keyboard.press('Enter');
  const quality = page.getByRole('group', { name: 'How good is your final document?' });
  await expect(quality.getByRole('radio', { name: '1 out of 10' })).toBeFocused();
  await expect(page.locator('.error-text')).toHaveCount(7);
  await expect(page.getByText('7 answers need your attention')).toBeVisible();

  await page.keyboard.press('Space');
  for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight');
  await expect(quality.getByRole('radio', { name: '8 out of 10' })).toBeChecked();
  const overall = page.getByRole('group', { name: 'How would you rate the interaction with the assistant overall?' });
  await tabTo(page, overall.getByRole('radio', { name: '1 out of 10' }));
  await page.keyboard.press('Space');
  for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
  await expect(overall.getByRole('radio', { name: '9 out of 10' })).toBeChecked();
  await expect(page.locator('.error-text')).toHaveCount(5);

  await tabTo(page, page.getByRole('radio', { name: 'Red', exact: true }));
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: 'Purple', exact: true })).toBeChecked();
  await tabTo(page, page.getByLabel('What did the assistant do well?'));
  await page.keyboard.type('It drafted quickly and kept my tone.');
  await tabTo(page, page.getByLabel('What could the assistant have done better?'));
  await page.keyboard.type('It could have asked about my audience.');
  await tabTo(page, page.getByRole('radio', { name: 'A standard assistant' }));
  await page.keyboard.press('Space');
  await tabTo(page, page.getByRole('radio', { name: 'Strongly agree', exact: true }));
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: 'Strongly disagree', exact: true })).toBeChecked();
  await expect(page.locator('.error-text')).toHaveCount(0);
  await tabTo(page, page.getByRole('button', { name: 'Submit' }));
  await page.keyboard.press('Enter');

  await expect(heading('Thank you! You have completed the study.')).toBeFocused();
  await expect(page.getByLabel('Completion code')).toHaveText('CODE-DONE');
});
