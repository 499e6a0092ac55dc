import type { Plugin } from '@mixflow/component-sdk';
import { imputerCodec, imputerPredict, imputerTrain } from './imputer';
import { sample, sampleWithSize, split } from './sampling';
import { filterMapping, sqlScript } from './sql';
import { minMaxScalerCodec, minMaxScalerPredict, minMaxScalerTrain, standardScalerCodec, standardScalerPredict, standardScalerTrain } from './scalers';

export { imputerCodec, imputerPredict, imputerTrain, imputerKind, type ImputerModel } from './imputer';
export { standardScalerCodec, standardScalerTrain, standardScalerPredict, minMaxScalerCodec, minMaxScalerTrain, minMaxScalerPredict } from './scalers';
export { columnStats } from './columns';
export { split, sample, sampleWithSize, drawRows } from './sampling';
export { sqlScript, filterMapping } from './sql';

const plugin: Plugin = {
  name: '@mixflow/plugin-prep',
  components: [imputerTrain, imputerPredict, standardScalerTrain, standardScalerPredict, minMaxScalerTrain, minMaxScalerPredict, split, sample, sampleWithSize, sqlScript, filterMapping],
  models: [imputerCodec, standardScalerCodec, minMaxScalerCodec],
};
export default plugin;
