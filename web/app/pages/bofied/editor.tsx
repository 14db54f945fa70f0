import { useState } from "preact/hooks";
import { bofiedApi, errorText } from "./api.ts";

/** A text file in a textarea; rules are checked in the server's sandbox before they are saved. */
export function Editor(
  { path, text, onSave, onClose, isRules }: {
    path: string;
    text: string;
    isRules: boolean;
    onSave: (text: string) => Promise<unknown>;
    onClose: () => void;
  },
) {
  const [value, setValue] = useState(text);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  async function save() {
    setSaved(false);
    try {
      if (isRules) {
        const { error } = await bofiedApi().checkRules({ source: value });
        if (error) return setProblem(error);
      }
      await onSave(value);
      setProblem(null);
      setSaved(true);
    } catch (error) {
      setProblem(errorText(error));
    }
  }
  return (
    <div class="editor" aria-label={`Editing ${path}`}>
      <h3>{path}</h3>
      <textarea
        aria-label="File text"
        value={value}
        onInput={(e) => setValue(e.currentTarget.value)}
        rows={18}
      />
      <div class="toolbar">
        <button type="button" onClick={save}>Save</button>
        <button type="button" onClick={onClose}>Close</button>
        {saved && <span class="muted" role="status">saved</span>}
      </div>
      {problem && <p class="error" role="alert">{problem}</p>}
    </div>
  );
}
