import fc from 'fast-check';
import {
  PyDate,
  PyDatetime,
  PyDecimal,
  PyDict,
  PySet,
  PyTime,
  PyTimedelta,
  PyTimezone,
  PyTuple,
  PyUuid,
  type PyValue,
} from '../../../../engine/src/codec';

/** Any JS string, including lone surrogates and control characters. */
const anyString = fc.string({ unit: 'binary', maxLength: 40 });

const jsonScalar: fc.Arbitrary<PyValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
  fc.double(),
  anyString,
);

/** Values a JSON session can hold and give back unchanged: no tuples (they come back as lists). */
export const jsonValue: fc.Arbitrary<PyValue> = fc.letrec<{ value: PyValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    jsonScalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(anyString, tie('value')), { maxLength: 4 }).map((entries) => new PyDict(entries)),
  ),
})).value;

/** A JSON session dict. */
export const jsonSession: fc.Arbitrary<PyDict> = fc.array(fc.tuple(anyString, jsonValue), { maxLength: 8 }).map((e) => new PyDict(e));

const timezone = fc.oneof(
  fc.constant(null),
  fc.constant(PyTimezone.utc),
  fc.constant(PyTimezone.pytzUtc),
  fc.integer({ min: -86399, max: 86399 }).map((s) => new PyTimezone(new PyTimedelta(0, s))),
);

const hashable: fc.Arbitrary<PyValue> = fc.oneof(
  anyString,
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.constant(null),
  fc.array(anyString, { maxLength: 3 }).map((items) => new PyTuple(items)),
);

const pickleScalar: fc.Arbitrary<PyValue> = fc.oneof(
  jsonScalar,
  fc.uint8Array({ maxLength: 300 }),
  fc
    .record({
      y: fc.integer({ min: 1, max: 9999 }),
      mo: fc.integer({ min: 1, max: 12 }),
      d: fc.integer({ min: 1, max: 28 }),
      h: fc.integer({ min: 0, max: 23 }),
      mi: fc.integer({ min: 0, max: 59 }),
      s: fc.integer({ min: 0, max: 59 }),
      us: fc.integer({ min: 0, max: 999_999 }),
      tz: timezone,
    })
    .chain((r) =>
      fc.constantFrom(
        new PyDatetime(r.y, r.mo, r.d, r.h, r.mi, r.s, r.us, r.tz),
        new PyDate(r.y, r.mo, r.d),
        new PyTime(r.h, r.mi, r.s, r.us, r.tz),
      ),
    ),
  fc.tuple(fc.integer({ min: -999_999_999, max: 999_999_999 }), fc.integer({ min: 0, max: 86399 }), fc.integer({ min: 0, max: 999_999 })).map(
    ([d, s, us]) => new PyTimedelta(d, s, us),
  ),
  fc.constantFrom('0', '1.50', '-1E+3', 'NaN', '-Infinity', '3.14159265358979323846264338327950288').map((t) => new PyDecimal(t)),
  fc.uuid().map((u) => new PyUuid(u)),
);

/** Values a pickled session can hold. */
export const pickleValue: fc.Arbitrary<PyValue> = fc.letrec<{ value: PyValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    pickleScalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => new PyTuple(items)),
    fc.array(fc.tuple(hashable, tie('value')), { maxLength: 4 }).map((entries) => new PyDict(entries)),
    fc.uniqueArray(hashable, { maxLength: 4, selector: (v) => JSON.stringify(String(v)) }).map((items) => new PySet(items)),
  ),
})).value;

export const pickleSession: fc.Arbitrary<PyDict> = fc.array(fc.tuple(anyString, pickleValue), { maxLength: 6 }).map((e) => new PyDict(e));
