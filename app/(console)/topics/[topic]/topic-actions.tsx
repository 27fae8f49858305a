'use client';

import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../../../_queries/api';
import { useAddPartitions, usePurgeTopic, type TopicDetail } from '../../../_queries/topics';
import { ConfirmDialog, Dialog } from '../../../_components/dialog';
import { formatCount } from '../../../_components/format';

export function AddPartitionsDialog({
  open,
  topic,
  onClose,
  onDone,
}: {
  open: boolean;
  topic: TopicDetail;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const current = topic.partitions.length;
  const [count, setCount] = useState('');
  const add = useAddPartitions(topic.name);
  const id = useId();
  const n = Number(count || current + 1);
  const problem = !Number.isInteger(n)
    ? 'Enter a whole number.'
    : n <= current
      ? `Must be more than ${current}.`
      : null;
  const close = () => {
    setCount('');
    add.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (problem) return;
    add.mutate(n, {
      onSuccess: () => {
        setCount('');
        onDone(`${topic.name} now has ${n} partitions (was ${current}).`);
      },
    });
  };
  return (
    <Dialog open={open} title="Add partitions" onClose={close} testId="add-partitions-dialog">
      <form className="form" onSubmit={submit} noValidate>
        <p className="dialog-text">
          Kafka can only add partitions, never remove them. Keys hash to partitions by count, so records with
          the same key may land in a different partition from now on.
        </p>
        <div className="field">
          <label htmlFor={id}>New total partition count</label>
          <input
            id={id}
            inputMode="numeric"
            placeholder={String(current + 1)}
            value={count}
            onChange={(e) => setCount(e.target.value)}
            autoFocus
            aria-invalid={problem && count ? true : undefined}
            data-testid="partition-count-input"
          />
          {problem && count ? (
            <p className="field-error">{problem}</p>
          ) : (
            <p className="field-hint">Currently {current}.</p>
          )}
        </div>
        {add.isError ? (
          <p className="field-error" role="alert">
            {errorMessage(add.error)}
          </p>
        ) : null}
        <div className="form-actions">
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn btn-primary"
            disabled={!!problem || add.isPending}
            data-testid="add-partitions-submit"
          >
            {add.isPending ? 'Adding…' : `Increase to ${Number.isInteger(n) ? n : '…'}`}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function PurgeDialog({
  open,
  topic,
  onClose,
  onDone,
}: {
  open: boolean;
  topic: TopicDetail;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const [partition, setPartition] = useState<'all' | number>('all');
  const purge = usePurgeTopic(topic.name);
  const id = useId();
  const close = () => {
    setPartition('all');
    purge.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={open}
      title={`Purge ${topic.name}`}
      confirmLabel="Purge messages"
      pending={purge.isPending}
      error={purge.isError ? errorMessage(purge.error) : null}
      testId="purge-dialog"
      onClose={close}
      onConfirm={() =>
        purge.mutate(partition === 'all' ? undefined : [partition], {
          onSuccess: (res) => {
            const parts = res?.partitions ?? [];
            const detail = parts
              .slice(0, 6)
              .map((p) => `p${p.partition} from ${formatCount(p.lowWatermark)}`)
              .join(', ');
            setPartition('all');
            onDone(
              `Purged ${parts.length === 1 ? '1 partition' : `${parts.length} partitions`} of ${topic.name}` +
                (detail ? `: now starting at ${detail}${parts.length > 6 ? ', …' : ''}.` : '.'),
            );
          },
        })
      }
    >
      <p>
        Deletes every message currently in the chosen partitions (DeleteRecords up to the high watermark). The
        topic and its configs stay; consumers positioned before the new start offset reset by their
        auto.offset.reset policy.
      </p>
      <div className="field">
        <label htmlFor={id}>Partitions</label>
        <select
          id={id}
          value={String(partition)}
          onChange={(e) => setPartition(e.target.value === 'all' ? 'all' : Number(e.target.value))}
          data-testid="purge-partition"
        >
          <option value="all">All {topic.partitions.length} partitions</option>
          {topic.partitions.map((p) => (
            <option key={p.partition} value={p.partition}>
              Partition {p.partition} ({formatCount(p.earliestOffset)}–{formatCount(p.latestOffset)})
            </option>
          ))}
        </select>
      </div>
    </ConfirmDialog>
  );
}
