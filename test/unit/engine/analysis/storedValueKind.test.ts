import * as assert from 'node:assert/strict';
import { lintSessionKeys, SessionKeyIndex } from '../../../../engine/src/analysis';

/** The DS103 kinds reported for `request.session["k"] = <expression>`, one expression per line. */
async function kinds(expressions: string[]): Promise<(string | undefined)[]> {
  const index = await SessionKeyIndex.create();
  const body = expressions.map((e, i) => `    request.session["k${i}"] = ${e}`).join('\n');
  index.updateFile('/p/shop/views.py', `def view(request):\n${body}\n    return [${expressions.map((_, i) => `request.session["k${i}"]`).join(', ')}]\n`);
  const found = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false }).filter((d) => d.code === 'DS103');
  return expressions.map((_, i) => found.find((d) => d.range.start.line === i + 1)?.message.match(/is given an? ([\w ]+?), which/)?.[1]);
}

describe('DS103: values JSONSerializer cannot store', () => {
  it("reports an instance of a plain class of the file (no bases but object and such classes, or a dataclass), not one whose bases may be JSON data (Misago's JamCache)", async () => {
    const index = await SessionKeyIndex.create();
    index.updateFile(
      '/p/shop/views.py',
      [
        'from dataclasses import dataclass',
        'from enum import Enum',
        'from shop.remote import Remote',
        '',
        'class JamCache(object):',
        '    pass',
        '',
        'class Deeper(JamCache):',
        '    pass',
        '',
        '@dataclass(frozen=True)',
        'class Point:',
        '    x: int',
        '',
        'class Cart(dict):',
        '    pass',
        '',
        'class Color(str, Enum):',
        '    RED = "red"',
        '',
        'class Meta(metaclass=Remote):',
        '    pass',
        '',
        '@register',
        'class Registered:',
        '    pass',
        '',
        'def view(request):',
        '    jam = JamCache()',
        '    request.session["a"] = jam',
        '    request.session["b"] = [Deeper()]',
        '    request.session["c"] = Point(1)',
        '    request.session["d"] = Cart()',
        '    request.session["e"] = Color("red")',
        '    request.session["f"] = Meta()',
        '    request.session["g"] = Registered()',
        '    request.session["h"] = Remote()',
        '    return [request.session[k] for k in "abcdefgh"]',
        '',
      ].join('\n'),
    );
    const found = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false }).filter((d) => d.code === 'DS103');
    assert.deepEqual(
      found.map((d) => [d.range.start.line, d.message.match(/is given an? ([\w ]+?), which/)?.[1]]),
      [
        [29, 'JamCache instance'],
        [30, 'list holding a Deeper instance'],
        [31, 'Point instance'],
      ],
    );
  });

  it("reports a model instance made by a model's constructor: a class of the file with a model base, or one imported from a models module (LFS's checkout)", async () => {
    const index = await SessionKeyIndex.create();
    index.updateFile(
      '/p/shop/views.py',
      [
        'from django.contrib.auth.models import User as Account',
        'from django.db import models',
        'from shop.models import Order, helpers',
        'from shop.forms import OrderForm',
        '',
        'class Coupon(models.Model):',
        '    pass',
        '',
        'class SpecialCoupon(Coupon):',
        '    pass',
        '',
        'def view(request):',
        '    request.session["a"] = Order(price=1)',
        '    request.session["b"] = Account(username="x")',
        '    request.session["c"] = SpecialCoupon()',
        '    request.session["d"] = OrderForm()',
        '    request.session["e"] = models.Q(pk=1)',
        '    return [request.session[k] for k in "abcde"]',
        '',
      ].join('\n'),
    );
    const found = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false }).filter((d) => d.code === 'DS103');
    assert.deepEqual(found.map((d) => [d.range.start.line, d.message.match(/is given an? ([\w ]+?), which/)?.[1]]), [
      [12, 'model instance'],
      [13, 'model instance'],
      [14, 'model instance'],
    ]);
  });

  it('reports a local by the value that reaches the write, where the function binds it more than once (LFS: None, an early return, then create())', async () => {
    const index = await SessionKeyIndex.create();
    index.updateFile(
      '/p/shop/views.py',
      [
        'def add_order(request, cart):',
        '    order = None',
        '    if cart is None:',
        '        return order',
        '    order = Order.objects.create(price=1)',
        '    request.session["a"] = order',
        '    maybe = None',
        '    if cart:',
        '        maybe = Order.objects.create(price=2)',
        '    request.session["b"] = maybe',
        '    last = Order.objects.get(pk=1)',
        '    for item in cart:',
        '        request.session["c"] = last',
        '        last = item.pk',
        '    when = timezone.now()',
        '    when = when.isoformat()',
        '    request.session["d"] = when',
        '    return [request.session[k] for k in "abcd"]',
        '',
      ].join('\n'),
    );
    const found = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false }).filter((d) => d.code === 'DS103');
    assert.deepEqual(found.map((d) => [d.range.start.line, d.message.match(/is given an? ([\w ]+?), which/)?.[1]]), [[5, 'model instance']]);
  });

  it("reports str.encode's bytes, not the str other encode() calls return", async () => {
    assert.deepEqual(await kinds(['token.encode()', 'token.encode("utf-8")', 'jwt.encode(payload, key, algorithm="HS256")', 'DjangoJSONEncoder().encode(data)', 'b"raw"']), ['bytes', 'bytes', undefined, undefined, 'bytes']);
  });

  it('reports date arithmetic whose result is plain, and does not guess at one with an operand of unknown type', async () => {
    assert.deepEqual(await kinds(['timezone.now() + timedelta(minutes=15)', 'timedelta(days=1) + timezone.now()', 'timezone.now() - started', 'timezone.now() - timezone.now()', 'timedelta(days=1) + timedelta(hours=2)', 'started + timedelta(minutes=5)']), [
      'datetime',
      'datetime',
      undefined,
      'timedelta',
      'timedelta',
      undefined,
    ]);
  });

  it("tells a date from a datetime, Django's localtime() and localdate() included, through its arithmetic and replace()", async () => {
    assert.deepEqual(
      await kinds(['datetime.date.today()', 'date.today()', 'datetime.datetime.today()', 'timezone.localdate()', 'timezone.localtime()', 'timezone.now().date()', 'date(2024, 1, 31)', 'date.today() + timedelta(days=1)', 'date.today().replace(day=1)', 'date.today() - date(2024, 1, 1)']),
      ['date', 'date', 'datetime', 'date', 'datetime', 'date', 'date', 'date', 'date', 'timedelta'],
    );
  });

  it('reports the Decimal arithmetic and the set operators give, not other operators on them', async () => {
    assert.deepEqual(
      await kinds(['Decimal(price) * qty', 'qty * Decimal("1.5")', 'set(tags) | {tag}', '{1} & {2}', 'set(a) - set(b)', 'Decimal(x) < limit', 'set(a) == set(b)', 'price * qty']),
      ['Decimal', 'Decimal', 'set', 'set', 'set', undefined, undefined, undefined],
    );
  });

  it('reports model instances, not the dicts and values values() and values_list() give', async () => {
    assert.deepEqual(await kinds(['Order.objects.first()', 'Order.objects.filter(paid=True).last()', 'Order.objects.values_list("pk", flat=True).first()', 'Order.objects.values("id", "total").first()']), [
      'model instance',
      'model instance',
      undefined,
      undefined,
    ]);
  });

  it("reports a QuerySet (values() and values_list() ones too, which JSON refuses as well) and authenticate()'s user, not a list() of rows or what count() and exists() give", async () => {
    assert.deepEqual(
      await kinds([
        'Order.objects.all()',
        'Order.objects.filter(paid=True).order_by("-id")',
        'Order.objects.values_list("pk", flat=True)',
        'Order.objects.filter(paid=True).values("id")',
        'list(Order.objects.values_list("pk", flat=True))',
        'Order.objects.filter(paid=True).count()',
        'Order.objects.filter(paid=True).exists()',
        'authenticate(request, username=name, password=secret)',
      ]),
      ['QuerySet', 'QuerySet', 'QuerySet of values', 'QuerySet of values', undefined, undefined, undefined, 'model instance'],
    );
  });

  it('offers to store the primary keys of a QuerySet, and a list of the rows of a values() one', async () => {
    const index = await SessionKeyIndex.create();
    index.updateFile('/p/shop/views.py', 'def view(request):\n    request.session["a"] = Order.objects.filter(paid=True)\n    request.session["b"] = Order.objects.values("id")\n    return request.session["a"], request.session["b"]\n');
    const fixes = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false }).flatMap((d) => (d.code === 'DS103' && d.fix ? [`${d.fix.title}: ${d.fix.edits[0]!.newText}`] : []));
    assert.deepEqual(fixes, ['Store the primary keys: list(Order.objects.filter(paid=True).values_list("pk", flat=True))', 'Store a list: list(Order.objects.values("id"))']);
  });

  it('reports a value inside dict, list and tuple literals at the value, and the datetime a chained replace() or astimezone() keeps (Sentry\'s superuser)', async () => {
    assert.deepEqual(await kinds(['{"exp": datetime.datetime.now(), "n": 1}', '[Decimal("1.0")]', '("a", {"b": {1, 2}})', 'datetime.datetime.utcfromtimestamp(0).replace(tzinfo=timezone.utc)', 'timezone.now().astimezone(tz)', '"text".replace("a", "b")', '{"when": started}']), [
      'dict holding a datetime',
      'list holding a Decimal',
      'tuple holding a set',
      'datetime',
      'datetime',
      undefined,
      undefined,
    ]);
  });

  it("reports time zone objects: pytz's and datetime's timezone(), ZoneInfo, Django's current zone and the UTC singletons (kitsune's)", async () => {
    assert.deepEqual(await kinds(['timezone(settings.TIME_ZONE)', 'pytz.timezone("US/Pacific")', 'ZoneInfo("Europe/Berlin")', 'timezone.get_current_timezone()', 'timezone.utc', 'pytz.utc', 'timezone.now()', 'user.timezone']), [
      'time zone',
      'time zone',
      'time zone',
      'time zone',
      'time zone',
      'time zone',
      'datetime',
      undefined,
    ]);
  });

  it("reports values in setdefault() and update() containers too, and a local by what its function binds it to once (kitsune's zone, Sentry's datetimes)", async () => {
    const index = await SessionKeyIndex.create();
    index.updateFile(
      '/p/shop/views.py',
      [
        'def view(request, when):',
        '    tz = default_tz = timezone(settings.TIME_ZONE)',
        '    now = datetime.datetime.now()',
        '    request.session.setdefault("viaset", {"at": timezone.now()})',
        '    request.session.update({"viaupdate": [now]})',
        '    request.session["zone"] = tz',
        '    request.session["zone2"] = default_tz',
        '    request.session["param"] = when',
        '    return [request.session[k] for k in ("viaset", "viaupdate", "zone", "zone2", "param")]',
        '',
      ].join('\n'),
    );
    const found = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false })
      .filter((d) => d.code === 'DS103')
      .map((d) => `${d.range.start.line + 1}:${d.range.start.character} ${d.message.match(/is given an? ([\w ]+?), which/)?.[1]} ${d.fix?.edits[0]?.newText}`);
    assert.deepEqual(found, [
      '4:48 dict holding a datetime timezone.now().isoformat()',
      '5:42 list holding a datetime now.isoformat()',
      '6:30 time zone str(tz)',
      '7:31 time zone str(default_tz)',
    ]);
  });

  it("reports a value an in-place change stores, and then gives no DS104 under JSON, whose modified = True would make the save raise (Sentry's superuser)", async () => {
    const index = await SessionKeyIndex.create();
    index.updateFile(
      '/p/auth/superuser.py',
      [
        'def get_session_data(request):',
        '    data = request.session.get("_su")',
        '    data["exp"] = datetime.datetime.utcfromtimestamp(float(data["exp"])).replace(tzinfo=timezone.utc)',
        '    request.session["_cart"]["n"] = Decimal("1")',
        '    return data',
        '',
        'def set_logged_in(request, exp_ts):',
        '    request.session["_su"] = {"exp": str(exp_ts)}',
        '    request.session["_cart"] = {}',
        '',
      ].join('\n'),
    );
    const codes = (serializer: 'json' | 'pickle') =>
      lintSessionKeys(index, { serializer, saveEveryRequest: false })
        .filter((d) => d.code === 'DS103' || d.code === 'DS104')
        .map((d) => `${d.code} ${d.range.start.line + 1} ${d.message.match(/'([^']+)'/)?.[1]}`);
    assert.deepEqual(codes('json').sort(), ['DS103 3 _su', 'DS103 4 _cart']);
    assert.deepEqual(codes('pickle').sort(), ['DS104 3 _su', 'DS104 4 _cart']);
  });

  it("reports a value stored through a helper's session parameter that a call fills with a session, and through Channels' scope[\"session\"], not through a parameter no call fills", async () => {
    const index = await SessionKeyIndex.create();
    index.updateFile(
      '/p/shop/views.py',
      [
        'from decimal import Decimal',
        'import datetime',
        '',
        'def apply_coupon(session, discount):',
        '    session["coupon_discount"] = Decimal(discount)',
        '',
        'def unrelated(session, when):',
        '    session["when"] = datetime.datetime.now()',
        '',
        'def coupon_view(request):',
        '    apply_coupon(request.session, "1.5")',
        '    return request.session.get("coupon_discount")',
        '',
        'async def app(scope, receive, send):',
        '    scope["session"]["room"] = datetime.datetime.now()',
        '',
      ].join('\n'),
    );
    const found = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false }).filter((d) => d.code === 'DS103');
    assert.deepEqual(found.map((d) => [d.range.start.line, d.message.split(',')[0]]), [
      [4, "Session key 'coupon_discount' is given a Decimal"],
      [14, "Session key 'room' is given a datetime"],
    ]);
  });
});
