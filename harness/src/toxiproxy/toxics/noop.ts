import { registerToxicKind } from '../toxic-kind.js';
import { passThroughStage } from '../stage.js';

/** `noop`: passes everything through. */
registerToxicKind({
  type: 'noop',
  attributes: [],
  createStage: (ctx) => passThroughStage(ctx),
});
