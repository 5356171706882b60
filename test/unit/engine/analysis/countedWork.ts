/** The characters String.indexOf scans and the elements Array.some visits while `run` runs: counts, not times. */
export function counted<T>(run: () => T): { result: T; work: { searched: number; visited: number } } {
  const work = { searched: 0, visited: 0 };
  const { indexOf } = String.prototype;
  const { some } = Array.prototype;
  String.prototype.indexOf = function (this: string, search: string, position?: number) {
    const at = indexOf.call(this, search, position);
    work.searched += (at === -1 ? this.length : at + search.length) - Math.max(0, position ?? 0);
    return at;
  };
  Array.prototype.some = function <U>(this: U[], predicate: (value: U, index: number, array: U[]) => unknown) {
    return some.call(this, (value: U, index: number, array: U[]) => {
      work.visited++;
      return predicate(value, index, array);
    });
  };
  try {
    return { result: run(), work };
  } finally {
    String.prototype.indexOf = indexOf;
    Array.prototype.some = some;
  }
}
