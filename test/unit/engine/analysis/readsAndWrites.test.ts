import * as assert from 'node:assert/strict';
import { lintProject } from '../../../../engine/src/analysis';
import { tempProject } from '../project/tempProject';

/** The keys DS101 and DS102 name in a project made of `files`, by code. */
async function findings(files: Record<string, string>): Promise<{ DS101: string[]; DS102: string[] }> {
  const found = await lintProject(tempProject(files, 'ds-reads-writes-'), { env: {} });
  const keysOf = (code: string) => found.filter((d) => d.code === code).map((d) => d.message.match(/'([^']+)'/)?.[1] ?? '');
  return { DS101: keysOf('DS101'), DS102: keysOf('DS102') };
}

describe('DS101 and DS102: a local bound to Channels\' scope["session"] or a helper\'s session', () => {
  it('takes its writes as writes and its reads as reads, until the name is bound again', async () => {
    const result = await findings({
      'chat/consumers.py': [
        'def connect(scope):',
        '    session = scope["session"]',
        '    session["room"] = 1',
        '    session = {}',
        '    session["notes"] = 1',
        '',
        'class RoomConsumer:',
        '    def receive(self):',
        '        session = self.scope["session"]',
        '        return session.get("nickname")',
        '',
      ].join('\n'),
      'chat/helpers.py': 'def remember(session):\n    s = session\n    s["remembered"] = 1\n',
      'chat/views.py': [
        'def view(request):',
        '    request.session["nickname"] = "me"',
        '    return request.session.get("room"), request.session.get("notes"), request.session["remembered"]',
        '',
      ].join('\n'),
    });
    assert.deepEqual(result, { DS101: ['notes'], DS102: [] });
  });
});
