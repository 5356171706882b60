import * as assert from 'node:assert/strict';
import { SessionKeyIndex } from '../../../engine/src';
import { hoverSessionKey } from '../../../server/src/hover';
import { positionOf } from './positionOf';

const views = '/proj/staff/views.py';
const source = ['def banner(request):', '    return request.session.get("hijack_history"), request.session["wizard_signup"]', ''].join('\n');

describe('hover on a session key a third-party app uses', () => {
  let index: SessionKeyIndex;

  before(async () => {
    index = await SessionKeyIndex.create();
    index.addRoot('/proj');
    index.updateFile(views, source);
  });

  const hover = (needle: string, installedApps?: readonly string[]) => {
    const p = positionOf(source, needle, 1);
    return (hoverSessionKey(index, views, p.line, p.character, '/proj', installedApps)?.contents as { value: string }).value;
  };

  it('says which installed app writes and reads it, and what it holds', () => {
    assert.equal(
      hover('"hijack_history"', ['django.contrib.sessions', 'hijack']),
      [
        '**session key** `hijack_history`',
        '',
        'django-hijack (`hijack`) writes and reads it: The primary keys of the hijacking users, as strings, the last one released first.',
        '',
        'Written in 0 places, read in 1 place.',
        '',
        'Read:',
        '- get at `staff/views.py:2`',
      ].join('\n'),
    );
  });

  it('marks an app the project does not install, and then warns that nothing writes the key', () => {
    assert.equal(
      hover('"hijack_history"', ['django.contrib.sessions']),
      [
        '**session key** `hijack_history`',
        '',
        'django-hijack (`hijack`, not in INSTALLED_APPS) writes and reads it: The primary keys of the hijacking users, as strings, the last one released first.',
        '',
        'Written in 0 places, read in 1 place.',
        '',
        'Read:',
        '- get at `staff/views.py:2`',
        '',
        'Nothing in this project writes this key, so reading it always gives the default.',
      ].join('\n'),
    );
  });

  it('counts the app as installed when INSTALLED_APPS is unknown, for its exact keys', () => {
    assert.doesNotMatch(hover('"hijack_history"'), /INSTALLED_APPS|Nothing in this project writes/);
  });

  it("names no app for a key that merely starts with its prefix, unless the app is installed, as the lint counts them", () => {
    const own = [
      '**session key** `wizard_signup`',
      '',
      'Written in 0 places, read in 1 place.',
      '',
      'Read:',
      '- read at `staff/views.py:2`',
      '',
      'Nothing in this project writes this key, so reading it always gives the default, and indexing it (`staff/views.py:2`) raises KeyError unless an `in` check guards it.',
    ].join('\n');
    assert.equal(hover('"wizard_signup"', ['django.contrib.sessions']), own);
    assert.equal(hover('"wizard_signup"'), own);
    assert.match(hover('"wizard_signup"', ['django.contrib.sessions', 'formtools']), /^django-formtools \(`formtools`\) writes and reads it: A form wizard's SessionStorage/m);
  });
});
