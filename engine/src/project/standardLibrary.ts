/**
 * Standard-library modules every Python that runs a supported Django has, on every platform:
 * none added after 3.8 (`zoneinfo`, `tomllib`, whose `try: import … except ImportError` is a
 * real version switch), none removed up to 3.13 (`distutils`, `imp`, `cgi`), and no
 * platform-only one (`winreg`, `pwd`). Settings guard such imports out of habit
 * (`try: import json`); they never fail.
 */
const ALWAYS_IMPORTABLE = new Set([
  'abc', 'argparse', 'array', 'ast', 'asyncio', 'atexit', 'base64', 'binascii', 'bisect', 'builtins', 'bz2',
  'calendar', 'codecs', 'collections', 'concurrent', 'configparser', 'contextlib', 'copy', 'csv', 'dataclasses',
  'datetime', 'decimal', 'difflib', 'email', 'enum', 'errno', 'fnmatch', 'fractions', 'functools', 'gc', 'getpass',
  'gettext', 'glob', 'gzip', 'hashlib', 'heapq', 'hmac', 'html', 'http', 'importlib', 'inspect', 'io', 'ipaddress',
  'itertools', 'json', 'keyword', 'linecache', 'locale', 'logging', 'lzma', 'math', 'mimetypes', 'multiprocessing',
  'numbers', 'operator', 'os', 'pathlib', 'pickle', 'pkgutil', 'platform', 'pprint', 'queue', 'random', 're',
  'secrets', 'shlex', 'shutil', 'signal', 'socket', 'ssl', 'stat', 'statistics', 'string', 'struct', 'subprocess',
  'sys', 'sysconfig', 'tarfile', 'tempfile', 'textwrap', 'threading', 'time', 'traceback', 'types', 'typing',
  'unicodedata', 'urllib', 'uuid', 'warnings', 'weakref', 'xml', 'zipfile', 'zlib',
]);

/** Whether importing a module (or a submodule of it) is sure to find Python's own, by its top-level name. */
export function isAlwaysImportable(moduleText: string): boolean {
  return ALWAYS_IMPORTABLE.has(moduleText.split('.')[0]!);
}
