'use client';

import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../../../_queries/api';
import {
  useResetOffsets,
  type GroupDetail,
  type ResetInput,
  type ResetResult,
  type ResetTo,
} from '../../../_queries/groups';
import { compareInt64, formatCount, toBigInt } from '../../../_components/format';
import { Notice } from '../../../_components/ui';

const TARGETS: { id: ResetTo; label: string; valueLabel?: string }[] = [
  { id: 'earliest', label: 'Earliest' },
  { id: 'latest', label: 'Latest' },
  { id: 'timestamp', label: 'Timestamp', valueLabel: 'Time (UTC)' },
  { id: 'offset', label: 'Exact offset', valueLabel: 'Offset' },
  { id: 'shift', label: 'Shift by N', valueLabel: 'Shift (negative = back)' },
];

function buildInput(topic: string, to: ResetTo, value: string): { input?: ResetInput; error?: string } {
  if (!topic) return { error: 'Choose a topic.' };
  const input: ResetInput = { topic, to };
  if (to === 'timestamp') {
    const ms = Date.parse(`${value}Z`);
    if (!value || Number.isNaN(ms)) return { error: 'Pick a date and time (UTC).' };
    input.value = String(ms);
  } else if (to === 'offset') {
    if (!/^\d+$/.test(value.trim())) return { error: 'Offset must be a whole number, 0 or more.' };
    input.value = value.trim();
  } else if (to === 'shift') {
    if (!/^[-+]?\d+$/.test(value.trim())) return { error: 'Shift must be a whole number, e.g. -100 or 50.' };
    input.value = value.trim().replace(/^\+/, '');
  }
  return { input };
}

/**
 * Dry run first, then execute exactly what was previewed: Kafka only lets an Empty group's offsets be
 * changed, so the preview also surfaces "stop the consumers first" before anything happens.
 */
export function ResetOffsetsForm({ group, topics }: { group: GroupDetail; topics: string[] }) {
  const reset = useResetOffsets(group.groupId);
  const [topic, setTopic] = useState(topics[0] ?? '');
  const [to, setTo] = useState<ResetTo>('earliest');
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ input: ResetInput; result: ResetResult } | null>(null);
  const [outcome, setOutcome] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const id = useId();
  const target = TARGETS.find((t) => t.id === to)!;

  const clearPreview = () => {
    setPreview(null);
    setOutcome(null);
  };

  const runPreview = (e: FormEvent) => {
    e.preventDefault();
    const { input, error } = buildInput(topic, to, value);
    setProblem(error ?? null);
    setOutcome(null);
    if (!input) return;
    reset.mutate(
      { ...input, dryRun: true },
      {
        onSuccess: (result) => setPreview({ input, result }),
        onError: (err) => {
          setPreview(null);
          setOutcome({ kind: 'error', text: `Preview failed: ${errorMessage(err)}` });
        },
      },
    );
  };

  const execute = () => {
    if (!preview) return;
    reset.mutate(
      { ...preview.input, dryRun: false },
      {
        onSuccess: (result) => {
          setPreview(null);
          setOutcome({
            kind: 'success',
            text: `Reset ${result.offsets.length} partition${result.offsets.length === 1 ? '' : 's'} of ${preview.input.topic} for ${group.groupId}.`,
          });
        },
        onError: (err) => setOutcome({ kind: 'error', text: `Reset failed: ${errorMessage(err)}` }),
      },
    );
  };

  if (topics.length === 0) {
    return <p className="muted">The group has no committed offsets or assignments to reset.</p>;
  }

  return (
    <div data-testid="reset-form">
      {group.state !== 'Empty' && group.state !== 'Dead' ? (
        <Notice kind="info">
          The group is <strong>{group.state}</strong>. Kafka resets offsets only for an Empty group: stop its
          consumers first.
        </Notice>
      ) : null}
      <form className="browse-bar" onSubmit={runPreview}>
        <label className="inline-label">
          Topic
          <select
            value={topic}
            onChange={(e) => {
              setTopic(e.target.value);
              clearPreview();
            }}
            data-testid="reset-topic"
          >
            {topics.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-label">
          Reset to
          <select
            value={to}
            onChange={(e) => {
              setTo(e.target.value as ResetTo);
              setValue('');
              clearPreview();
            }}
            data-testid="reset-to"
          >
            {TARGETS.map((t) => (
              <option key={t.id} value={t.id}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        {target.valueLabel ? (
          <label className="inline-label" htmlFor={`${id}-value`}>
            {target.valueLabel}
            <input
              id={`${id}-value`}
              type={to === 'timestamp' ? 'datetime-local' : 'text'}
              step={to === 'timestamp' ? '0.001' : undefined}
              inputMode={to === 'timestamp' ? undefined : 'numeric'}
              className="mono input-narrow"
              value={value}
              onChange={(e) => {
                setValue(e.target.value);
                clearPreview();
              }}
              data-testid="reset-value"
            />
          </label>
        ) : null}
        <button type="submit" className="btn" disabled={reset.isPending} data-testid="reset-preview">
          {reset.isPending && !preview ? 'Previewing…' : 'Preview (dry run)'}
        </button>
      </form>
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      {outcome ? (
        <Notice kind={outcome.kind} onClose={() => setOutcome(null)} testId="reset-outcome">
          {outcome.text}
        </Notice>
      ) : null}
      {preview ? (
        <div className="preview" data-testid="reset-preview-table">
          <h3>
            Preview: {preview.input.topic} →{' '}
            {TARGETS.find((t) => t.id === preview.input.to)?.label.toLowerCase()}
            {preview.input.value !== undefined ? ` ${preview.input.value}` : ''}
          </h3>
          <table className="table">
            <thead>
              <tr>
                <th className="num">Partition</th>
                <th className="num">Current</th>
                <th className="num">New</th>
                <th className="num">Change</th>
              </tr>
            </thead>
            <tbody>
              {[...preview.result.offsets]
                .sort((a, b) => a.partition - b.partition)
                .map((o) => {
                  const prev = toBigInt(o.previous);
                  const next = toBigInt(o.next);
                  const delta = prev !== null && next !== null ? next - prev : null;
                  return (
                    <tr key={o.partition} data-partition={o.partition}>
                      <td className="num mono">{o.partition}</td>
                      <td className="num mono">{formatCount(o.previous)}</td>
                      <td className="num mono" data-col="next">
                        {formatCount(o.next)}
                      </td>
                      <td
                        className={compareInt64(o.next, o.previous) < 0 ? 'num mono warn-text' : 'num mono'}
                      >
                        {delta === null ? 'new' : delta > 0n ? `+${formatCount(delta)}` : formatCount(delta)}
                      </td>
                    </tr>
                  );
                })}
            </tbody>
          </table>
          <div className="form-actions">
            <button type="button" className="btn" onClick={clearPreview}>
              Cancel
            </button>
            <button
              type="button"
              className="btn btn-danger"
              onClick={execute}
              disabled={reset.isPending}
              data-testid="reset-execute"
            >
              {reset.isPending
                ? 'Resetting…'
                : `Reset ${preview.result.offsets.length} partition${preview.result.offsets.length === 1 ? '' : 's'}`}
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
