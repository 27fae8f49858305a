import { describe, expect, it } from 'vitest';
import type { KafkaMessage, MessagePage } from '../../../../_queries/messages';
import { topicNameProblem } from '../../topic-form';
import { formToParams, pageLinks, DEFAULT_FORM } from './browse';
import { messagesToCsv } from './export';
import { renderValue } from './value-format';

const msg = (partition: number, offset: number, value: string | null = 'v'): KafkaMessage => ({
  partition,
  offset: String(offset),
  timestamp: 1_700_000_000_000 + offset,
  key: null,
  value,
  headers: [],
  keyBase64: null,
  valueBase64: value === null ? null : Buffer.from(value).toString('base64'),
});

const page = (messages: KafkaMessage[], low: number, high: number): MessagePage => ({
  messages,
  partitions: [{ partition: 0, low: String(low), high: String(high) }],
});

describe('message browser paging', () => {
  it('moves by offsets inside one partition and stops at the watermarks', () => {
    const shown = page(
      [10, 11, 12].map((o) => msg(0, o)),
      5,
      20,
    );
    const links = pageLinks({ partition: 0, offset: '10', limit: 3 }, shown);
    expect(links.older).toEqual({ partition: 0, limit: 3, offset: '7' });
    expect(links.newer).toEqual({ partition: 0, limit: 3, offset: '13' });
    const first = pageLinks(
      { partition: 0, offset: '5', limit: 3 },
      page(
        [5, 6, 7].map((o) => msg(0, o)),
        5,
        8,
      ),
    );
    expect(first.older).toBeUndefined();
    expect(first.newer).toBeUndefined();
    // Never pages to before the log start offset.
    expect(
      pageLinks(
        { partition: 0, offset: '6', limit: 3 },
        page(
          [6, 7].map((o) => msg(0, o)),
          5,
          8,
        ),
      ).older?.offset,
    ).toBe('5');
  });

  it('asks for a partition when the view spans several', () => {
    const two: MessagePage = {
      messages: [msg(0, 1), msg(1, 1)],
      partitions: [
        { partition: 0, low: '0', high: '5' },
        { partition: 1, low: '0', high: '5' },
      ],
    };
    expect(pageLinks({ position: 'newest', limit: 50 }, two)).toEqual({
      reason: 'Choose a partition to page through its offsets.',
    });
  });

  it('reads the time field as UTC and rejects a bad offset', () => {
    expect(
      formToParams({ ...DEFAULT_FORM, mode: 'timestamp', time: '2024-01-02T03:04:05.006' }).params?.timestamp,
    ).toBe(Date.UTC(2024, 0, 2, 3, 4, 5, 6));
    expect(formToParams({ ...DEFAULT_FORM, mode: 'offset', offset: '-1' }).error).toMatch(/whole number/);
  });
});

describe('value views and export', () => {
  it('renders hex, base64, pretty JSON and marks non-JSON', () => {
    const b64 = Buffer.from('hi!').toString('base64');
    expect(renderValue('hi!', b64, 'hex').text).toBe('68 69 21');
    expect(renderValue('hi!', b64, 'base64').text).toBe(b64);
    expect(renderValue('{"a":[1]}', null, 'json').text).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(renderValue('<b>x</b>', null, 'json')).toEqual({ text: '<b>x</b>', note: 'not JSON' });
    expect(renderValue(null, null, 'text')).toEqual({ text: 'null', isNull: true });
  });

  it('quotes CSV cells and defuses spreadsheet formulas in free text', () => {
    const rows = messagesToCsv([{ ...msg(0, 3, 'a,"b"'), key: '=HYPERLINK("x")' }]).split('\r\n');
    expect(rows[1]).toBe(`0,3,1700000000003,"'=HYPERLINK(""x"")","a,""b""",`);
  });
});

describe('topic name rules', () => {
  it("follows Kafka's Topic.validate", () => {
    expect(topicNameProblem('orders.v1_x-y')).toBeNull();
    expect(topicNameProblem('')).toMatch(/Enter/);
    expect(topicNameProblem('..')).toMatch(/cannot be named/);
    expect(topicNameProblem('a'.repeat(250))).toMatch(/at most 249/);
    expect(topicNameProblem('a b/c')).toMatch(/not space, "\/"/);
  });
});
