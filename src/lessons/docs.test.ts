/** docs/lessons.md stays true: its example file and every goal it shows are read by the reader. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOAL_KINDS } from './format.ts';
import { KNOWLEDGE_IDS } from './knowledge.ts';
import { readLesson, parseLessonText } from './validate.ts';

const DOC = readFileSync(join(import.meta.dirname, '../../docs/lessons.md'), 'utf8');
const blocks = [...DOC.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]);

describe('docs/lessons.md', () => {
  it('the example lesson reads', () => {
    const r = parseLessonText(blocks[0]);
    expect(r.ok ? [] : r.errors).toEqual([]);
  });
  it('every goal shown reads as a step goal', () => {
    const goals = blocks.slice(1).map((b) => JSON.parse(b) as { kind: string });
    expect(goals.map((g) => g.kind).sort()).toEqual(['any', 'chain', 'confirm', 'lint', 'rule', 'set', 'synproxy', 'trace']);
    for (const goal of goals) {
      const r = readLesson({ format: 'nft-designer-lesson', version: 1, id: 'doc', title: 'doc', steps: [{ id: 's', title: 's', task: ['x'], goal }] });
      expect(r.ok ? [] : r.errors, JSON.stringify(goal)).toEqual([]);
    }
  });
  it('names every goal kind and every knowledge id family', () => {
    for (const k of GOAL_KINDS) expect(DOC).toContain(`\`${k}\``);
    for (const id of KNOWLEDGE_IDS) {
      const prefix = id.split('.')[0];
      // each id is listed, or its family is listed as "every …" / "any other key"
      if (!DOC.includes(`\`${id}\``)) expect(['hook', 'synproxy', 'field'], id).toContain(prefix);
    }
  });
});
