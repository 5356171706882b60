/**
 * JSON as Python's `json.dumps` writes it (`ensure_ascii`), with the `\uXXXX` escapes of
 * non-ASCII characters written as the characters, for a person to read and edit: `"Zo\u00eb"`
 * becomes `"Zoë"`, a surrogate pair one character. Escapes of control characters and lone
 * surrogates stay, as they have no plain form an input box keeps; the value is the same JSON.
 */
export function readableJson(json: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i]!;
    if (!inString) {
      inString = c === '"';
      out += c;
      continue;
    }
    if (c === '"') {
      inString = false;
      out += c;
      continue;
    }
    if (c !== '\\') {
      out += c;
      continue;
    }
    const unit = json[i + 1] === 'u' ? codeUnitAt(json, i + 2) : undefined;
    if (unit === undefined) {
      // `\"`, `\\`, `\n` and the like: kept as they are, with the escaped character.
      out += json.slice(i, i + 2);
      i++;
      continue;
    }
    const low = isHighSurrogate(unit) && json.startsWith('\\u', i + 6) ? codeUnitAt(json, i + 8) : undefined;
    if (low !== undefined && isLowSurrogate(low)) {
      out += String.fromCharCode(unit, low);
      i += 11;
    } else if (unit >= 0x80 && !isHighSurrogate(unit) && !isLowSurrogate(unit)) {
      out += String.fromCharCode(unit);
      i += 5;
    } else {
      out += json.slice(i, i + 6);
      i += 5;
    }
  }
  return out;
}

function codeUnitAt(text: string, at: number): number | undefined {
  const hex = text.slice(at, at + 4);
  return /^[0-9a-fA-F]{4}$/.test(hex) ? parseInt(hex, 16) : undefined;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
