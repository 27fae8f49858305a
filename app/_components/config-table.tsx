'use client';

import { useState, type FormEvent } from 'react';
import type { ConfigEntry } from '../_queries/topics';
import { Badge } from './ui';

// Kafka's DescribeConfigs source names, shortened the way kafka-configs.sh prints them.
const SOURCE_LABELS: Record<string, string> = {
  DYNAMIC_TOPIC_CONFIG: 'topic override',
  DYNAMIC_BROKER_CONFIG: 'broker (dynamic)',
  DYNAMIC_DEFAULT_BROKER_CONFIG: 'cluster default (dynamic)',
  STATIC_BROKER_CONFIG: 'server.properties',
  DEFAULT_CONFIG: 'default',
  DYNAMIC_BROKER_LOGGER_CONFIG: 'logger',
  UNKNOWN: 'unknown',
};

export function sourceLabel(source: string): string {
  return SOURCE_LABELS[source] ?? source.toLowerCase().replace(/_/g, ' ');
}

export interface ConfigEditing {
  pendingName: string | null;
  onSave: (name: string, value: string) => Promise<unknown>;
  onReset: (name: string) => Promise<unknown>;
}

export function ConfigTable({ configs, editing }: { configs: ConfigEntry[]; editing?: ConfigEditing }) {
  const [filter, setFilter] = useState('');
  const [overridesOnly, setOverridesOnly] = useState(false);
  const [editingName, setEditingName] = useState<string | null>(null);
  const needle = filter.trim().toLowerCase();
  const shown = configs
    .filter((c) => !needle || c.name.toLowerCase().includes(needle))
    .filter((c) => !overridesOnly || !c.isDefault)
    .sort((a, b) => a.name.localeCompare(b.name));
  const overrides = configs.filter((c) => !c.isDefault).length;
  return (
    <div data-testid="config-table">
      <div className="toolbar">
        <input
          type="search"
          className="input-search"
          placeholder="Filter configs"
          aria-label="Filter configs by name"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <label className="check">
          <input
            type="checkbox"
            checked={overridesOnly}
            onChange={(e) => setOverridesOnly(e.target.checked)}
          />
          Only non-default ({overrides})
        </label>
      </div>
      <table className="table table-configs">
        <thead>
          <tr>
            <th>Name</th>
            <th>Value</th>
            <th>Source</th>
            {editing ? <th className="actions-col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {shown.map((c) => (
            <tr key={c.name} data-config={c.name} className={c.isDefault ? undefined : 'row-override'}>
              <td className="mono config-name">{c.name}</td>
              <td className="config-value">
                {editing && editingName === c.name ? (
                  <EditValue
                    entry={c}
                    pending={editing.pendingName === c.name}
                    onCancel={() => setEditingName(null)}
                    onSave={async (v) => {
                      await editing.onSave(c.name, v);
                      setEditingName(null);
                    }}
                  />
                ) : c.isSensitive ? (
                  <span className="muted">(sensitive)</span>
                ) : c.value === null ? (
                  <span className="muted">null</span>
                ) : (
                  <span className="mono" data-testid="config-value">
                    {c.value}
                  </span>
                )}
              </td>
              <td className="config-source" data-testid="config-source">
                <Badge tone={c.isDefault ? 'neutral' : 'info'}>{sourceLabel(c.source)}</Badge>
                {c.readOnly ? <span className="muted small"> read-only</span> : null}
              </td>
              {editing ? (
                <td className="actions-col">
                  {c.readOnly || editingName === c.name ? null : (
                    <div className="row-actions">
                      <button
                        type="button"
                        className="btn btn-sm"
                        onClick={() => setEditingName(c.name)}
                        aria-label={`Edit ${c.name}`}
                        data-testid="config-edit"
                      >
                        Edit
                      </button>
                      {c.source === 'DYNAMIC_TOPIC_CONFIG' ? (
                        <button
                          type="button"
                          className="btn btn-sm"
                          disabled={editing.pendingName === c.name}
                          onClick={() => void editing.onReset(c.name).catch(() => undefined)}
                          aria-label={`Reset ${c.name} to default`}
                          data-testid="config-reset"
                        >
                          Reset
                        </button>
                      ) : null}
                    </div>
                  )}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length === 0 ? <p className="muted">No config matches.</p> : null}
    </div>
  );
}

function EditValue({
  entry,
  pending,
  onSave,
  onCancel,
}: {
  entry: ConfigEntry;
  pending: boolean;
  onSave: (value: string) => Promise<void>;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(entry.isSensitive ? '' : (entry.value ?? ''));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // The mutation reports its own error; the editor stays open so the value can be corrected.
    onSave(value).catch(() => undefined);
  };
  return (
    <form className="inline-edit" onSubmit={submit}>
      <input
        value={value}
        onChange={(e) => setValue(e.target.value)}
        aria-label={`New value for ${entry.name}`}
        className="mono"
        autoFocus
        data-testid="config-input"
        onKeyDown={(e) => {
          if (e.key === 'Escape') onCancel();
        }}
      />
      <button type="submit" className="btn btn-sm btn-primary" disabled={pending} data-testid="config-save">
        {pending ? 'Saving…' : 'Save'}
      </button>
      <button type="button" className="btn btn-sm" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
