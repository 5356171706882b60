import * as os from 'node:os';

/** The parts of web-tree-sitter's Emscripten module that move node handles in and out of wasm. */
interface HeapAccess {
  HEAP32?: Int32Array;
  setValue?: (pointer: number, value: number, type?: string) => void;
  getValue?: (pointer: number, type?: string) => number;
}

/**
 * Speeds up the 32-bit reads and writes web-tree-sitter makes for every node it hands out.
 * Its generic `setValue`/`getValue` parse a type name and go through a DataView on each call,
 * five times per node; that was about a twentieth of a cold scan. The module object it calls them on is
 * the options object given to `Parser.init`, so plain typed-array access is put in their place
 * (same bytes on a little-endian host; other types still go to the originals).
 */
export function useDirectHeapAccess(module: object): void {
  const heap = module as HeapAccess;
  const { setValue, getValue } = heap;
  if (os.endianness() !== 'LE' || !setValue || !getValue || !(heap.HEAP32 instanceof Int32Array)) {
    return;
  }
  // Emscripten replaces HEAP32 when memory grows; a view left detached by a library that stopped
  // doing so has length 0, and the originals take over rather than read stale memory.
  const live = (): Int32Array | undefined => (heap.HEAP32 && heap.HEAP32.length > 0 ? heap.HEAP32 : undefined);
  heap.setValue = (pointer, value, type) => {
    const view = type === 'i32' ? live() : undefined;
    if (view) {
      view[pointer >> 2] = value;
    } else {
      setValue(pointer, value, type);
    }
  };
  heap.getValue = (pointer, type) => {
    const view = type === 'i32' ? live() : undefined;
    return view ? view[pointer >> 2]! : getValue(pointer, type);
  };
}
