'use client';

import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../../../../_queries/api';
import { useProduce, type ProduceInput } from '../../../../_queries/messages';
import { formatCount } from '../../../../_components/format';
import { Notice } from '../../../../_components/ui';
import { parseKeyValueLines } from '../../topic-form';

const MAX_COUNT = 1_000;

function summarize(results: { partition: number; offset: string }[]): string {
  const byPartition = new Map<number, string[]>();
  for (const r of results) byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r.offset]);
  const parts = [...byPartition.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([p, offsets]) => {
      const sorted = offsets.map(BigInt).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const first = sorted[0];
      const last = sorted[sorted.length - 1];
      return `partition ${p} ${first === last ? `offset ${formatCount(first)}` : `offsets ${formatCount(first)}–${formatCount(last)}`}`;
    });
  const n = results.length;
  return `Produced ${n === 1 ? '1 message' : `${formatCount(n)} messages`}: ${parts.join('; ')}.`;
}

export function ProduceForm({ topic, partitions }: { topic: string; partitions: number[] }) {
  const produce = useProduce(topic);
  const [partition, setPartition] = useState('');
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [headers, setHeaders] = useState('');
  const [count, setCount] = useState('1');
  const [localError, setLocalError] = useState<string | null>(null);
  const [result, setResult] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const id = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setResult(null);
    const parsed = parseKeyValueLines(headers);
    if (parsed.error) return setLocalError(`Headers: ${parsed.error}`);
    const n = Number(count || '1');
    if (!Number.isInteger(n) || n < 1 || n > MAX_COUNT)
      return setLocalError(`Count must be 1 to ${MAX_COUNT}.`);
    setLocalError(null);
    const input: ProduceInput = { value };
    if (partition !== '') input.partition = Number(partition);
    if (key !== '') input.key = key;
    if (parsed.entries.length) input.headers = Object.fromEntries(parsed.entries);
    if (n > 1) input.count = n;
    produce.mutate(input, {
      onSuccess: (res) => setResult({ kind: 'success', text: summarize(res?.results ?? []) }),
      onError: (err) => setResult({ kind: 'error', text: `Produce failed: ${errorMessage(err)}` }),
    });
  };

  return (
    <form className="form produce-form" onSubmit={submit} noValidate data-testid="produce-form">
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-partition`}>Partition</label>
          <select
            id={`${id}-partition`}
            value={partition}
            onChange={(e) => setPartition(e.target.value)}
            data-testid="produce-partition"
          >
            <option value="">Any (by key / round robin)</option>
            {partitions.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-count`}>Repeat count</label>
          <input
            id={`${id}-count`}
            inputMode="numeric"
            value={count}
            onChange={(e) => setCount(e.target.value)}
            data-testid="produce-count"
          />
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-key`}>Key</label>
        <input
          id={`${id}-key`}
          className="mono"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          placeholder="(none)"
          autoComplete="off"
          spellCheck={false}
          data-testid="produce-key"
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-value`}>Value</label>
        <textarea
          id={`${id}-value`}
          className="mono"
          rows={5}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          spellCheck={false}
          data-testid="produce-value"
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-headers`}>Headers</label>
        <textarea
          id={`${id}-headers`}
          className="mono"
          rows={2}
          value={headers}
          onChange={(e) => setHeaders(e.target.value)}
          placeholder="content-type=application/json"
          spellCheck={false}
          data-testid="produce-headers"
        />
        <p className="field-hint">One key=value per line.</p>
      </div>
      {localError ? (
        <p className="field-error" role="alert">
          {localError}
        </p>
      ) : null}
      {result ? (
        <Notice kind={result.kind} onClose={() => setResult(null)} testId="produce-result">
          {result.text}
        </Notice>
      ) : null}
      <div className="form-actions">
        <button
          type="submit"
          className="btn btn-primary"
          disabled={produce.isPending}
          data-testid="produce-submit"
        >
          {produce.isPending ? 'Producing…' : 'Produce'}
        </button>
      </div>
    </form>
  );
}
