import type { Plugin } from '@mixflow/component-sdk';
import './em-kernels';
import { gmmPredict } from './predict';
import { gmmModelSelection } from './selection';
import { gmmPredictStream } from './stream';
import { gmmTrain } from './train';
import { gmmCodec } from './codec';

export { gmmCodec } from './codec';
export { gmmModelJson, gmmPayload, GMM_MODEL_TYPE, type GmmPayload } from './payload';

export { describeStart, gmmTrain, gmmTrainWith } from './train';
export { gmmModelSelection, candidatesTable, parseCovarianceTypes, selectionOptionsFrom, CANDIDATES_SCHEMA, SELECTION_PARAMS, SELECTION_VIEWS } from './selection';
export { TRAINING_VIEWS, TRAINING_SAMPLE, trainingViewData, type TrainingSample } from './views';
export { gmmPredict, configurePrediction, predictionFeatures, reservedColumns, PREDICTION_PARAMS } from './predict';
export { gmmPredictStream, createStreamPredictor, type StreamPredictor } from './stream';
export { fitOnEngine, predictOnEngine, type FitOutcome, type FitProgress, type PredictOutcome, type StartProgress } from './engine-runs';
export { EM_STATS_KERNEL, PREDICT_KERNEL } from './em-kernels';
export { TRAINING_PARAMS, EXECUTION_PARAMS, fitOptionsFrom } from './params';

const plugin: Plugin = { name: '@mixflow/plugin-gmm', components: [gmmTrain, gmmModelSelection, gmmPredict, gmmPredictStream], models: [gmmCodec] };
export default plugin;
