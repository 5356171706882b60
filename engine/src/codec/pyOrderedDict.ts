import { PyDict } from './pyDict';

/**
 * A `collections.OrderedDict`: a dict to read and edit, kept apart so that it is pickled back
 * as an OrderedDict (code may call `move_to_end` on it) and compared with its order, as Python does.
 */
export class PyOrderedDict extends PyDict {
  override copy(): PyOrderedDict {
    return new PyOrderedDict(this);
  }
}
