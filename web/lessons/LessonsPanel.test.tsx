// @vitest-environment jsdom
/**
 * The panel without a browser: a lesson's steps follow the design live, a
 * confirm step is met when confirmed, a lesson's text is only ever text.
 * (Lint goals stay "checking" here: no engine runs, so no emitted script is linted.)
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { parse } from '../../src/parse/index.ts';
import { readLesson } from '../../src/lessons/validate.ts';
import { emptyDesign } from '../../src/model/types.ts';
import { useDesign } from '../store/design.ts';
import { useLessons } from './store.ts';
import LessonsPanel from './LessonsPanel.tsx';

const PRE = `table inet web {
	chain pre {
		type filter hook prerouting priority raw; policy accept;
		tcp dport 443 tcp flags syn notrack
	}
}
`;

const status = (id: string) => screen.getByTestId(`lesson.step.${id}`).getAttribute('data-status');

beforeEach(() => {
  localStorage.clear();
  useLessons.getState().resetAll();
  useDesign.getState().replace(emptyDesign());
});
afterEach(cleanup);

describe('LessonsPanel', () => {
  it('lists the shipped lessons; a started lesson follows the design', () => {
    render(<LessonsPanel />);
    for (const id of ['synproxy-port', 'drop-by-default', 'nat-router', 'sets-and-maps']) expect(screen.getByTestId(`lessons.card.${id}`)).toBeTruthy();
    fireEvent.click(screen.getByTestId('lessons.start.synproxy-port'));
    expect(status('notrack')).toBe('current');
    expect(status('synproxy-rule')).toBe('todo');
    expect(screen.getByTestId('lesson.missing').textContent).toContain('no base chain on hook prerouting');
    expect(screen.getByRole('progressbar').getAttribute('aria-label')).toBe('Lesson progress: 0 of 6 steps met');
    act(() => useDesign.getState().replace(parse(PRE).ruleset));
    expect(status('notrack')).toBe('met');
    expect(screen.getByTestId('lesson.met').textContent).toContain('the place for notrack');
    expect(screen.getByRole('progressbar').getAttribute('aria-label')).toBe('Lesson progress: 1 of 6 steps met');
    act(() => useDesign.getState().replace(emptyDesign()));
    expect(status('notrack')).toBe('current');
  });

  it('a confirm step: "I understand" meets it, pressing again undoes it', () => {
    render(<LessonsPanel />);
    fireEvent.click(screen.getByTestId('lessons.start.synproxy-port'));
    fireEvent.click(screen.getByTestId('lesson.step.host-sysctls'));
    expect(screen.getByTestId('lesson.current').getAttribute('data-step')).toBe('host-sysctls');
    const button = screen.getByTestId('lesson.confirm');
    expect(button.textContent).toBe('I understand: I set these on the host');
    fireEvent.click(button);
    expect(status('host-sysctls')).toBe('met');
    expect(screen.getByTestId('lesson.confirm').getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByTestId('lesson.confirm'));
    expect(status('host-sysctls')).toBe('current');
  });

  it('a lesson\'s text is text: markup shows as written, no element is made of it', () => {
    const r = readLesson({
      format: 'nft-designer-lesson',
      version: 1,
      id: 'html',
      title: '<i>title</i>',
      steps: [{ id: 's', title: '<b>bold?</b>', task: ['<img src=x onerror="alert(1)"> & <script>x()</script>'], goal: { kind: 'confirm' } }],
    });
    if (!r.ok) throw new Error(r.errors.join('; '));
    act(() => void useLessons.getState().addImported(r.lesson));
    const { container } = render(<LessonsPanel />);
    expect(screen.getByTestId('lesson.task').textContent).toBe('<img src=x onerror="alert(1)"> & <script>x()</script>');
    expect(container.querySelector('img, script, b, i')).toBeNull();
    expect(screen.getByTestId('lesson.current').textContent).toContain('<b>bold?</b>');
  });
});
