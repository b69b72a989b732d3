/**
 * When the preview may replace the editor's text with the app's text.
 *
 * The app re-emits the script after every change. A change from elsewhere
 * (forms, undo, import) shows at once. But while the user is typing in the
 * editor, the app's re-emitted canonical form of *their own* edit must not
 * overwrite what they are typing: that text is applied when the editor loses
 * focus — and only if they have not typed since it arrived (if they have, their
 * newer text is on its way to the app, which will answer with a newer version,
 * or keep its model and show markers if it does not parse; either way the
 * user's text stays).
 *
 * Pure state, no Monaco: the component reports events and does what it is told.
 */
export type SyncAction = 'apply' | 'none';

export class TextSyncPolicy {
  private focused = false;
  /** the user edited since the editor last matched the app's text */
  private dirty = false;
  private edits = 0;
  /** edit count when an external version was held back, or -1 */
  private deferredAt = -1;

  get isDeferred(): boolean {
    return this.deferredAt >= 0;
  }

  /** The user changed the text (not an edit the preview applied itself). */
  userEdit(): void {
    this.dirty = true;
    this.edits++;
  }

  focus(): void {
    this.focused = true;
  }

  /**
   * A new external version arrived. 'apply': replace the editor text now;
   * 'none': held back until blur.
   */
  external(): SyncAction {
    if (this.focused && this.dirty) {
      this.deferredAt = this.edits;
      return 'none';
    }
    this.applied();
    return 'apply';
  }

  /**
   * The editor lost focus. `flushedPendingEdit`: an edit that had not been
   * reported yet was just sent to the app, so the text held back is older than
   * the user's.
   */
  blur(flushedPendingEdit: boolean): SyncAction {
    this.focused = false;
    const apply = this.deferredAt >= 0 && this.deferredAt === this.edits && !flushedPendingEdit;
    this.deferredAt = -1;
    if (apply) this.applied();
    return apply ? 'apply' : 'none';
  }

  /**
   * The app is about to change the text on the user's behalf from inside the
   * editor (undo/redo keys routed to the app): its answer must show at once.
   */
  expectExternal(): void {
    this.dirty = false;
    this.deferredAt = -1;
  }

  private applied(): void {
    this.dirty = false;
    this.deferredAt = -1;
  }
}
