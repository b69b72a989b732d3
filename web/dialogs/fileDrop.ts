import { useState, type DragEvent } from 'react';

/** A drop zone for one file (Import, Compare with live): its handlers, and whether a file is over it. */
export function useFileDrop(onFile: (f: File) => void): { dragging: boolean; handlers: { onDragOver: (e: DragEvent) => void; onDragLeave: () => void; onDrop: (e: DragEvent) => void } } {
  const [dragging, setDragging] = useState(false);
  return {
    dragging,
    handlers: {
      onDragOver: (e) => {
        e.preventDefault();
        setDragging(true);
      },
      onDragLeave: () => setDragging(false),
      onDrop: (e) => {
        e.preventDefault();
        setDragging(false);
        const f = e.dataTransfer.files[0];
        if (f) onFile(f);
      },
    },
  };
}
