import { Language, Parser } from 'web-tree-sitter';
import { assetPath } from '../assets';
import { useDirectHeapAccess } from './wasmHeapAccess';

/** A tree-sitter parser for Python, ready to use. */
export interface PythonParser {
  parser: Parser;
  language: Language;
}

let loading: Promise<PythonParser> | undefined;

/**
 * Loads web-tree-sitter and the Python grammar once per process: both are WASM modules, and
 * instantiating them costs far more than any single parse.
 */
export function loadPythonParser(): Promise<PythonParser> {
  loading ??= (async () => {
    const runtimeWasm = assetPath('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
    // The typings want a whole Emscripten module; only locateFile is needed to find the wasm.
    const moduleOptions = { locateFile: () => runtimeWasm };
    await Parser.init(moduleOptions as unknown as Parameters<typeof Parser.init>[0]);
    useDirectHeapAccess(moduleOptions);
    const language = await Language.load(assetPath('tree-sitter-python.wasm', 'tree-sitter-python/tree-sitter-python.wasm'));
    const parser = new Parser();
    parser.setLanguage(language);
    return { parser, language };
  })();
  return loading;
}
