/**
 * The hidden file input behind an "open a file" button (Import, Compare with
 * live, lessons, lab reports): one file, handed over; the input is cleared, so
 * choosing the same file again reads it again.
 */
export function HiddenFileInput({ ref, accept, label, testId, onFile }: { ref: React.Ref<HTMLInputElement>; accept: string; label: string; testId: string; onFile: (f: File) => void }) {
  return (
    <input
      ref={ref}
      type="file"
      accept={accept}
      hidden
      aria-label={label}
      data-testid={testId}
      onChange={(e) => {
        const f = e.target.files?.[0];
        if (f) onFile(f);
        e.target.value = '';
      }}
    />
  );
}
