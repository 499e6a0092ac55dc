import { useEffect, useState } from 'react';
import type { ColumnSchema, Dataset, FieldError, ParameterDescription, ParameterValue, TableSchema } from '../../../types/contracts';
import { deletedDatasetLabel, withDatasetNames } from '../../datasets/utils/knownNames';
import { formatColumnStats, type ColumnStatsByName } from '../utils/columnStats';

export interface ParameterFieldProps {
  parameter: ParameterDescription;
  value: ParameterValue | undefined;
  schema?: TableSchema;
  /** the input's per-column statistics, when known: shown beside each column in the pickers */
  stats?: ColumnStatsByName;
  datasets?: readonly Dataset[];
  errors: readonly FieldError[];
  onChange: (value: ParameterValue) => void;
}

const rangeOf = (p: ParameterDescription) =>
  p.min !== undefined && p.max !== undefined ? `${p.min} – ${p.max}` : p.min !== undefined ? `≥ ${p.min}` : p.max !== undefined ? `≤ ${p.max}` : undefined;

/** One parameter, rendered from its description: column pickers, numbers with ranges, enums, toggles, text. */
export function ParameterField({ parameter: p, value, schema, stats, datasets, errors, onChange }: ParameterFieldProps) {
  const id = `param-${p.name}`;
  const invalid = errors.length > 0;
  const range = rangeOf(p);
  return (
    <div className={`field ${invalid ? 'is-invalid' : ''}`} data-testid={`field-${p.name}`}>
      <label className="field-label" htmlFor={id}>
        {p.label}
        {p.required && <span className="required" title="required">*</span>}
        {range && (p.type === 'int' || p.type === 'double') && <span className="field-range">{range}</span>}
      </label>
      <FieldInput id={id} p={p} value={value} schema={schema} stats={stats} datasets={datasets} invalid={invalid} onChange={onChange} />
      {errors.map((e, i) => (
        <div key={i} className="field-error" role="alert" data-testid={`param-error-${p.name}`}>{datasets ? withDatasetNames(e.message, datasets) : e.message}</div>
      ))}
      <div className="field-help" data-testid={`param-help-${p.name}`}>{p.help}</div>
    </div>
  );
}

function FieldInput({ id, p, value, schema, stats, datasets, invalid, onChange }: { id: string; p: ParameterDescription; value: ParameterValue | undefined; schema?: TableSchema; stats?: ColumnStatsByName; datasets?: readonly Dataset[]; invalid: boolean; onChange: (v: ParameterValue) => void }) {
  const common = { id, 'data-testid': id, 'aria-invalid': invalid || undefined };
  switch (p.type) {
    case 'int':
    case 'double':
      return <NumberInput common={common} p={p} value={value} onChange={onChange} />;
    case 'enum':
      return (
        <select {...common} value={value == null ? '' : String(value)} onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}>
          {(value == null || value === '') && <option value="">Choose…</option>}
          {p.options?.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      );
    case 'enums': {
      // several of the options: one checkbox each; the value keeps the options' order
      const chosen = Array.isArray(value) ? value : [];
      const options = p.options ?? [];
      const toggle = (v: string, on: boolean) => {
        const next = options.map((o) => o.value).filter((o) => (o === v ? on : chosen.includes(o)));
        onChange(next);
      };
      return (
        <div className="column-list" data-testid={id} role="group" aria-labelledby={id} aria-invalid={invalid || undefined}>
          {options.map((o) => (
            <label key={o.value} className="column-option">
              <input type="checkbox" data-testid={`${id}-${o.value}`} checked={chosen.includes(o.value)} onChange={(e) => toggle(o.value, e.target.checked)} />
              {o.label}
            </label>
          ))}
          <div className="column-list-footer">
            <span className="muted small">{chosen.length} of {options.length} chosen</span>
          </div>
        </div>
      );
    }
    case 'boolean':
      return (
        <label className="toggle">
          <input type="checkbox" {...common} checked={value === true} onChange={(e) => onChange(e.target.checked)} />
          <span>{value === true ? 'On' : 'Off'}</span>
        </label>
      );
    case 'column': {
      const columns = allowedColumns(p, schema);
      if (!schema) {
        return <input {...common} type="text" value={value == null ? '' : String(value)} placeholder="Connect an input to pick a column" onChange={(e) => onChange(e.target.value || null)} />;
      }
      const current = value == null ? '' : String(value);
      return (
        <select {...common} value={current} onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}>
          <option value="">{columns.length ? 'Choose a column…' : `No ${p.columnTypes?.join('/') ?? ''} column in the input`}</option>
          {current && !columns.some((c) => c.name === current) && <option value={current}>{current} (not in input)</option>}
          {columns.map((c) => (
            <option key={c.name} value={c.name} title={stats?.get(c.name) && formatColumnStats(stats.get(c.name)!)}>
              {c.name} · {c.type}{c.vectorSize ? `(${c.vectorSize})` : ''}{stats?.get(c.name) ? ` — ${formatColumnStats(stats.get(c.name)!)}` : ''}
            </option>
          ))}
        </select>
      );
    }
    case 'columns': {
      const columns = allowedColumns(p, schema);
      const selected = Array.isArray(value) ? value : [];
      if (!schema) return <div className="muted small" data-testid={id}>Connect an input to choose columns.</div>;
      // columns chosen earlier that the input no longer has (another dataset, a renamed column): shown so they can go
      const missing = selected.filter((n) => !schema.columns.some((c) => c.name === n));
      const wrongType = selected.filter((n) => !missing.includes(n) && !columns.some((c) => c.name === n));
      return (
        <div className="column-list" data-testid={id} role="group" aria-labelledby={id}>
          {[...missing, ...wrongType].map((n) => (
            <div key={n} className="column-option missing" data-testid={`${id}-missing-${n}`}>
              <span className="column-missing-name">{n}</span>
              <span className="muted">{missing.includes(n) ? 'not in the input' : `not ${p.columnTypes?.join(' or ')}`}</span>
              <button type="button" className="link-btn" onClick={() => onChange(selected.filter((x) => x !== n))} data-testid={`${id}-remove-${n}`} title={`Remove ${n} from ${p.label}`}>Remove</button>
            </div>
          ))}
          {columns.map((c) => (
            <label key={c.name} className="column-option">
              <input
                type="checkbox"
                checked={selected.includes(c.name)}
                onChange={(e) => onChange(e.target.checked ? [...selected, c.name] : selected.filter((n) => n !== c.name))}
              />
              {c.name} <span className="muted">{c.type}</span>
              {stats?.get(c.name) && (
                <span className="column-stats muted small" title={formatColumnStats(stats.get(c.name)!)} data-testid={`${id}-stats-${c.name}`}>{formatColumnStats(stats.get(c.name)!)}</span>
              )}
            </label>
          ))}
          {columns.length === 0 && <span className="muted small">No {p.columnTypes?.join('/') ?? ''} column in the input.</span>}
          {selected.length > 0 && (
            <div className="column-list-footer">
              <span className="muted small">{selected.length} chosen</span>
              <button type="button" className="link-btn" onClick={() => onChange(null)} data-testid={`${id}-clear`}>Clear all</button>
            </div>
          )}
        </div>
      );
    }
    case 'string':
    default:
      // the dataset pickers (datasetId), not every parameter that mentions a dataset (Write Dataset's datasetName)
      if (/datasetId$/i.test(p.name) && datasets) {
        return (
          <select {...common} value={value == null ? '' : String(value)} onChange={(e) => onChange(e.target.value || null)}>
            <option value="">Choose a dataset…</option>
            {typeof value === 'string' && value !== '' && datasets.length > 0 && !datasets.some((d) => d.id === value) && (
              <option value={value} data-testid={`${id}-deleted`}>{deletedDatasetLabel(value)}</option>
            )}
            {datasets.map((d) => <option key={d.id} value={d.id}>{d.name} ({d.rowCount.toLocaleString('en-US')} rows)</option>)}
          </select>
        );
      }
      return <input {...common} type="text" value={value == null ? '' : String(value)} onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)} />;
  }
}

function allowedColumns(p: ParameterDescription, schema?: TableSchema): ColumnSchema[] {
  if (!schema) return [];
  return schema.columns.filter((c) => !p.columnTypes || p.columnTypes.includes(c.type));
}

/** Keeps the text the user types ("1e-", "-") while storing a number whenever the text is one. */
function NumberInput({ common, p, value, onChange }: { common: Record<string, unknown>; p: ParameterDescription; value: ParameterValue | undefined; onChange: (v: ParameterValue) => void }) {
  const shown = value == null ? '' : String(value);
  const [text, setText] = useState(shown);
  useEffect(() => {
    setText((t) => (toValue(t) === value ? t : shown));
  }, [shown, value]);
  return (
    <input
      {...common}
      type="text"
      inputMode={p.type === 'int' ? 'numeric' : 'decimal'}
      value={text}
      placeholder={p.default != null ? `default ${p.default}` : undefined}
      onChange={(e) => {
        setText(e.target.value);
        onChange(toValue(e.target.value));
      }}
    />
  );
}

function toValue(text: string): ParameterValue {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}
