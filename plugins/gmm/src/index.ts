import type { Plugin } from '@mixflow/component-sdk';
import { gmmPredict } from './predict';
import { gmmPredictStream } from './stream';
import { gmmTrain } from './train';

export { gmmTrain } from './train';
export { TRAINING_VIEWS, TRAINING_SAMPLE, trainingViewData, type TrainingSample } from './views';
export { gmmPredict, configurePrediction, predictionFeatures, reservedColumns, PREDICTION_PARAMS } from './predict';
export { gmmPredictStream, createStreamPredictor, type StreamPredictor } from './stream';
export { TRAINING_PARAMS, EXECUTION_PARAMS, fitOptionsFrom } from './params';

const plugin: Plugin = { name: '@mixflow/plugin-gmm', components: [gmmTrain, gmmPredict, gmmPredictStream] };
export default plugin;
