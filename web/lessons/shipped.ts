/**
 * The shipped lessons, read from their JSON files by the same reader as a
 * trainer's file (src/lessons/validate.ts). A file that does not read is left
 * out (a unit test keeps every shipped file valid).
 */
import type { Lesson } from '../../src/lessons/format.ts';
import { parseLessonText } from '../../src/lessons/validate.ts';
import synproxy from '../../src/lessons/shipped/synproxy.json?raw';
import server from '../../src/lessons/shipped/server.json?raw';
import nat from '../../src/lessons/shipped/nat.json?raw';
import sets from '../../src/lessons/shipped/sets.json?raw';

function read(text: string): Lesson[] {
  const r = parseLessonText(text);
  return r.ok ? [r.lesson] : [];
}

export const SHIPPED: readonly Lesson[] = [synproxy, server, nat, sets].flatMap(read);
export const SHIPPED_IDS: ReadonlySet<string> = new Set(SHIPPED.map((l) => l.id));
