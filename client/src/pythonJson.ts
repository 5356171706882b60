/** What Python's json.loads reads besides JSON, and Django's JSONSerializer writes for such floats. */
const NON_FINITE = ['-Infinity', 'Infinity', 'NaN'];

/**
 * Whether Python's `json.loads` reads `text`, as the server will when it is saved: JSON, and also
 * `NaN`, `Infinity` and `-Infinity`, which `json.dumps` writes for such floats, so a value the view
 * shows as one can be saved again.
 */
export function isPythonJson(text: string): boolean {
  // The non-finite words, outside strings, become null: JSON.parse then reads what json.loads does.
  let json = '';
  for (let i = 0; i < text.length; ) {
    if (text[i] === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') {
        end += text[end] === '\\' ? 2 : 1;
      }
      json += text.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    const word = NON_FINITE.find((w) => text.startsWith(w, i));
    json += word === undefined ? text[i] : 'null';
    i += word === undefined ? 1 : word.length;
  }
  try {
    JSON.parse(json);
    return true;
  } catch {
    return false;
  }
}
