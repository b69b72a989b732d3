/**
 * Opening the lessons from elsewhere (the welcome screen): shows the bottom
 * panel's Lessons tab. Only the UI store is imported here, so the lessons
 * themselves stay in their lazy chunk.
 */
import { useUi } from '../store/ui.ts';

export function openLessons(): void {
  useUi.getState().setBottomTab('lessons');
}
