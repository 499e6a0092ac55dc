import { api } from '../../../api/client';
import type { ResultViewProps } from '../types';
import { DataTable } from './DataTable';

/** 'table': an output port's table, paged. */
export function TableView({ run, nodeId, view }: ResultViewProps) {
  const port = 'output' in view.source ? view.source.output : 0;
  return <DataTable key={`${run.id}/${nodeId}/${port}`} testId="output-table" load={(o, l) => api.tableOutput(run.id, nodeId, port, o, l)} deps={[run.id, nodeId, port]} />;
}
