import { api } from '../../../api/client';
import type { ResultViewProps } from '../types';
import { DataTable } from './DataTable';

/** 'table': an output port's table, paged, with a download of the whole table as CSV. */
export function TableView({ run, nodeId, view }: ResultViewProps) {
  const port = 'output' in view.source ? view.source.output : 0;
  return (
    <div className="table-view">
      <div className="table-view-actions">
        <a className="btn btn-small" data-testid="download-output" href={api.tableOutputDownloadUrl(run.id, nodeId, port)} download>
          Download CSV
        </a>
      </div>
      <DataTable key={`${run.id}/${nodeId}/${port}`} testId="output-table" load={(o, l) => api.tableOutput(run.id, nodeId, port, o, l)} deps={[run.id, nodeId, port]} />
    </div>
  );
}
