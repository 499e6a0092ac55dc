/**
 * Alink's evaluation results: an evaluation operator outputs one row whose one cell holds its metrics as JSON, and
 * `collectMetrics()` reads that cell into a metrics object with Alink's getters (ClusterMetrics: getVrc, getDb,
 * getSilhouetteCoefficient, getAri, ...). The generated operators of the components listed in METRICS_CLASSES get
 * collectMetrics().
 */
import type { Table } from '@mixflow/table';
import { SdkError } from './errors';

type MetricsJson = Readonly<Record<string, unknown>>;

/** The metrics JSON of an evaluation's output table (one row, one string cell). */
function metricsOf(table: Table, operator: string): MetricsJson {
  const cell = table.rowCount === 1 && table.schema.columns.length === 1 ? (table.columns[0] as unknown[])[0] : undefined;
  if (typeof cell !== 'string') throw new SdkError(`${operator}.collectMetrics: the output is not one row with one JSON cell.`, { operator });
  return JSON.parse(cell) as MetricsJson;
}

abstract class EvaluationMetrics {
  constructor(
    /** every metric, as the output cell holds them */
    readonly params: MetricsJson,
    private readonly operator: string,
  ) {}

  /** a metric that only some inputs give: absent is an error saying what to set */
  protected need<T>(name: string, needs: string): T {
    const value = this.params[name];
    if (value === undefined) throw new SdkError(`${this.operator}: no ${name}; it needs ${needs}.`, { operator: this.operator });
    return value as T;
  }
}

/** Alink's ClusterMetrics, from Clustering Model Evaluation (EvalClusterBatchOp). */
export class ClusterMetrics extends EvaluationMetrics {
  static fromTable(table: Table, operator: string): ClusterMetrics {
    return new ClusterMetrics(metricsOf(table, operator), operator);
  }

  getCount(): number {
    return this.need('count', 'the prediction column');
  }
  getK(): number {
    return this.need('k', 'the prediction column');
  }
  /** the clusters' names, in order */
  getClusterArray(): string[] {
    return this.need('clusterArray', 'the prediction column');
  }
  /** rows per cluster, in getClusterArray's order */
  getCountArray(): number[] {
    return this.need('countArray', 'the prediction column');
  }
  getSsb(): number {
    return this.need('ssb', 'setVectorCol or setFeatureCols');
  }
  getSsw(): number {
    return this.need('ssw', 'setVectorCol or setFeatureCols');
  }
  /** Calinski–Harabasz */
  getVrc(): number {
    return this.need('vrc', 'setVectorCol or setFeatureCols and two or more clusters');
  }
  /** compactness */
  getCp(): number {
    return this.need('cp', 'setVectorCol or setFeatureCols');
  }
  /** separation */
  getSp(): number {
    return this.need('sp', 'setVectorCol or setFeatureCols and two or more clusters');
  }
  /** Davies–Bouldin */
  getDb(): number {
    return this.need('db', 'setVectorCol or setFeatureCols and two or more clusters');
  }
  getSilhouetteCoefficient(): number {
    return this.need('silhouetteCoefficient', 'setVectorCol or setFeatureCols and two or more clusters');
  }
  /** how many rows the silhouette coefficient was computed on */
  getSilhouetteRows(): number {
    return this.need('silhouetteRows', 'setVectorCol or setFeatureCols and two or more clusters');
  }
  /** true when the silhouette coefficient used every row, false when a seeded sample (setSilhouetteSampleSize) */
  isSilhouetteExact(): boolean {
    return this.need('silhouetteExact', 'setVectorCol or setFeatureCols and two or more clusters');
  }
  getNmi(): number {
    return this.need('nmi', 'setLabelCol');
  }
  getPurity(): number {
    return this.need('purity', 'setLabelCol');
  }
  getRi(): number {
    return this.need('ri', 'setLabelCol');
  }
  getAri(): number {
    return this.need('ari', 'setLabelCol');
  }
  /** rows: getPredArray (the clusters); columns: getLabelArray */
  getConfusionMatrix(): number[][] {
    return this.need('confusionMatrix', 'setLabelCol');
  }
  getLabelArray(): string[] {
    return this.need('labelArray', 'setLabelCol');
  }
  getPredArray(): string[] {
    return this.need('predArray', 'setLabelCol');
  }
}

/** Component id → the metrics class its generated operator's collectMetrics() returns. */
export const METRICS_CLASSES: Readonly<Record<string, string>> = { 'eval-cluster': 'ClusterMetrics' };
