/**
 * Model streams as in Alink: a stream predictor (GmmPredictStreamOp) takes newer models while its data stream runs,
 * from a model stream linked as its last input (`linkFrom(dataStream, modelStream)`) or from a folder it scans
 * (`setModelStreamFilePath`, `setModelStreamScanInterval`, `setModelStreamStartTime`). A model that arrives
 * replaces the current one between rows, through the plugin's own swap (RowPredictor.replaceModel).
 * The folder's layout: model-folder.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Params } from '@mixflow/component-sdk';
import { SdkError } from './errors';
import type { SourceOperator } from './node';
import { BatchOperator, Operator, registerSink, settleSink } from './operator';
import { defaultMixflow, type Mixflow } from './mixflow';
import { writeAtomically } from './sinks';
import { MODEL_FILE, modelIdOf, parseTimestamp, scanModelFolder, type StreamedModel } from './model-folder';

/** A stream of models (the last input of a stream predictor's linkFrom); it is no node of a workflow graph. */
export abstract class ModelStreamOperator extends Operator {
  readonly isStream = true;
  readonly outputType = 'model' as const;

  /** The models as they arrive, until `signal` aborts. */
  abstract models(signal: AbortSignal): AsyncIterable<StreamedModel>;

  graphNode(_datasetIdOf: (source: SourceOperator) => string): { componentId: string; params: Params } {
    throw new SdkError(`${this.operatorName} is a model stream read in this process; a workflow graph (the canvas, a server run) has no model streams.`, {
      operator: this.operatorName,
    });
  }
}

/**
 * Alink's ModelStreamFileSourceStreamOp: scans a folder every scanInterval seconds (default 10) for model files
 * newer than startTime (default: when the stream starts) and yields each once, oldest first.
 */
export class ModelStreamFileSourceStreamOp extends ModelStreamOperator {
  readonly operatorName = 'ModelStreamFileSourceStreamOp';
  private filePath: string | undefined;
  private scanInterval = 10;
  private startTime: string | undefined;

  /** Alink's filePath: the folder the model files arrive in (a path on this machine). */
  setFilePath(value: string): this {
    this.filePath = value;
    return this;
  }

  /** Alink's scanInterval: seconds between two scans of the folder (default 10; fractions are allowed here). */
  setScanInterval(seconds: number): this {
    if (!(typeof seconds === 'number' && seconds > 0 && Number.isFinite(seconds))) {
      throw new SdkError(`${this.operatorName}.setScanInterval(${seconds}): the interval is a positive number of seconds.`, { operator: this.operatorName, parameter: 'scanInterval' });
    }
    this.scanInterval = seconds;
    return this;
  }

  /** Alink's startTime: models made before it are skipped (`yyyy-mm-dd hh:mm:ss[.fffffffff]`; default when the stream starts). */
  setStartTime(value: string): this {
    parseTimestamp(value, `${this.operatorName}.setStartTime`);
    this.startTime = value;
    return this;
  }

  models(signal: AbortSignal): AsyncIterable<StreamedModel> {
    if (!this.filePath) throw new SdkError(`${this.operatorName}: call setFilePath(folder) first.`, { operator: this.operatorName, parameter: 'filePath' });
    return scanModelFolder({ filePath: this.filePath, scanInterval: this.scanInterval, startTime: this.startTime }, signal, this.operatorName);
  }
}

/**
 * Alink's AppendModelStreamFileSinkBatchOp: writes the model of the operator it is linked from into a model stream
 * folder as `<modelId>.json` (modelTime, default now), keeping the newest numKeepModel models.
 */
export class AppendModelStreamFileSinkBatchOp {
  readonly operatorName = 'AppendModelStreamFileSinkBatchOp';
  private filePath: string | undefined;
  private modelTime: string | undefined;
  private numKeepModel = 2147483647;
  private input: BatchOperator | undefined;

  /** Alink's filePath: the model stream's folder. */
  setFilePath(value: string): this {
    this.filePath = value;
    return this;
  }

  /** Alink's modelTime: the model's time and so its id (`yyyy-mm-dd hh:mm:ss[.fffffffff]`; default now). */
  setModelTime(value: string): this {
    parseTimestamp(value, `${this.operatorName}.setModelTime`);
    this.modelTime = value;
    return this;
  }

  /** Alink's numKeepModel (default 2147483647): older model files beyond this many are deleted. */
  setNumKeepModel(value: number): this {
    if (!(Number.isInteger(value) && value >= 1)) {
      throw new SdkError(`${this.operatorName}.setNumKeepModel(${value}): keep at least 1 model.`, { operator: this.operatorName, parameter: 'numKeepModel' });
    }
    this.numKeepModel = value;
    return this;
  }

  /** The operator whose model this sink appends; BatchOperator.execute() writes it. */
  linkFrom(input: BatchOperator): this {
    if (input.outputType !== 'model') {
      throw new SdkError(`${this.operatorName}.linkFrom: ${input.operatorName} gives a ${input.outputType}; a model stream takes models (e.g. GmmTrainBatchOp).`, {
        operator: this.operatorName,
      });
    }
    this.input = input;
    registerSink(this);
    return this;
  }

  /** The id of the model the last execute() wrote. */
  modelId: string | undefined;

  /** Runs the linked operator and writes its model (its id: modelId). */
  async execute(mixflow: Mixflow = defaultMixflow()): Promise<void> {
    settleSink(this);
    const folder = this.filePath;
    if (!folder) throw new SdkError(`${this.operatorName}: call setFilePath(folder) first.`, { operator: this.operatorName, parameter: 'filePath' });
    if (!this.input) throw new SdkError(`${this.operatorName}: link it from an operator first (linkFrom).`, { operator: this.operatorName });
    const model = await this.input.getModel(mixflow);
    const time = this.modelTime ? parseTimestamp(this.modelTime, `${this.operatorName}.setModelTime`) : new Date();
    const modelId = modelIdOf(time);
    await fs.promises.mkdir(folder, { recursive: true });
    await writeAtomically(path.join(folder, `${modelId}.json`), (tmp) => fs.promises.writeFile(tmp, JSON.stringify(model)));
    const kept = (await fs.promises.readdir(folder)).filter((name) => MODEL_FILE.test(name)).sort();
    for (const old of kept.slice(0, Math.max(0, kept.length - this.numKeepModel))) await fs.promises.rm(path.join(folder, old), { force: true });
    this.modelId = modelId;
  }
}
