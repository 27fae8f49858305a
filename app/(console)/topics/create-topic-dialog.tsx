'use client';

import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, ApiError, errorMessage } from '../../_queries/api';
import { useCreateTopic, type CreateTopicInput } from '../../_queries/topics';
import { Dialog } from '../../_components/dialog';
import { parseKeyValueLines, topicNameProblem, topicNameWarning } from './topic-form';

type Field = 'name' | 'partitions' | 'replicationFactor' | 'configs';
type FieldErrors = Partial<Record<Field | 'form', string>>;

function fieldOf(err: ApiError): Field | 'form' {
  const f = err.field ?? '';
  if (f === 'name' || f === 'partitions' || f === 'replicationFactor') return f;
  if (f.startsWith('configs')) return 'configs';
  return 'form';
}

function buildInput(name: string, partitions: string, rf: string, configs: string) {
  const errors: FieldErrors = {};
  const nameProblem = topicNameProblem(name);
  if (nameProblem) errors.name = nameProblem;
  const input: CreateTopicInput = { name };
  if (partitions.trim()) {
    const n = Number(partitions);
    if (!Number.isInteger(n) || n < 1) errors.partitions = 'Partitions must be a whole number, 1 or more.';
    else input.partitions = n;
  }
  if (rf.trim()) {
    const n = Number(rf);
    if (!Number.isInteger(n) || n < 1)
      errors.replicationFactor = 'Replication factor must be a whole number, 1 or more.';
    else input.replicationFactor = n;
  }
  const parsed = parseKeyValueLines(configs);
  if (parsed.error) errors.configs = parsed.error;
  else if (parsed.entries.length) input.configs = Object.fromEntries(parsed.entries);
  return { input, errors };
}

export function CreateTopicDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (name: string) => void;
}) {
  const [name, setName] = useState('');
  const [partitions, setPartitions] = useState('3');
  const [rf, setRf] = useState('1');
  const [configs, setConfigs] = useState('');
  const [touched, setTouched] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const create = useCreateTopic();
  const ids = { name: useId(), partitions: useId(), rf: useId(), configs: useId() };

  const { input, errors: localErrors } = buildInput(name, partitions, rf, configs);
  const hasLocal = Object.keys(localErrors).length > 0;

  // Ask the broker (validateOnly) as the user types: "already exists" or a bad config value shows
  // before the submit, in Kafka's own words.
  useEffect(() => {
    if (!open || hasLocal || !name) {
      setServerErrors({});
      return;
    }
    const ctrl = new AbortController();
    const t = setTimeout(() => {
      api('/api/v1/topics', { method: 'POST', body: { ...input, validateOnly: true }, signal: ctrl.signal })
        .then(() => setServerErrors({}))
        .catch((err: unknown) => {
          if (err instanceof ApiError && err.status >= 400 && err.status < 500) {
            setServerErrors({ [fieldOf(err)]: err.message });
          }
        });
    }, 400);
    return () => {
      clearTimeout(t);
      ctrl.abort();
    };
    // The input object is rebuilt each render; its source strings are the real dependencies.
  }, [open, name, partitions, rf, configs, hasLocal]);

  const reset = () => {
    setName('');
    setPartitions('3');
    setRf('1');
    setConfigs('');
    setTouched(false);
    setServerErrors({});
    create.reset();
  };

  const close = () => {
    reset();
    onClose();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (hasLocal) return;
    create.mutate(input, {
      onSuccess: (data) => {
        reset();
        onCreated(data?.name ?? input.name);
      },
      onError: (err) => {
        setServerErrors(
          err instanceof ApiError ? { [fieldOf(err)]: err.message } : { form: errorMessage(err) },
        );
      },
    });
  };

  const shown = (f: Field): string | undefined =>
    serverErrors[f] ?? (touched || (f === 'name' ? name.length > 0 : true) ? localErrors[f] : undefined);
  const warning = !shown('name') ? topicNameWarning(name) : null;

  return (
    <Dialog open={open} title="Create topic" onClose={close} testId="create-topic-dialog">
      <form className="form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={ids.name}>Name</label>
          <input
            id={ids.name}
            name="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoFocus
            autoComplete="off"
            spellCheck={false}
            aria-invalid={shown('name') ? true : undefined}
            aria-describedby={`${ids.name}-msg`}
            data-testid="topic-name-input"
          />
          <FieldMessage
            id={`${ids.name}-msg`}
            error={shown('name')}
            hint={warning ?? 'Letters, digits, ".", "_", "-"; up to 249.'}
            testId="error-name"
          />
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor={ids.partitions}>Partitions</label>
            <input
              id={ids.partitions}
              name="partitions"
              inputMode="numeric"
              value={partitions}
              onChange={(e) => setPartitions(e.target.value)}
              aria-invalid={shown('partitions') ? true : undefined}
              aria-describedby={`${ids.partitions}-msg`}
              data-testid="topic-partitions-input"
            />
            <FieldMessage
              id={`${ids.partitions}-msg`}
              error={shown('partitions')}
              testId="error-partitions"
            />
          </div>
          <div className="field">
            <label htmlFor={ids.rf}>Replication factor</label>
            <input
              id={ids.rf}
              name="replicationFactor"
              inputMode="numeric"
              value={rf}
              onChange={(e) => setRf(e.target.value)}
              aria-invalid={shown('replicationFactor') ? true : undefined}
              aria-describedby={`${ids.rf}-msg`}
              data-testid="topic-rf-input"
            />
            <FieldMessage
              id={`${ids.rf}-msg`}
              error={shown('replicationFactor')}
              testId="error-replicationFactor"
            />
          </div>
        </div>
        <div className="field">
          <label htmlFor={ids.configs}>Configs</label>
          <textarea
            id={ids.configs}
            name="configs"
            rows={3}
            className="mono"
            placeholder={'cleanup.policy=compact\nretention.ms=604800000'}
            value={configs}
            onChange={(e) => setConfigs(e.target.value)}
            aria-invalid={shown('configs') ? true : undefined}
            aria-describedby={`${ids.configs}-msg`}
            data-testid="topic-configs-input"
          />
          <FieldMessage
            id={`${ids.configs}-msg`}
            error={shown('configs')}
            hint="Optional, one key=value per line."
            testId="error-configs"
          />
        </div>
        {serverErrors.form ? (
          <p className="field-error" role="alert" data-testid="error-form">
            {serverErrors.form}
          </p>
        ) : null}
        <div className="form-actions">
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn btn-primary"
            disabled={create.isPending}
            data-testid="create-topic-submit"
          >
            {create.isPending ? 'Creating…' : 'Create topic'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function FieldMessage({
  id,
  error,
  hint,
  testId,
}: {
  id: string;
  error?: string;
  hint?: string | null;
  testId: string;
}) {
  if (error) {
    return (
      <p id={id} className="field-error" data-testid={testId}>
        {error}
      </p>
    );
  }
  return hint ? (
    <p id={id} className="field-hint">
      {hint}
    </p>
  ) : null;
}
