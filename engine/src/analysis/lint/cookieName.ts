import { pyRepr } from '../../codec/pyRepr';

/** The characters Python's http.cookies takes in a cookie's name (its `_LegalChars`). */
const LEGAL_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~:]+$/;
const ILLEGAL_CHAR = /[^A-Za-z0-9!#$%&'*+\-.^_`|~:]/g;

/** The cookie attributes a `Morsel` refuses as a cookie's name, in any case (its `_reserved`). */
const RESERVED = new Set(['expires', 'path', 'comment', 'domain', 'max-age', 'secure', 'httponly', 'version', 'samesite']);

/** Why Python's http.cookies refuses a cookie's name. */
interface RefusedCookieName {
  /** What is wrong with the name. */
  why: string;
  /** The CookieError's message, as Python words it. */
  error: string;
  /** A name it takes instead. */
  instead: string;
}

/** Why Python's http.cookies refuses `name` as a cookie's name (Django's set_cookie goes through it); undefined when it takes it. */
export function refusedCookieName(name: string): RefusedCookieName | undefined {
  if (RESERVED.has(name.toLowerCase())) {
    return { why: "it is a cookie attribute's name", error: `Attempt to set a reserved key ${pyRepr(name)}`, instead: `session_${name.toLowerCase()}` };
  }
  if (!LEGAL_NAME.test(name)) {
    const instead = name.replace(ILLEGAL_CHAR, '_');
    return {
      why: name === '' ? 'it is empty' : "a cookie name holds only letters, digits and !#$%&'*+-.^_`|~:",
      error: `Illegal key ${pyRepr(name)}`,
      instead: /[A-Za-z0-9]/.test(instead) ? instead : 'sessionid',
    };
  }
  return undefined;
}
