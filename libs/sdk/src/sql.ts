/**
 * Alink's SQL over operators: FilterBatchOp / WhereBatchOp and SelectBatchOp (each a Filtering and Mapping node
 * with one of its clauses), and free SQL over registered tables (registerTableName + sqlQuery: a SQL Script node
 * whose inputs go by the registered names).
 */
import { ComponentBatchOp } from './operator';

/** Keeps the rows that meet `clause` (Alink's FilterBatchOp): a Filtering and Mapping node. */
export class FilterBatchOp extends ComponentBatchOp {
  constructor(clause?: string) {
    super('filter-mapping', 'FilterBatchOp');
    if (clause !== undefined) this.setClause(clause);
  }

  /** The condition, e.g. "f1 = 'Ohio'". */
  setClause(clause: string): this {
    return this.set('clause', clause);
  }
}

/** Alink's WhereBatchOp: the same as FilterBatchOp. */
export class WhereBatchOp extends ComponentBatchOp {
  constructor(clause?: string) {
    super('filter-mapping', 'WhereBatchOp');
    if (clause !== undefined) this.setClause(clause);
  }

  /** The condition, e.g. "f1 = 'Ohio'". */
  setClause(clause: string): this {
    return this.set('clause', clause);
  }
}

/** Computes the output columns from SQL expressions (Alink's SelectBatchOp): a Filtering and Mapping node. */
export class SelectBatchOp extends ComponentBatchOp {
  constructor(clause?: string) {
    super('filter-mapping', 'SelectBatchOp');
    if (clause !== undefined) this.setClause(clause);
  }

  /** The expressions, e.g. "f1 as name, f2 * 2 as f2x2". */
  setClause(clause: string): this {
    return this.set('selectClause', clause);
  }
}
