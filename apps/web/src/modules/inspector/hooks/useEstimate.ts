import { useEffect, useState } from 'react';
import { api } from '../../../api/client';
import type { ComponentDescription, ConfigureResponse, Params, ResourceEstimate } from '../../../types/contracts';
import { resourceParameters } from '../utils/execution';

interface EstimateState {
  nodeId: string;
  value?: ResourceEstimate;
  loading: boolean;
  error?: string;
}

/**
 * The live resource estimate of the selected node (Execution Tuning), asked again when its parameters or its
 * inputs' statistics change; the configure pass's estimate stands in while it loads or when it fails.
 */
export function useEstimate(
  selected: { id: string; componentId: string; params: Params } | undefined,
  description: ComponentDescription | undefined,
  configuration: ConfigureResponse | undefined,
) {
  const [estimate, setEstimate] = useState<EstimateState>();
  const resources = description ? resourceParameters(description) : undefined;
  const key = selected && (resources?.workers || resources?.memory)
    ? JSON.stringify([selected.id, selected.componentId, selected.params, configuration?.nodes[selected.id]?.inputStats ?? null])
    : undefined;

  useEffect(() => {
    if (!key) return;
    const [nodeId, componentId, params, inputStats] = JSON.parse(key);
    if (!inputStats) {
      setEstimate({ nodeId, loading: true });
      return;
    }
    setEstimate((e) => ({ nodeId, value: e && e.nodeId === nodeId ? e.value : undefined, loading: true }));
    let cancelled = false;
    const t = setTimeout(() => {
      api.estimate(componentId, params, inputStats).then(
        (value) => !cancelled && setEstimate({ nodeId, value, loading: false }),
        (err: Error) => !cancelled && setEstimate({ nodeId, value: configuration?.nodes[nodeId]?.estimate, loading: false, error: err.message }),
      );
    }, 120);
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
  }, [key]);

  if (!selected) return { value: undefined, loading: false, error: undefined };
  const configured = configuration?.nodes[selected.id]?.estimate;
  const mine = estimate?.nodeId === selected.id ? estimate : undefined;
  return { value: mine?.value ?? configured, loading: Boolean(mine?.loading), error: mine?.error };
}
