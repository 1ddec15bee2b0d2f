/** Shared steps for the participant specs: a database handle for creating test studies, and the flow's steps. */
import { expect, type Page } from '@playwright/test';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import * as schema from '../db/schema';
import type { Database } from '../db';
import { e2eDatabaseUrl, e2eLlmPort } from './support/env';
import { startFakeOpenAIServer } from '../scripts/fake-openai-server';

export const fakeLlmRoot = `http://127.0.0.1:${e2eLlmPort}`;
export const fakeLlmUrl = `${fakeLlmRoot}/v1`;

let client: ReturnType<typeof postgres> | undefined;
export function e2eDb(): Database {
  client ??= postgres(e2eDatabaseUrl(), { max: 2, onnotice: () => {} });
  return drizzle(client, { schema, casing: 'snake_case' }) as unknown as Database;
}
export async function closeE2eDb() {
  await client?.end();
  client = undefined;
}

/**
 * Specs that queue replies or failures start their own fake endpoint (in the spec process), because the shared
 * one from serve.ts serves every spec running in parallel and a queued failure would hit someone else's request.
 */
export async function privateFakeLlm(opts: { tokenDelayMs?: number } = {}) {
  return startFakeOpenAIServer({ host: '127.0.0.1', tokenDelayMs: opts.tokenDelayMs ?? 20 });
}

export async function fakeLlmControl(path: 'reset' | 'fail-next' | 'replies', body?: unknown) {
  const res = await fetch(`${fakeLlmRoot}/__fake/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.ok).toBe(true);
}

/** Consent, instructions and the pre-chat questions (works for any study config: first topic, every question answered). */
export async function consentAndSetup(page: Page) {
  await page.getByRole('button', { name: 'I agree to take part' }).click();
  await expect(page.getByRole('heading', { name: 'Instructions' })).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Choose a topic').selectOption({ index: 1 });
  const setup = page.getByRole('form', { name: 'Your writing task' });
  for (const answer of await setup.getByRole('textbox').all()) await answer.fill('Night trains in Europe, for friends who like travel');
  await page.getByRole('button', { name: 'Start writing' }).click();
  await expect(page.getByLabel('Your message')).toBeVisible();
}

export function assistantMessages(page: Page) {
  return page.getByRole('article', { name: 'Assistant' });
}

/** Sends one message and waits until its reply is complete (the "use this" button appears). */
export async function sendAndAwaitReply(page: Page, text: string, expectedReplies: number) {
  await page.getByLabel('Your message').fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(assistantMessages(page)).toHaveCount(expectedReplies);
  await expect(assistantMessages(page).nth(expectedReplies - 1).getByRole('button', { name: 'Use this in my document' })).toBeVisible({
    timeout: 20_000,
  });
}

export async function rate(page: Page, value: number) {
  const form = page.getByRole('form', { name: 'Rate your experience so far' });
  await form.getByRole('radio', { name: `${value} out of 10` }).check();
  await form.getByRole('button', { name: 'Submit rating' }).click();
  await expect(form).toHaveCount(0);
}

/** Finish, then confirm in the "Finish the chat?" prompt. */
export async function finishChat(page: Page) {
  await page.getByRole('button', { name: 'Finish' }).click();
  await page.getByRole('alertdialog', { name: 'Finish the chat?' }).getByRole('button', { name: 'Yes, finish' }).click();
}

export async function answerSurvey(page: Page, opts: { passChecks: boolean; documentQuality?: number; overallInteraction?: number }) {
  await expect(page.getByRole('heading', { name: 'Final questions' })).toBeVisible();
  await page.getByRole('group', { name: 'How good is your final document?' }).getByRole('radio', { name: `${opts.documentQuality ?? 8} out of 10` }).check();
  await page
    .getByRole('group', { name: 'How would you rate the interaction with the assistant overall?' })
    .getByRole('radio', { name: `${opts.overallInteraction ?? 9} out of 10` })
    .check();
  await page.getByLabel('What did the assistant do well?').fill('It asked good questions and helped me structure the post.');
  await page.getByLabel('What could the assistant have done better?').fill('Some replies were longer than I needed.');
  await page.getByRole('group', { name: 'Which kind of assistant do you think you talked to?' }).getByRole('radio').last().check();
  await page.getByRole('radio', { name: opts.passChecks ? 'Purple' : 'Red', exact: true }).check();
  await page.getByRole('radio', { name: opts.passChecks ? 'Strongly disagree' : 'Strongly agree', exact: true }).check();
  await page.getByRole('button', { name: 'Submit' }).click();
}

const turnTexts = [
  'I want to write about night trains in Europe.',
  'Make it friendlier and mention the sleeper cabins.',
  'Add a short opening about my first trip from Vienna.',
  'Can you make the middle part shorter?',
  'Please add a sentence about booking tips.',
  'I like it. Can you suggest a title?',
  'Use the second title and tidy the ending.',
  'Good. One last pass for flow, please.',
];

/** From the chat to the ending: `turns` messages (the study's minimum), rating whenever one is due. */
export async function chatAndFinish(
  page: Page,
  opts: { turns?: number; ratingInterval?: number; passChecks?: boolean; finalDocument?: string; documentQuality?: number; overallInteraction?: number } = {},
) {
  const turns = opts.turns ?? 2;
  const ratingInterval = opts.ratingInterval ?? 2;
  const document = page.getByRole('textbox', { name: 'Your document' });
  for (let turn = 1; turn <= turns; turn++) {
    await sendAndAwaitReply(page, turnTexts[(turn - 1) % turnTexts.length]!, turn);
    if (turn === 1) {
      await expect(page.getByRole('button', { name: 'Finish' })).toBeDisabled();
      await assistantMessages(page).first().getByRole('button', { name: 'Use this in my document' }).click();
      await expect(document).not.toHaveValue('');
    }
    if (turn % ratingInterval === 0) await rate(page, 7);
  }
  await document.fill(opts.finalDocument ?? 'Night trains: my own final version of the post.');
  await expect(page.getByText('All changes saved')).toBeVisible();
  await finishChat(page);
  await answerSurvey(page, { passChecks: opts.passChecks ?? true, documentQuality: opts.documentQuality, overallInteraction: opts.overallInteraction });
}
