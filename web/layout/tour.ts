/**
 * The short tour of the panes (offered on the welcome and in the app bar's
 * "More" menu): which part of the screen does what. Each stop names the element
 * it points at by its test id; a stop whose element is not on screen (folded at
 * this width) is skipped.
 */
import { create } from 'zustand';

export interface TourStop {
  target: string;
  title: string;
  text: string;
}

export const TOUR: readonly TourStop[] = [
  { target: 'app.bar', title: 'The app bar', text: 'Start from a template, run the synproxy wizard, import what a host runs, export the script, compare with a live ruleset. What does not fit is under "More".' },
  { target: 'navigator', title: 'The navigator', text: 'Tables and what they hold: chains (with their hook and priority), sets, maps and named objects. Pick one to edit it; "+" adds to a table.' },
  { target: 'formPanel', title: 'The form', text: 'The selected table, chain, rule, set or object. Every change shows at once in the script, and Ctrl+Z undoes it.' },
  { target: 'preview', title: 'The nft script', text: 'What nft will load, kept in step with the forms. You can also type here; a click on a line selects what wrote it.' },
  { target: 'bottom.panel', title: 'Diagnostics, hook map, lessons', text: 'What the linter found and why, the order in which the kernel runs your chains, and step-by-step lessons that check your design.' },
];

export const useTour = create<{ stop: number | null }>(() => ({ stop: null }));

export function startTour(): void {
  useTour.setState({ stop: 0 });
}
export function endTour(): void {
  useTour.setState({ stop: null });
}
