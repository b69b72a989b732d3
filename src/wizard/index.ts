export {
  buildSynproxySetup,
  checkSynproxyOptions,
  competingChains,
  priorityFor,
  synAckTcpdumpCommand,
  WIZARD_DEFAULTS,
  type PerSourceEntry,
  type SynproxyParams,
  type SynproxyWizardOptions,
  type SynproxyWizardResult,
  type WizardFamily,
  type WizardMode,
  type WizardPlacement,
  type WizardProblem,
} from './synproxy.ts';
export { synproxyHostCommands, EXAMPLE_CONNTRACK_HASHSIZE, EXAMPLE_CONNTRACK_MAX } from './hostCommands.ts';
export { parseNetwork, overlaps, type Network, type NetworkResult, type AddressFamily } from './networks.ts';
export { addedRuleset, previewText } from './preview.ts';
