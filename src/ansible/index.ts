export {
  ansibleBundle,
  AnsibleBundleError,
  type AnsibleBundle,
  type AnsibleBundleOption,
  type AnsibleBundleOptions,
  type BundleFile,
  type FixedDefine,
  type PreambleFacts,
} from './bundle.ts';
export { DEFINE_NAME_PATTERN, DEFINE_VALUE_MAX, DEFINE_VALUE_PATTERN, DEFINE_VALUE_PATTERN_PY, isSingleNftValue } from './values.ts';
export {
  DEFAULT_CONFIRM_SECONDS,
  DEFAULT_DESIGN_NAME,
  DEFAULT_SERIAL,
  HOST_DEFAULTS,
  MAX_CONFIRM_SECONDS,
  MAX_NAME_LENGTH,
  MAX_SERIAL,
  MIN_CONFIRM_SECONDS,
  NAME_RULE,
  bundleNameFrom,
  isBundleName,
  isBundlePath,
  wholeNumber,
} from './facts.ts';
