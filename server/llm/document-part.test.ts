import { describe, expect, it } from 'vitest';
import { documentToInsert, markDocument, splitReply } from './document-part';

describe('document markers in replies', () => {
  it('splits a marked reply into lead-in, document and follow-up', () => {
    const reply = `Sure! Here it is:\n\n${markDocument('# Title\n\nBody text.')}\n\nWant it shorter?`;
    expect(splitReply(reply)).toEqual({ before: 'Sure! Here it is:', document: '# Title\n\nBody text.', after: 'Want it shorter?', open: false });
    expect(documentToInsert(reply)).toBe('# Title\n\nBody text.');
  });

  it('uses the whole reply when nothing is marked, and the last document when several are', () => {
    expect(documentToInsert('  Just a plain answer.  ')).toBe('Just a plain answer.');
    expect(splitReply('Plain').document).toBeNull();
    const two = `Old:\n<document>\nv1\n</document>\nNew:\n<document>\nv2\n</document>\nBetter?`;
    expect(splitReply(two)).toMatchObject({ document: 'v2', after: 'Better?' });
  });

  it('tolerates spacing and case around the markers, and an unclosed marker (streaming or a forgetful model)', () => {
    expect(documentToInsert('Here:\n  <DOCUMENT>  \nText\n </Document>\nDone')).toBe('Text');
    expect(splitReply('Lead\n<document>\nHalf a dra')).toEqual({ before: 'Lead', document: 'Half a dra', after: '', open: true });
    expect(documentToInsert('Lead\n<document>\nAll of it')).toBe('All of it');
  });

  it('ignores the tag in running text: only a line of its own is a marker', () => {
    expect(splitReply('I will put it in a <document> block next time.').document).toBeNull();
  });
});
