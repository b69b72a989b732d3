/** The rule builder (lazy-loaded by the app's form panel). */
export { RuleBuilder, RuleBuilder as default, type RuleBuilderProps } from './RuleBuilder.tsx';
