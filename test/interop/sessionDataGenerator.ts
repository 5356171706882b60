/** Deterministic pseudo-random session dicts as JSON text, with the shapes real sessions take. */
export function generateSessionJson(count: number, seed = 1): string[] {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const strings = ['cart', 'Zoë', '☃ snow', '😀', 'a"quote', 'back\\slash', 'tab\there', 'ctl\u0001', 'del\u007f', '', 'x'.repeat(300)];
  const numbers = ['0', '-5', '42', '12345678901234567890', '-98765432109876543210', '1.0', '0.1', '1e-07', '1e+16', '3.141592653589793', '-0.0'];

  function value(depth: number): string {
    const r = next();
    if (depth < 3 && r < 0.15) {
      return `[${Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1)).join(',')}]`;
    }
    if (depth < 3 && r < 0.3) {
      return dict(depth + 1, Math.floor(next() * 4));
    }
    if (r < 0.55) return JSON.stringify(pick(strings));
    if (r < 0.85) return pick(numbers);
    return pick(['true', 'false', 'null']);
  }

  function dict(depth: number, size: number): string {
    const keys = new Set<string>();
    while (keys.size < size) keys.add(pick([...strings, 'n', '2', '_auth_user_id', `k${keys.size}`]));
    return `{${[...keys].map((k) => `${JSON.stringify(k)}:${value(depth)}`).join(',')}}`;
  }

  return Array.from({ length: count }, (_, i) => (i % 10 === 0 ? '{}' : dict(0, 1 + Math.floor(next() * 8))));
}
