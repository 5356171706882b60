/** A session key as written, before names are resolved across modules. */
export type KeyExpression =
  | { kind: 'literal'; value: string }
  /** A bare name: a module constant, an imported constant or one of Django's. */
  | { kind: 'name'; name: string }
  /** `owner.NAME` where owner is a dotted module alias or a class of the same file. */
  | { kind: 'member'; owner: string; name: string }
  /**
   * `self.NAME` (`onSelf`) / `cls.NAME` inside a class; `setOnInstance` when its methods assign
   * `self.NAME` (see markInstanceAttributes).
   */
  | { kind: 'classAttribute'; className: string; name: string; onSelf?: true; setOnInstance?: true }
  /**
   * `parameter` names the function's own parameter the key is, which calls of the function may
   * tell (see keyParameterHelpers); `prefix` is how the key starts, when it is a literal followed
   * by what is only known at run time (`f"cart_{pk}"`, `"cart_{}".format(pk)`, `"cart_" + pk`).
   */
  | { kind: 'dynamic'; reason: string; parameter?: string; prefix?: string };
