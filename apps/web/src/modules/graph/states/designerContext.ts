import { createContext, useContext } from 'react';
import type { ComponentDescription, FieldError, RunNodeState } from '../../../types/contracts';

/** What canvas nodes look up by id: the component catalogue, validation errors, the shown run's node states. */
export interface DesignerLookup {
  descriptions: ReadonlyMap<string, ComponentDescription>;
  errors: ReadonlyMap<string, FieldError[]>;
  runNodes: Readonly<Record<string, RunNodeState>>;
  /** nodes whose shown results come from an earlier graph (their parameters, inputs or upstream changed since) */
  stale: ReadonlySet<string>;
}

export const DesignerContext = createContext<DesignerLookup>({ descriptions: new Map(), errors: new Map(), runNodes: {}, stale: new Set() });
export const useDesignerLookup = () => useContext(DesignerContext);
