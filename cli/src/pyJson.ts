import { pythonJsonStringify, pyRepr, type PyValue } from '../../engine/src';
import { RawJson } from './jsonOutput';

/**
 * Session data as exact JSON for output: Python's own `json.dumps` text, so big ints and floats
 * survive. Pickled values JSON cannot hold (datetimes, sets, …) are shown as their Python repr.
 */
export function pyDataJson(data: PyValue): RawJson {
  try {
    return new RawJson(pythonJsonStringify(data));
  } catch {
    return new RawJson(JSON.stringify(pyRepr(data)));
  }
}
