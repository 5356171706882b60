import * as assert from 'node:assert/strict';
import { lintSessionKeys, SessionKeyIndex } from '../../../../engine/src/analysis';

/** The DS110 findings of one views file, as `line key by`. */
async function discarded(lines: string[]): Promise<string[]> {
  const index = await SessionKeyIndex.create();
  index.updateFile('/p/shop/views.py', lines.join('\n'));
  return lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false })
    .filter((d) => d.code === 'DS110')
    .map((d) => `${d.range.start.line + 1} ${/^Session key '(\w+)'/.exec(d.message)?.[1]} ${/: (\S+) on line/.exec(d.message)?.[1]}`);
}

describe('DS110: a session write a later call throws away', () => {
  it('follows the function out of if and with blocks, and through await', async () => {
    assert.deepEqual(
      await discarded([
        'from django.contrib.auth import alogout, logout',
        'from django.contrib.auth.mixins import LoginRequiredMixin',
        'from django.contrib.auth import login',
        '',
        'def a(request):',
        '    if request.method == "POST":',
        '        request.session["a"] = 1',
        '    with lock:',
        '        x = 1',
        '    logout(request)',
        '',
        'async def b(request):',
        '    await request.session.aset("b", 1)',
        '    await alogout(request)',
        '',
        'class Switch(LoginRequiredMixin, View):',
        '    def post(self, request):',
        '        self.request.session.update({"c": 1})',
        '        login(self.request, target)',
        '',
      ]),
      ['7 a logout()', '13 b alogout()', '18 c login()'],
    );
  });

  it('is quiet where the key may be read first, a path may leave before, or login() keeps the session', async () => {
    assert.deepEqual(
      await discarded([
        'from django.contrib.auth import login, logout',
        '',
        'def helper_between(request):',
        '    request.session["a"] = 1',
        '    audit(request)',
        '    logout(request)',
        '',
        'def read_between(request):',
        '    request.session["b"] = 1',
        '    x = request.session["b"]',
        '    logout(request)',
        '',
        'def in_loop(request):',
        '    for i in range(2):',
        '        request.session["c"] = i',
        '        logout(request)',
        '',
        'def in_try(request):',
        '    try:',
        '        request.session["d"] = 1',
        '    finally:',
        '        pass',
        '    logout(request)',
        '',
        'def anonymous(request):',
        '    request.session["e"] = 1',
        '    login(request, user)',
        '',
        'def same_user(request):',
        '    request.session["f"] = request.user.pk',
        '    login(request, request.user)',
        '',
        'def other_logout(request):',
        '    request.session["g"] = 1',
        '    myapp.logout(request)',
        '',
        'def after(request):',
        '    logout(request)',
        '    request.session["h"] = 1',
        '',
        'def reads(request):',
        '    return [request.session[k] for k in "abcdefgh"]',
        '',
      ]),
      ['15 c logout()'],
    );
  });
});
