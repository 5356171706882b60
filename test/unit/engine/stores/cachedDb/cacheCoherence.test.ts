import * as assert from 'node:assert/strict';
import { encodeSessionData, PyDict } from '../../../../../engine/src/codec';
import { encodeCacheValue } from '../../../../../engine/src/stores/cache/cacheValueCodec';
import { cacheStateOf } from '../../../../../engine/src/stores/cachedDb/cacheCoherence';
import { decodeRecord } from '../../../../../engine/src/stores/decodeRecord';
import type { SessionRecord } from '../../../../../engine/src/stores/sessionStore';
import type { StoreDescriptor } from '../../../../../engine/src/stores/storeDescriptor';

const descriptor = { secretKeys: { values: ['new-key'] }, serializer: 'json', salt: 'django.contrib.sessions.SessionStore' } as unknown as StoreDescriptor;
const entry = (data: PyDict) => ({ value: encodeCacheValue(data, { client: 'django', pickleProtocol: 5 }) });
const row = (raw: string): SessionRecord => ({ key: 'k'.repeat(32), raw, decoded: decodeRecord(raw, descriptor) });
const cart = new PyDict([['cart', [1n]]]);

describe('cacheStateOf', () => {
  it('takes an empty entry over a row Django reads as empty (a signature that fails, data that does not load) as in sync', () => {
    assert.equal(cacheStateOf(row(encodeSessionData(cart, { secretKeys: ['old-key'] })), entry(new PyDict())).state, 'in-sync');
    assert.equal(cacheStateOf(row('not session data at all'), entry(new PyDict())).state, 'in-sync');
  });

  it('still reports an entry with data beside such a row, and an empty entry beside a row that verifies, as drift', () => {
    assert.equal(cacheStateOf(row(encodeSessionData(cart, { secretKeys: ['old-key'] })), entry(new PyDict([['cart', [2n]]]))).state, 'drift');
    assert.equal(cacheStateOf(row(encodeSessionData(cart, { secretKeys: ['new-key'] })), entry(new PyDict())).state, 'drift');
  });
});
