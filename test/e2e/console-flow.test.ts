import fs from 'node:fs';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSharedNextBuild } from '../api/next-build';
import { launchChromium } from '../helpers/browser';
import { withBroker, type TestBroker } from '../helpers/broker';
import { startNextServer, type NextServer } from '../helpers/next-server';
import { screenshot, textOf, until, waitForHydration, watchPage } from './ui';

// What a new user does in the console, in order, through a real browser against `next start` and a
// real broker: each step builds on the one before (the topic created in the first is deleted last).
describe('console pages (browser)', () => {
  const topic = 'ui-flow-orders';
  const bigger = 'ui-flow-zebra';
  const taken = 'ui-flow-taken';
  const group = 'ui-flow-billing';
  const xss = '<img src=x onerror=alert(1)><script>alert(2)</script>';
  const htmlHeader = '<b onmouseover=alert(3)>bold</b>';
  let broker: TestBroker | undefined;
  let next: NextServer | undefined;
  let browser: Browser | undefined;
  let kafka: Kafka;
  let admin: Admin | undefined;
  let page: Page;
  let seen: ReturnType<typeof watchPage>;

  const url = (path: string) => `${next!.url}${path}`;
  const goto = async (path: string) => {
    const res = await page.goto(url(path), { waitUntil: 'domcontentloaded' });
    expect(res?.status()).toBe(200);
    await waitForHydration(page);
  };
  const row = (selector: string) => page.locator(selector);

  beforeAll(async () => {
    const built = ensureSharedNextBuild();
    // The console browses through throwaway consumer groups; Kafka's 3 s first-rebalance delay
    // would make every browse slow.
    broker = await withBroker({ 'group.initial.rebalance.delay.ms': 0 });
    kafka = new Kafka({ clientId: 'e2e-flow', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: bigger, numPartitions: 4, replicationFactor: 1 },
        { topic: taken, numPartitions: 1, replicationFactor: 1 },
        { topic: 'unrelated-topic', numPartitions: 1, replicationFactor: 1 },
      ],
    });
    await built;
    [next, browser] = await Promise.all([startNextServer(broker.bootstrap), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(30_000);
    seen = watchPage(page);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await next?.stop();
    await admin?.disconnect().catch(() => undefined);
    await broker?.cleanup();
  }, 60_000);

  it('creates a topic from the dialog, showing name errors inline first', async () => {
    await goto('/topics');
    await page.getByTestId('create-topic').click();
    const dialog = page.getByTestId('create-topic-dialog');
    const name = dialog.getByTestId('topic-name-input');
    // Kafka's name rules, checked as the user types.
    await name.fill('bad name!');
    expect(await textOf(dialog.getByTestId('error-name'))).toContain('not space, "!"');
    // The broker's own answer (validateOnly) for a name that exists, against the same field.
    await name.fill(taken);
    await until('the "already exists" error', async () =>
      (
        await dialog
          .getByTestId('error-name')
          .innerText()
          .catch(() => '')
      ).includes('already exists'),
    );
    await screenshot(page, 'topics-create-dialog');
    await name.fill(topic);
    await dialog.getByTestId('topic-partitions-input').fill('2');
    await dialog.getByTestId('topic-rf-input').fill('1');
    await until(
      'the name error to clear',
      async () => (await dialog.getByTestId('error-name').count()) === 0,
    );
    await dialog.getByTestId('create-topic-submit').click();
    expect(await textOf(page.getByTestId('notice-success'))).toContain(`Created topic ${topic}.`);
    await page.getByTestId('create-topic-dialog').waitFor({ state: 'hidden' });
    const meta = await admin!.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0].partitions).toHaveLength(2);
  }, 60_000);

  it('finds the topic by search and sorts the list on the server', async () => {
    await goto('/topics');
    await page.getByTestId('topic-search').fill('ui-flow');
    const names = () =>
      page
        .locator('[data-testid=topics-table] tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-topic')));
    // The search is debounced into the URL, and the list follows the URL.
    await until('the search in the URL', async () => page.url().includes('search=ui-flow'));
    await until('the search to narrow the list', async () => (await names()).length === 3);
    expect(await names()).toEqual([topic, taken, bigger]);
    // Numeric columns sort descending first.
    await page.getByTestId('sort-partitions').click();
    await until('partitions descending', async () => (await names())[0] === bigger);
    expect(page.url()).toContain('sort=partitions');
    await page.getByTestId('sort-partitions').click();
    await until('partitions ascending', async () => (await names())[2] === bigger);
    expect((await names())[0]).not.toBe(bigger);
    await page.getByTestId('sort-name').click();
    await until('name ascending', async () => (await names())[0] === topic);
    expect(await textOf(row(`tr[data-topic="${topic}"] td[data-col=partitions]`))).toBe('2');
    await screenshot(page, 'topics');
  }, 60_000);

  it('opens the topic page with its partitions', async () => {
    await page.locator(`tr[data-topic="${topic}"] [data-testid=topic-link]`).click();
    await page.waitForURL(`**/topics/${topic}`);
    expect(await textOf(page.getByTestId('topic-title'))).toBe(topic);
    await until(
      'two partition rows',
      async () => (await row('[data-testid=partitions-table] tbody tr').count()) === 2,
    );
    expect(await textOf(row('tr[data-partition="0"] [data-testid=partition-status]'))).toContain('in sync');
  }, 60_000);

  it('produces messages from the browser, HTML and scripts in them shown as inert text', async () => {
    await page.getByTestId('browse-messages').click();
    await page.waitForURL(`**/topics/${topic}/messages`);
    await textOf(page.getByTestId('empty-state'));
    await page.getByTestId('produce-toggle').click();
    const form = page.getByTestId('produce-form');
    const produce = async (key: string, value: string, headers = '', expected: string) => {
      await form.getByTestId('produce-partition').selectOption('0');
      await form.getByTestId('produce-key').fill(key);
      await form.getByTestId('produce-value').fill(value);
      await form.getByTestId('produce-headers').fill(headers);
      await form.getByTestId('produce-submit').click();
      await until(`"${expected}"`, async () =>
        (
          await form
            .getByTestId('produce-result')
            .innerText()
            .catch(() => '')
        ).includes(expected),
      );
    };
    await produce(
      'k-json',
      '{"greeting":"hello","n":1}',
      'content-type=application/json',
      'partition 0 offset 0.',
    );
    await produce(
      'k-xss',
      xss,
      `x-html=${htmlHeader}\ntrace=<script>alert(4)</script>`,
      'partition 0 offset 1.',
    );
    await produce('k-text', 'third', '', 'partition 0 offset 2.');

    const rows = row('[data-testid=messages-table] tr[data-testid=message-row]');
    await until('three messages in the browser view', async () => (await rows.count()) === 3);
    const xssRow = row('tr[data-testid=message-row][data-offset="1"]');
    expect(await xssRow.getByTestId('message-value').innerText()).toBe(xss);
    expect(await xssRow.getByTestId('message-key').innerText()).toBe('k-xss');
    const headers = await xssRow.getByTestId('message-headers').innerText();
    expect(headers).toContain(htmlHeader);
    expect(headers).toContain('<script>alert(4)</script>');
    expect(await page.getByText(xss, { exact: true }).isVisible()).toBe(true);
    // Nothing was parsed as markup: no elements from the payload, no alert() ran.
    expect(
      await row(
        '[data-testid=messages-table] img, [data-testid=messages-table] script, [data-testid=messages-table] b',
      ).count(),
    ).toBe(0);
    expect(seen.dialogs).toEqual([]);
    await screenshot(page, 'messages');

    await page.getByTestId('view-json').click();
    await until('pretty JSON', async () =>
      (await row('tr[data-offset="0"] [data-testid=message-value]').innerText()).includes(
        '"greeting": "hello",\n',
      ),
    );
    await page.getByTestId('view-hex').click();
    await until(
      'hex bytes',
      async () =>
        (await row('tr[data-offset="2"] [data-testid=message-value]').innerText()) === '74 68 69 72 64',
    );
    await screenshot(page, 'messages-hex');
    await page.getByTestId('view-base64').click();
    await until(
      'base64',
      async () => (await row('tr[data-offset="2"] [data-testid=message-value]').innerText()) === 'dGhpcmQ=',
    );
    await page.getByTestId('view-text').click();
    expect(seen.dialogs).toEqual([]);
  }, 90_000);

  it('exports the shown page as JSON and CSV', async () => {
    const [jsonDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-json').click(),
    ]);
    const exported = JSON.parse(fs.readFileSync((await jsonDownload.path())!, 'utf8')) as {
      topic: string;
      messages: { offset: string; value: string; headers: { key: string; value: string }[] }[];
    };
    expect(exported.topic).toBe(topic);
    expect(exported.messages.map((m) => m.offset)).toEqual(['0', '1', '2']);
    expect(exported.messages[1].value).toBe(xss);
    const [csvDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-csv').click(),
    ]);
    expect(csvDownload.suggestedFilename()).toMatch(/\.csv$/);
    const csv = fs.readFileSync((await csvDownload.path())!, 'utf8').split('\r\n');
    expect(csv[0]).toBe('partition,offset,timestamp,key,value,headers');
    expect(csv).toHaveLength(5); // header, 3 rows, trailing newline
    expect(csv[2]).toContain(`,k-xss,${xss},`);
  }, 60_000);

  it('repeats a record N times and pages through one partition by offset', async () => {
    const form = page.getByTestId('produce-form');
    await form.getByTestId('produce-partition').selectOption('1');
    await form.getByTestId('produce-key').fill('');
    await form.getByTestId('produce-value').fill('repeated');
    await form.getByTestId('produce-headers').fill('');
    await form.getByTestId('produce-count').fill('25');
    await form.getByTestId('produce-submit').click();
    await until('25 produced', async () =>
      (
        await form
          .getByTestId('produce-result')
          .innerText()
          .catch(() => '')
      ).includes('Produced 25 messages: partition 1 offsets 0–24.'),
    );
    await page.getByTestId('browse-partition').selectOption('1');
    await page.getByTestId('mode-oldest').click();
    await page.getByTestId('browse-limit').selectOption('20');
    await page.getByTestId('browse-submit').click();
    const offsets = () =>
      row('tr[data-testid=message-row]').evaluateAll((rows) =>
        rows.map((r) => Number(r.getAttribute('data-offset'))),
      );
    await until('offsets 0-19', async () => (await offsets()).join() === [...Array(20).keys()].join());
    expect(await page.getByTestId('page-older').isDisabled()).toBe(true);
    await page.getByTestId('page-newer').click();
    await until('offsets 20-24', async () => (await offsets()).join() === '20,21,22,23,24');
    expect(await page.getByTestId('page-newer').isDisabled()).toBe(true);
    await page.getByTestId('page-older').click();
    await until(
      'back to offsets 0-19',
      async () => (await offsets()).length === 20 && (await offsets())[0] === 0,
    );
  }, 90_000);

  it('shows a consumer group made by a kafkajs consumer, with its lag', async () => {
    const consumer = kafka.consumer({ groupId: group, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      // Commits past the first record of partition 0 only: 2 of its 3 records stay unread.
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              if (partition === 0 && message.offset === '0') {
                await consumer.commitOffsets([{ topic, partition: 0, offset: '1' }]);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    await goto('/groups');
    const groupRow = row(`tr[data-group="${group}"]`);
    expect(await textOf(groupRow.locator('td[data-col=lag]'))).toBe('2');
    await screenshot(page, 'groups');
    await groupRow.getByRole('link', { name: group }).click();
    await page.waitForURL(`**/groups/${group}`);
    const p0 = row(`[data-testid=offsets-table] tr[data-topic="${topic}"][data-partition="0"]`);
    expect(await textOf(p0.locator('td[data-col=committed]'))).toBe('1');
    expect(await p0.locator('td[data-col=log-end]').innerText()).toBe('3');
    expect(await p0.locator('td[data-col=lag]').innerText()).toBe('2');
    expect(await textOf(page.getByTestId('group-lag'))).toContain('2');
  }, 90_000);

  it('resets the group to earliest after a dry-run preview, and the lag rises', async () => {
    await page.getByTestId('reset-topic').selectOption(topic);
    await page.getByTestId('reset-to').selectOption('earliest');
    await page.getByTestId('reset-preview').click();
    const preview = page.getByTestId('reset-preview-table');
    expect(await textOf(preview.locator('tr[data-partition="0"] td[data-col=next]'))).toBe('0');
    await screenshot(page, 'group');
    // The preview changed nothing yet.
    const committed = async () =>
      (await admin!.fetchOffsets({ groupId: group, topics: [topic] }))[0].partitions.find(
        (p) => p.partition === 0,
      )?.offset;
    expect(await committed()).toBe('1');
    await page.getByTestId('reset-execute').click();
    expect(await textOf(page.getByTestId('reset-outcome'))).toContain(`for ${group}.`);
    expect(await committed()).toBe('0');
    await until(
      'lag 3',
      async () =>
        (await row(`[data-testid=offsets-table] tr[data-partition="0"] td[data-col=lag]`).innerText()) ===
        '3',
    );
  }, 60_000);

  it('lists the group with its lag on the topic page and edits a config there', async () => {
    await goto(`/topics/${topic}`);
    // Partition 0: 3 - 0; partition 1, committed at 0 by the reset: 25 - 0.
    expect(await textOf(row(`[data-testid=topic-groups] tr[data-group="${group}"] td[data-col=lag]`))).toBe(
      '28',
    );
    const config = row('tr[data-config="max.message.bytes"]');
    expect(await textOf(config.getByTestId('config-source'))).toContain('default');
    await config.getByTestId('config-edit').click();
    await config.getByTestId('config-input').fill('2000000');
    await config.getByTestId('config-save').click();
    expect(await textOf(page.getByTestId('notice-success'))).toContain('Set max.message.bytes = 2000000.');
    await until('the override source', async () =>
      (await config.getByTestId('config-source').innerText()).includes('topic override'),
    );
    expect(await config.getByTestId('config-value').innerText()).toBe('2000000');
    const described = await admin!.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: topic, configNames: ['max.message.bytes'] }],
    });
    expect(described.resources[0].configEntries[0].configValue).toBe('2000000');
  }, 60_000);

  it('purges the topic after confirmation', async () => {
    await page.getByTestId('purge-topic').click();
    const dialog = page.getByTestId('purge-dialog');
    await dialog.getByTestId('confirm-button').click();
    await until('the purge notice', async () =>
      (
        await page
          .getByTestId('notice-success')
          .innerText()
          .catch(() => '')
      ).includes(`Purged 2 partitions of ${topic}`),
    );
    await until(
      'earliest offsets moved to the end',
      async () =>
        (await row('tr[data-partition="0"] td[data-col=earliest]').innerText()) === '3' &&
        (await row('tr[data-partition="1"] td[data-col=earliest]').innerText()) === '25',
    );
    expect(await textOf(page.getByTestId('stat-messages'))).toContain('0');
    await screenshot(page, 'topic');
  }, 60_000);

  it('shows the overview, refreshing without a reload, and the brokers with their configs', async () => {
    await goto('/');
    const topRow = row(`[data-testid=top-topics] tr[data-topic="${bigger}"] td[data-col=messages]`);
    expect(await textOf(topRow)).toBe('0');
    expect(await textOf(row(`[data-testid=top-groups] tr[data-group="${group}"] td[data-col=lag]`))).toBe(
      '28',
    );
    expect(await textOf(row('[data-testid=groups-by-state] li[data-state="Empty"] .state-count'))).toBe('1');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: bigger,
      messages: Array.from({ length: 7 }, (_, i) => ({ value: `m${i}` })),
    });
    await producer.disconnect();
    // Overview queries refetch every 5 s.
    await until(
      'the overview to pick up new messages',
      async () => (await topRow.innerText()) === '7',
      20_000,
    );
    expect(await row('section.error-box').count()).toBe(0);
    await screenshot(page, 'overview');

    await goto('/brokers');
    const brokerRow = row(`tr[data-node-id="${broker!.nodeId}"]`);
    expect(await textOf(brokerRow)).toContain(broker!.bootstrap);
    await screenshot(page, 'brokers');
    await brokerRow.getByTestId(`broker-configs-${broker!.nodeId}`).click();
    await page.waitForURL(`**/brokers/${broker!.nodeId}`);
    await textOf(row('tr[data-config="num.partitions"]'));
    await screenshot(page, 'broker-configs');
  }, 60_000);

  it('deletes the topic after the name is typed', async () => {
    await goto(`/topics/${topic}`);
    await page.getByTestId('delete-topic').click();
    const dialog = page.getByTestId('delete-topic-dialog');
    const confirm = dialog.getByTestId('confirm-button');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByTestId('confirm-input').fill(topic.slice(0, -1));
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByTestId('confirm-input').fill(topic);
    await confirm.click();
    await page.waitForURL('**/topics?deleted=*');
    expect(await textOf(page.getByTestId('notice-success'))).toContain(`Deleted topic ${topic}.`);
    await until(
      'the topic to leave the list',
      async () => (await row(`tr[data-topic="${topic}"]`).count()) === 0,
    );
    expect((await admin!.listTopics()).includes(topic)).toBe(false);
    expect(seen.dialogs).toEqual([]);
    expect(seen.errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
  }, 60_000);
});
