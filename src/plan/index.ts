export { compareWithLive, designTables, expandDefines, mergeTables, ruleCounts, summaryLine, type Change, type CompareOptions, type Counts, type MemberChanges, type Plan, type TableDiff } from './compare.ts';
export { readLive, liveTableOf, type LiveRuleset, type LiveTable } from './live.ts';
export { statelessText } from './stateless.ts';
