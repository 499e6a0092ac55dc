import { useState } from 'react';
import type { ComponentDescription, Dataset, FieldError, ParameterValue, Params, ResourceEstimate, TabDescription, TabId, TableSchema } from '../../../types/contracts';
import { parametersOfTab, valueOf } from '../utils/params';
import { applyRecommendation, isRecommendationApplied, resourceParameters } from '../utils/execution';
import type { ColumnStatsByName } from '../utils/columnStats';
import { ParameterField } from './ParameterField';
import { EstimateCard } from './EstimateCard';

export interface InspectorProps {
  /** the inspector's tabs, in order, as GET /api/components lists them */
  tabs: readonly TabDescription[];
  nodeId: string;
  label: string;
  description: ComponentDescription;
  params: Params;
  /** schema of each input port, undefined while unknown */
  inputSchemas: readonly (TableSchema | undefined)[];
  /** per input port, its columns' statistics where they are known (inputColumnStats) */
  inputStats?: readonly (ColumnStatsByName | undefined)[];
  errors: readonly FieldError[];
  datasets?: readonly Dataset[];
  estimate?: ResourceEstimate;
  estimateLoading?: boolean;
  estimateError?: string;
  onParamsChange: (params: Params, changed: string) => void;
  onLabelChange: (label: string) => void;
  /** the tab to open first; the Inspector remembers the user's choice afterwards */
  initialTab?: TabId;
}

/** The three PAI tabs for the selected node, generated from its component description. */
export function Inspector(props: InspectorProps) {
  const { description: d, params, errors } = props;
  const [tab, setTab] = useState<TabId>(props.initialTab ?? props.tabs[0]?.id ?? 'field');
  const errorsOf = (name: string) => errors.filter((e) => e.parameter === name);
  const tabErrors = (t: TabId) => errors.filter((e) => d.parameters.some((p) => p.tab === t && p.name === e.parameter)).length;
  const nodeErrors = errors.filter((e) => !e.parameter || !d.parameters.some((p) => p.name === e.parameter));
  const set = (name: string, value: ParameterValue) => props.onParamsChange({ ...params, [name]: value }, name);
  const groups = parametersOfTab(d, tab, params);
  const res = resourceParameters(d);
  const hasResources = Boolean(res.workers || res.memory);

  return (
    <div className="inspector" data-testid="inspector" data-node-id={props.nodeId}>
      <div className="inspector-header">
        <input
          className="inspector-title"
          value={props.label}
          onChange={(e) => props.onLabelChange(e.target.value)}
          aria-label="Node name"
          title="Rename (F2)"
          data-testid="inspector-label"
        />
        <div className="inspector-sub">{d.displayName} · v{d.version} · <span className="mono">{props.nodeId}</span></div>
        <p className="inspector-desc">{d.description}</p>
      </div>
      <div className="tabs" role="tablist">
        {props.tabs.map((t) => (
          <button
            key={t.id}
            role="tab"
            aria-selected={tab === t.id}
            className={`tab ${tab === t.id ? 'active' : ''}`}
            onClick={() => setTab(t.id)}
            data-testid={`tab-${t.id}`}
          >
            {t.label}
            {tabErrors(t.id) > 0 && <span className="tab-badge" title={`${tabErrors(t.id)} problem(s)`}>{tabErrors(t.id)}</span>}
          </button>
        ))}
      </div>
      <div className="inspector-body" role="tabpanel" data-testid={`tabpanel-${tab}`}>
        {nodeErrors.length > 0 && (
          <div className="node-errors" data-testid="node-errors">
            {nodeErrors.map((e, i) => <div key={i}>⚠ {e.message}</div>)}
          </div>
        )}
        {tab === 'execution' && hasResources && (
          <EstimateCard
            estimate={props.estimate}
            loading={props.estimateLoading}
            error={props.estimateError}
            canApply={Boolean(props.estimate)}
            applied={props.estimate ? isRecommendationApplied(d, params, props.estimate) : false}
            onApply={() => props.estimate && props.onParamsChange(applyRecommendation(d, params, props.estimate), 'resources')}
          />
        )}
        {groups.length === 0 && <div className="empty-hint">{d.displayName} has no {props.tabs.find((t) => t.id === tab)?.label.toLowerCase()}s.</div>}
        {groups.map((g) => (
          <fieldset key={g.group ?? ''} className="field-group">
            {g.group && <legend>{g.group}</legend>}
            {g.parameters.map((p) => (
              <ParameterField
                key={p.name}
                parameter={p}
                value={valueOf(p, params)}
                schema={props.inputSchemas[p.port ?? 0]}
                stats={props.inputStats?.[p.port ?? 0]}
                datasets={props.datasets}
                errors={errorsOf(p.name)}
                onChange={(v) => set(p.name, v)}
              />
            ))}
          </fieldset>
        ))}
      </div>
    </div>
  );
}
