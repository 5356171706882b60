import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { lintProject } from '../../../../engine/src/analysis';
import { tempProject } from '../project/tempProject';

describe("the keys update() sets through dict(…), and its keywords' values", () => {
  it("takes dict(key=…)'s keywords and literal dict for writes, keeps the rest unknown, and checks each value DS103 checks", async () => {
    const root = tempProject({
      'shop/views.py': [
        'from django.utils import timezone',
        '',
        'def login_done(request, user):',
        '    next_url = request.session.get("next_url") or "/"',
        '    request.session.update(dict(next_url="", theme="dark"))',
        '    request.session.update(dict({"lang": "en"}, **user.prefs))',
        '    request.session.update(last_seen=timezone.now())',
        '    return next_url, request.session["theme"], request.session["lang"], request.session["last_seen"], request.session["missing"]',
        '',
      ].join('\n'),
    });
    const found = await lintProject(root, { env: {} });
    assert.deepEqual(
      found.map((d) => `${path.relative(root, d.file)}:${d.range.start.line + 1}:${d.range.start.character} ${d.code} ${d.message}`),
      [
        "shop/views.py:7:37 DS103 Session key 'last_seen' is given a datetime, which JSONSerializer cannot store (TypeError when the session is saved); store value.isoformat() and parse it back with datetime.fromisoformat() on read.",
        "shop/views.py:8:118 DS101 Session key 'missing' is read but never written in this project (1 write with a dynamic key could also set it); check the key's spelling or write it first.",
      ],
    );
  });

  it('takes the keys of a dict a local or module constant passed to update() plainly holds, and keeps one the function changes, or a parameter, unknown', async () => {
    const root = tempProject({
      'shop/views.py': [
        'DEFAULTS = {"layout": "grid"}',
        '',
        'def onboard(request, extra):',
        '    data = {"onboarded": True, "step_done": 3}',
        '    request.session.update(data)',
        '    request.session.update(DEFAULTS)',
        '    more = {}',
        '    more["grown"] = 1',
        '    request.session.update(more)',
        '    request.session.update(extra)',
        '',
        'def show(request):',
        '    return [request.session[k] for k in ("onboarded", "step_done", "layout", "missing")]',
        '',
      ].join('\n'),
    });
    const found = await lintProject(root, { env: {} });
    assert.deepEqual(
      found.map((d) => `${path.relative(root, d.file)}:${d.range.start.line + 1}:${d.range.start.character} ${d.code} ${d.message}`),
      ["shop/views.py:13:77 DS101 Session key 'missing' is read but never written in this project (2 writes with a dynamic key could also set it); check the key's spelling or write it first."],
    );
  });
});
