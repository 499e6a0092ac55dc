/** The inspector pane when no single node is selected: the experiment's size, its problems and some tips. */
export function ExperimentOverview({ nodes, edges, problems, selectedCount }: { nodes: number; edges: number; problems: string[]; selectedCount: number }) {
  return (
    <div className="overview" data-testid="overview">
      <h3>{selectedCount > 1 ? `${selectedCount} nodes selected` : 'Experiment'}</h3>
      <p className="muted">{nodes} nodes · {edges} connections</p>
      {problems.length > 0 ? (
        <div className="node-errors">
          <b>{problems.length} node{problems.length > 1 ? 's need' : ' needs'} attention</b>
          {problems.map((p) => <div key={p}>⚠ {p}</div>)}
        </div>
      ) : nodes > 0 ? (
        <p className="ok-text">✓ Every node is configured. Press <b>Run</b>.</p>
      ) : null}
      <h4>Tips</h4>
      <ul className="tips">
        <li>Select a node to edit its <b>Field Setting</b>, <b>Parameter Setting</b> and <b>Execution Tuning</b>.</li>
        <li>Drag from an output (bottom) to an input (top). Blue ports carry tables, purple ports models.</li>
        <li>Right-click a node to run from it. <kbd>Ctrl</kbd>+<kbd>S</kbd> saves, <kbd>Ctrl</kbd>+<kbd>Z</kbd> undoes, <kbd>Del</kbd> deletes, <kbd>Ctrl</kbd>+<kbd>C</kbd>/<kbd>V</kbd> copy and paste.</li>
      </ul>
    </div>
  );
}
