import * as assert from 'node:assert/strict';
import { lintSessionKeys, SessionKeyIndex } from '../../../../engine/src/analysis';

const VIEW = [
  'from datetime import timedelta',
  'from django.utils import timezone',
  '',
  'def remember(request):',
  '    request.session.set_expiry(timedelta(days=30))',
  '    request.session.set_expiry(timezone.now() + timedelta(hours=1))',
  '    request.session.set_expiry(1800.0)',
  '    request.session.set_expiry("300")',
  '',
].join('\n');

async function ds105(djangoVersion?: string, serializer: 'json' | 'pickle' = 'json'): Promise<[number, string][]> {
  const index = await SessionKeyIndex.create();
  index.updateFile('/p/shop/views.py', VIEW);
  return lintSessionKeys(index, { serializer, saveEveryRequest: false, ...(djangoVersion ? { djangoVersion } : {}) })
    .filter((d) => d.code === 'DS105')
    .map((d) => [d.range.start.line, d.message.slice(0, 40)]);
}

describe('DS105: set_expiry() arguments', () => {
  it('refuses a datetime or timedelta under JSONSerializer on Django before 4.1, which stores it as it is', async () => {
    assert.deepEqual((await ds105('3.2')).map(([line]) => line), [4, 5, 7]);
    assert.match((await ds105('3.2'))[0]![1], /^set_expiry\(\) given a timedelta stores a/);
  });

  it('takes them on Django 4.1+, with pickle, or when the version is unknown; takes a float, as Django does', async () => {
    for (const [version, serializer] of [['4.1', 'json'], ['5.2', 'json'], ['3.2', 'pickle'], [undefined, 'json']] as const) {
      assert.deepEqual((await ds105(version, serializer)).map(([line]) => line), [7], `${version} ${serializer}`);
    }
  });
});

describe('DS105: set_expiry() given text', () => {
  it('reports an expression that plainly gives a str, which fails when Django computes the expiry, and offers the int for str(N)', async () => {
    const index = await SessionKeyIndex.create();
    index.updateFile(
      '/p/shop/views.py',
      [
        'from datetime import timedelta',
        'from django.conf import settings',
        '',
        'def remember(request, days, until, keep):',
        '    request.session.set_expiry(str(3600))',
        '    request.session.set_expiry(f"{days * 86400}")',
        '    request.session.set_expiry("%d" % days)',
        '    request.session.set_expiry("{}".format(days))',
        '    request.session.set_expiry(until.isoformat())',
        '    request.session.set_expiry(request.POST.get("seconds", 3600))',
        '    request.session.set_expiry(self.request.GET["seconds"])',
        '    request.session.set_expiry(int(days) * 86400)',
        '    request.session.set_expiry(timedelta(days=1).total_seconds())',
        '    request.session.set_expiry(keep and 3600 or 0)',
        '    request.session.set_expiry(settings.SESSION_COOKIE_AGE)',
        '    request.session.set_expiry(days.format())',
        '    request.session.set_expiry(request.session.get("seconds"))',
        '    request.session.set_expiry(date.today())',
        '',
      ].join('\n'),
    );
    const rows = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false })
      .filter((d) => d.code === 'DS105')
      .map((d) => [d.range.start.line, d.message.endsWith('not a string; pass one of those.'), d.fix?.edits[0]?.newText]);
    assert.deepEqual(rows, [
      [4, true, '3600'],
      [5, true, undefined],
      [6, true, undefined],
      [7, true, undefined],
      [8, true, undefined],
      [9, true, undefined],
      [10, true, undefined],
      [17, false, undefined],
    ]);
    const date = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false }).find((d) => d.code === 'DS105' && d.range.start.line === 17);
    assert.equal(date?.message, 'set_expiry() takes seconds as an int, a datetime, a timedelta or None, not a date; pass one of those.');
  });
});
